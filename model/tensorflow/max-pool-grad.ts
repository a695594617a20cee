// TensorFlow's MaxPoolGrad kernel took 24-28 ms of a 78 ms training step for our 2x2/stride-1
// pool over 500x14x14x32 (it recomputes every window's arg-max, then scatters). A max-pool is a
// grey-scale dilation by a flat (all-zero) structuring element, and TensorFlow's
// Dilation2DBackpropInput routes each output gradient to its window's first maximum in row-major
// order, as MaxPoolGrad does, in one pass: about half the time of MaxPoolGrad, and of the
// separable composition of ~19 elementwise ops used before (measured in bench/profile-step.ts).
import * as tf from '@tensorflow/tfjs';
import { input, numberOrPair, padding } from '../wasm/attrs';
import { asTensor } from './tensors';

function isTwoByTwoStrideOneValid(attrs: tf.NamedAttrMap | undefined, shape: readonly number[]): boolean {
  const size = numberOrPair(attrs, 'filterSize');
  const strides = numberOrPair(attrs, 'strides');
  const two = (v: number | [number, number]) => (typeof v === 'number' ? v === 2 : v[0] === 2 && v[1] === 2);
  const one = (v: number | [number, number]) => (typeof v === 'number' ? v === 1 : v[0] === 1 && v[1] === 1);
  return shape.length === 4 && two(size) && one(strides) && padding(attrs) === 'valid';
}

function dilationGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor {
  const flat = tf.zeros([2, 2, x.shape[3]]);
  const out = tf.engine().runKernel('Dilation2DBackpropInput', { x, filter: flat, dy }, { strides: [1, 1], pad: 'valid', dilations: [1, 1] });
  if (Array.isArray(out)) throw new Error('Dilation2DBackpropInput returned several tensors');
  return out;
}

export function dilationMaxPoolGrad(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = input(args.inputs, 'input');
    if (!isTwoByTwoStrideOneValid(args.attrs, x.shape) || x.dtype !== 'float32') {
      return original.kernelFunc(args);
    }
    const dy = input(args.inputs, 'dy');
    return tf.tidy(() => dilationGrad(asTensor(x) as tf.Tensor4D, asTensor(dy) as tf.Tensor4D));
  };
  return { kernelName: 'MaxPoolGrad', backendName: 'tensorflow', kernelFunc };
}
