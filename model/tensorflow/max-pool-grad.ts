// TensorFlow's MaxPoolGrad kernel took 24-28 ms of a 78 ms training step for our 2x2/stride-1
// pool over 500x14x14x32 (it recomputes every window's arg-max in one pass per image). A 2x2
// window's max is the max over two rows, then over two columns, so its gradient is two routings
// of the same kind, each a comparison, a multiply and two pads, all multithreaded elementwise ops.
// Each output gradient goes to one input: the top row on a tie, then the left column, the way the
// first maximum wins in TensorFlow's kernel (on an exact tie between different positions of a
// window the two may pick different ones; after ReLU such ties are zeros, whose gradient is 0).
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

/** Routes `dy` to `first` where it holds the max (ties included), else to `second`, shifted by one along `axis`. */
function route(dy: tf.Tensor4D, firstWins: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
  const toFirst = tf.mul(dy, tf.cast(firstWins, 'float32'));
  const toSecond = tf.sub(dy, toFirst);
  const after: Array<[number, number]> = [[0, 0], [0, 0], [0, 0], [0, 0]];
  const before: Array<[number, number]> = [[0, 0], [0, 0], [0, 0], [0, 0]];
  after[axis] = [0, 1];
  before[axis] = [1, 0];
  return tf.add(tf.pad(toFirst, after), tf.pad(toSecond, before));
}

function separableGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const top = tf.slice(x, [0, 0, 0, 0], [n, h - 1, w, c]);
  const bottom = tf.slice(x, [0, 1, 0, 0], [n, h - 1, w, c]);
  const rows = tf.maximum(top, bottom);
  const left = tf.slice(rows, [0, 0, 0, 0], [n, h - 1, w - 1, c]);
  const right = tf.slice(rows, [0, 0, 1, 0], [n, h - 1, w - 1, c]);
  const dRows = route(dy, tf.greaterEqual(left, right), 2);
  return route(dRows, tf.greaterEqual(top, bottom), 1);
}

export function separableMaxPoolGrad(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = input(args.inputs, 'input');
    if (!isTwoByTwoStrideOneValid(args.attrs, x.shape) || x.dtype !== 'float32') {
      return original.kernelFunc(args);
    }
    const dy = input(args.inputs, 'dy');
    return tf.tidy(() => separableGrad(asTensor(x) as tf.Tensor4D, asTensor(dy) as tf.Tensor4D));
  };
  return { kernelName: 'MaxPoolGrad', backendName: 'tensorflow', kernelFunc };
}
