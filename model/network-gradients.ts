// The gradient of the mean cross-entropy for each of our networks, written by hand. Autodiff over
// the layers model records every op on a tape and replays ~150 small backward ops a step; here the
// backward pass is the dozen ops the math needs, and the input's gradient, which nobody uses, is
// not computed. Shared by every backend. test/unit/model/hand-written-gradients.test.ts asserts
// equality with tfjs's autodiff of the layers model. One deliberate difference: tfjs clips the
// probabilities to [1e-7, 1 - 1e-7] inside its cross-entropy, which zeroes the gradient of a record
// predicted with less than 1e-7 for its label; (p - y) keeps teaching from such records.
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from './architecture';
import { RELU_GRAD } from './tensorflow/relu-grad';

export interface NetworkGradients {
  /** The softmax output of the forward pass (the model before this step), [batch, classes]. */
  readonly probabilities: tf.Tensor2D;
  /** d(mean cross-entropy)/d(weight), in the order of the model's trainable weights. */
  readonly gradients: tf.Tensor[];
}

/**
 * ReLU's gradient given its output y: dy where y > 0, else 0. One kernel where the backend has
 * one (native TensorFlow, see model/tensorflow/relu-grad.ts), else Multiply(dy, Step(y)).
 */
function reluGrad<T extends tf.Tensor>(dy: T, y: T): T {
  if (tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined) return run(RELU_GRAD, { dy, y }, {}) as T;
  return tf.mul(dy, tf.step(y));
}

type GradientFunction = (xs: tf.Tensor4D, ys: tf.Tensor2D, weights: readonly tf.Tensor[]) => NetworkGradients;

function run(kernel: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor {
  const out = tf.engine().runKernel(kernel, inputs, attrs);
  if (Array.isArray(out)) throw new Error(`kernel ${kernel} returned several tensors`);
  return out;
}

function weightsOf(weights: readonly tf.Tensor[], count: number): tf.Tensor[] {
  if (weights.length !== count) throw new Error(`expected ${count} trainable weights, got ${weights.length}`);
  return [...weights];
}

/**
 * features → dense ReLU → dense softmax, and the gradients of its four weights; the features'
 * gradient too when asked (the CNN needs it, the MLP's features are the input). Softmax followed
 * by cross-entropy of one-hot targets has the gradient (p - y) / batch at the logits.
 */
function denseTail(features: tf.Tensor2D, ys: tf.Tensor2D, weights: tf.Tensor[], featureGradient: boolean) {
  const [w1, b1, w2, b2] = weights as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
  const hidden = tf.fused.matMul({ a: features, b: w1, bias: b1, activation: 'relu' }) as tf.Tensor2D;
  const probabilities = tf.softmax(tf.fused.matMul({ a: hidden, b: w2, bias: b2 }) as tf.Tensor2D);
  const dLogits = tf.div<tf.Tensor2D>(tf.sub(probabilities, ys), features.shape[0]);
  const dHidden = reluGrad(tf.matMul(dLogits, w2, false, true), hidden);
  return {
    probabilities,
    gradients: [tf.matMul(features, dHidden, true, false), tf.sum(dHidden, 0), tf.matMul(hidden, dLogits, true, false), tf.sum(dLogits, 0)],
    dFeatures: featureGradient ? tf.matMul(dHidden, w1, false, true) : null,
  };
}

/** The MLP (model/mlp.ts): flatten → dense 1000 ReLU → dense softmax. No input gradient. */
const mlpGradients: GradientFunction = (xs, ys, weights) => {
  const tail = denseTail(tf.reshape(xs, [xs.shape[0], -1]), ys, weightsOf(weights, 4), false);
  return { probabilities: tail.probabilities, gradients: tail.gradients };
};

/**
 * The CNN (model/cnn.ts): pad 1 → conv 3x3/2 + bias, ReLU → max-pool 2x2/1 → flatten → dense tail.
 * ReLU's mask is applied to the pooled gradient: max-pool routes a gradient only to a window's
 * maximum, and that maximum is 0 exactly when the pooled value is, so masking the smaller pooled
 * tensor gives the same numbers as masking the activations. The input's gradient is not computed.
 */
const cnnGradients: GradientFunction = (xs, ys, weights) => {
  const [kernel, bias, ...dense] = weightsOf(weights, 6);
  const padded = tf.pad(xs, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const activated = tf.fused.conv2d({ x: padded, filter: kernel as tf.Tensor4D, strides: 2, pad: 'valid', bias, activation: 'relu' });
  const pooled = tf.maxPool(activated, 2, 1, 'valid');
  const tail = denseTail(tf.reshape(pooled, [xs.shape[0], -1]), ys, dense, true);
  if (tail.dFeatures === null) throw new Error('the dense tail did not return the features gradient');
  const dPooled = reluGrad(tf.reshape(tail.dFeatures, pooled.shape), pooled);
  const dActivated = run('MaxPoolGrad', { dy: dPooled, input: activated, output: pooled }, { filterSize: 2, strides: 1, pad: 'valid' });
  const dKernel = run('Conv2DBackpropFilter', { x: padded, dy: dActivated }, { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: kernel.shape });
  return { probabilities: tail.probabilities, gradients: [dKernel, tf.sum(dActivated, [0, 1, 2]), ...tail.gradients] };
};

export function gradientFunction(architecture: Architecture): GradientFunction {
  switch (architecture) {
    case 'cnn':
      return cnnGradients;
    case 'mlp':
      return mlpGradients;
  }
}
