// ReLU's gradient is dy * step(x). tfjs-node computes step as Select(IsNan(x), x, Select(Greater(x,
// 0), ones, fill(alpha))): five ops and two full-size constants, 19 ms of a 78 ms training step at
// window 500. For alpha 0, the only case training uses, Cast(Greater(x, 0)) is the same number
// for every non-NaN x in two ops (a NaN gives 0 instead of NaN; the loss is NaN then anyway).
import * as tf from '@tensorflow/tfjs';
import { input } from '../wasm/attrs';
import { asTensor } from './tensors';

export function cheapStep(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = input(args.inputs, 'x');
    const alpha = args.attrs?.alpha;
    if ((alpha !== undefined && alpha !== 0) || x.dtype !== 'float32') {
      return original.kernelFunc(args);
    }
    return tf.tidy(() => tf.cast(tf.greater(asTensor(x), 0), 'float32'));
  };
  return { kernelName: 'Step', backendName: 'tensorflow', kernelFunc };
}
