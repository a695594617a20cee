// One prequential gradient step, and evaluation, for a softmax classifier. The metrics of a step
// come from the very forward pass that produces the gradient, so they describe the model BEFORE
// the update (river's predict-then-learn) at no extra cost. Loss is the mean categorical
// cross-entropy without the L2 penalty, the same quantity evaluate() reports; the penalty is
// only added to what is minimised, as its gradient l2 * w on the kernels (DL4J's meaning, see
// kernelRegularizer in cnn.ts), which is what autodiff of the layers' regularizers gives.
import * as tf from '@tensorflow/tfjs';
import type { Architecture } from './architecture';
import { gradientFunction } from './network-gradients';
import type { ParameterOptimizer } from './optimizer';

export interface BatchMetrics {
  /** Sum of the cross-entropy of the counted records (the first `counted` rows of the batch). */
  readonly crossEntropySum: number;
  /** 1 where a counted record's arg-max prediction equals its label, else 0. */
  readonly correct: Uint8Array;
}

/** The network being trained, with what its step needs to know. */
export interface TrainedNetwork {
  readonly model: tf.LayersModel;
  readonly architecture: Architecture;
  /** DL4J's L2: the objective gains 0.5 * l2 * sum(w^2) over the kernels. */
  readonly l2: number;
}

function forward(model: tf.LayersModel, xs: tf.Tensor, training: boolean): tf.Tensor {
  const out = model.apply(xs, { training });
  if (out instanceof tf.Tensor) {
    return out;
  }
  throw new Error('the classifier must have exactly one output');
}

function crossEntropySum(ys: tf.Tensor, probabilities: tf.Tensor): tf.Scalar {
  return tf.sum<tf.Scalar>(tf.metrics.categoricalCrossentropy(ys, probabilities));
}

/** [sum of per-record cross-entropy, number of correct predictions], read back in one transfer. */
function metricSums(crossEntropy: tf.Scalar, ys: tf.Tensor, probabilities: tf.Tensor): tf.Tensor1D {
  const correct = tf.sum(tf.metrics.categoricalAccuracy(ys, probabilities));
  return tf.stack([crossEntropy, correct]).as1D();
}

/** The tf.Variables behind the model's trainable weights, in the model's order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => {
    const value = w.read();
    if (!(value instanceof tf.Variable)) {
      throw new Error(`weight ${w.originalName} is not backed by a tf.Variable`);
    }
    return value;
  });
}

/**
 * The first `counted` rows' [cross-entropy sum, then 1/0 correct per row]. Only those rows are
 * scored: a batch may end with replayed records, which were scored when they first arrived.
 */
function countedReadout(ys: tf.Tensor2D, probabilities: tf.Tensor, counted: number): tf.Tensor1D {
  const rows = (t: tf.Tensor) => (counted === ys.shape[0] ? t : tf.slice(t, 0, counted));
  const perRecord = tf.metrics.categoricalCrossentropy(rows(ys), rows(probabilities));
  const correct = tf.metrics.categoricalAccuracy(rows(ys), rows(probabilities));
  return tf.concat([tf.sum(perRecord).as1D(), correct.as1D()]);
}

/**
 * The objective's gradients for every trainable variable (mean cross-entropy plus the L2 term),
 * and the forward pass's probabilities. Call inside tf.tidy.
 */
export function objectiveGradients(network: TrainedNetwork, xs: tf.Tensor4D, ys: tf.Tensor2D): { probabilities: tf.Tensor2D; gradients: tf.Tensor[] } {
  const { model, architecture, l2 } = network;
  const variables = trainableVariables(model);
  const { probabilities, gradients } = gradientFunction(architecture)(xs, ys, variables);
  const decayed = gradients.map((g, i) => (l2 > 0 && model.trainableWeights[i].originalName.endsWith('/kernel') ? tf.add(g, tf.mul(variables[i], l2)) : g));
  return { probabilities, gradients: decayed };
}

export async function trainStep(
  network: TrainedNetwork,
  optimizer: ParameterOptimizer,
  xs: tf.Tensor4D,
  ys: tf.Tensor2D,
  counted: number = xs.shape[0],
): Promise<BatchMetrics> {
  const sums = tf.tidy(() => {
    const { probabilities, gradients } = objectiveGradients(network, xs, ys);
    optimizer.apply(trainableVariables(network.model), gradients);
    return countedReadout(ys, probabilities, counted);
  });
  try {
    const values = await sums.data();
    return { crossEntropySum: values[0], correct: Uint8Array.from(values.subarray(1)) };
  } finally {
    sums.dispose();
  }
}

/** Sums of cross-entropy and of correct predictions over one batch, without learning. */
export async function evaluateSums(model: tf.LayersModel, xs: tf.Tensor4D, ys: tf.Tensor2D): Promise<[number, number]> {
  const sums = tf.tidy(() => {
    const probabilities = forward(model, xs, false);
    return metricSums(crossEntropySum(ys, probabilities), ys, probabilities);
  });
  try {
    const values = await sums.data();
    return [values[0], values[1]];
  } finally {
    sums.dispose();
  }
}
