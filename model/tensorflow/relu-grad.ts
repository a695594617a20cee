// ReLU's gradient, dy where the ReLU's output is above 0 and 0 elsewhere, as TensorFlow's one
// ReluGrad op instead of tfjs's Multiply(dy, Step(y)) (three full passes on native TensorFlow:
// Greater, Cast, Multiply). tfjs has no kernel of this name; model/network-gradients.ts uses it
// where the current backend registers it and the composition elsewhere.
import * as tf from '@tensorflow/tfjs';
import { input } from '../wasm/attrs';
import { attrs, nativeBackend } from './native-ops';

export const RELU_GRAD = 'StreamtrainReluGrad';

export function reluGradKernel(): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const backend = nativeBackend();
    return backend.executeSingleOutput('ReluGrad', [attrs(backend).float('T')], [input(args.inputs, 'dy'), input(args.inputs, 'y')]);
  };
  return { kernelName: RELU_GRAD, backendName: 'tensorflow', kernelFunc };
}
