// TensorFlow's MaxPoolGrad kernel took 24-28 ms of a 78 ms training step for our 2x2/stride-1
// pool over 500x14x14x32: it recomputes every window's arg-max, then scatters, in plain loops.
// The wheel's TensorFlow is built with oneDNN, whose max-pool keeps the arg-max of each window in
// a workspace and scatters with it; its kernels are registered as _MklNativeMaxPool/-Grad, which
// TensorFlow only substitutes when it rewrites graphs, never in eager mode (what tfjs-node runs),
// so they are called by name: forward (for the workspace) plus backward take about 4 ms there.
// Both route each gradient to the first maximum of its window in row-major order, like
// MaxPoolGrad. If those kernels are missing or disagree with the reference on a probe, the
// gradient is TensorFlow's Dilation2DBackpropInput with a flat 2x2 structuring element (a max-pool
// is a dilation by it), same routing, one pass, about half MaxPoolGrad's time.
import * as tf from '@tensorflow/tfjs';
import { input, numberOrPair, padding } from '../wasm/attrs';
import { attrs, nativeBackend, type OpAttr } from './native-ops';
import { asTensor } from './tensors';

export type MaxPoolGradRoute = 'onednn' | 'dilation';

function isTwoByTwoStrideOneValid(attrMap: tf.NamedAttrMap | undefined, shape: readonly number[]): boolean {
  const size = numberOrPair(attrMap, 'filterSize');
  const strides = numberOrPair(attrMap, 'strides');
  const two = (v: number | [number, number]) => (typeof v === 'number' ? v === 2 : v[0] === 2 && v[1] === 2);
  const one = (v: number | [number, number]) => (typeof v === 'number' ? v === 1 : v[0] === 1 && v[1] === 1);
  return shape.length === 4 && two(size) && one(strides) && padding(attrMap) === 'valid';
}

function dilationGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor {
  const flat = tf.zeros([2, 2, x.shape[3]]);
  const out = tf.engine().runKernel('Dilation2DBackpropInput', { x, filter: flat, dy }, { strides: [1, 1], pad: 'valid', dilations: [1, 1] });
  if (Array.isArray(out)) throw new Error('Dilation2DBackpropInput returned several tensors');
  return out;
}

function oneDnnAttrs(): OpAttr[] {
  const a = attrs(nativeBackend());
  return [
    a.float('T'),
    a.ints('ksize', [1, 2, 2, 1]),
    a.ints('strides', [1, 1, 1, 1]),
    a.string('padding', 'VALID'),
    a.string('data_format', 'NHWC'),
    a.bool('workspace_enabled', true),
    // The label TensorFlow's own rewrite gives these kernels; without it none is found.
    a.string('_kernel', 'MklNameChangeOp'),
  ];
}

function oneDnnGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor {
  const backend = nativeBackend();
  const opAttrs = oneDnnAttrs();
  const [y, workspace] = backend.executeMultipleOutputs('_MklNativeMaxPool', opAttrs, [x], 2);
  return backend.executeSingleOutput('_MklNativeMaxPoolGrad', opAttrs, [x, y, dy, workspace]);
}

/** Each route's gradient of a 2x2/stride-1/valid max-pool of x, for the upstream gradient dy. */
export const MAX_POOL_GRADS: Record<MaxPoolGradRoute, (x: tf.Tensor4D, dy: tf.Tensor4D) => tf.Tensor> = { onednn: oneDnnGrad, dilation: dilationGrad };

/** Whether oneDNN's kernels run here and give the reference's numbers on windows with ties. */
function oneDnnWorks(): boolean {
  try {
    return tf.tidy(() => {
      const x = tf.relu(tf.randomNormal([2, 6, 5, 3], 0, 1, 'float32', 7)) as tf.Tensor4D;
      const dy = tf.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
      return tf.max(tf.abs(tf.sub(oneDnnGrad(x, dy), dilationGrad(x, dy)))).dataSync()[0] < 1e-6;
    });
  } catch {
    return false;
  }
}

export function fastMaxPoolGrad(original: tf.KernelConfig): { config: tf.KernelConfig; route: MaxPoolGradRoute } {
  const route: MaxPoolGradRoute = oneDnnWorks() ? 'onednn' : 'dilation';
  const grad = MAX_POOL_GRADS[route];
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = input(args.inputs, 'input');
    if (!isTwoByTwoStrideOneValid(args.attrs, x.shape) || x.dtype !== 'float32') {
      return original.kernelFunc(args);
    }
    const dy = input(args.inputs, 'dy');
    return tf.tidy(() => grad(asTensor(x) as tf.Tensor4D, asTensor(dy) as tf.Tensor4D));
  };
  return { config: { kernelName: 'MaxPoolGrad', backendName: 'tensorflow', kernelFunc }, route };
}
