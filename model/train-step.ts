// One prequential gradient step, and evaluation, for a softmax classifier. The metrics of a step
// come from the very forward pass that produces the gradient, so they describe the model BEFORE
// the update (river's predict-then-learn) at no extra cost. Loss is the mean categorical
// cross-entropy without the L2 penalty, the same quantity evaluate() reports; the penalty is
// only added to what is minimised.
import * as tf from '@tensorflow/tfjs';

export interface BatchMetrics {
  /** Sum of the cross-entropy of the counted records (the first `counted` rows of the batch). */
  readonly crossEntropySum: number;
  /** 1 where a counted record's arg-max prediction equals its label, else 0. */
  readonly correct: Uint8Array;
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
function countedReadout(perRecord: tf.Tensor1D, ys: tf.Tensor2D, probabilities: tf.Tensor, counted: number): tf.Tensor1D {
  const rows = (t: tf.Tensor) => (counted === ys.shape[0] ? t : tf.slice(t, 0, counted));
  const correct = tf.metrics.categoricalAccuracy(rows(ys), rows(probabilities));
  return tf.concat([tf.sum(rows(perRecord)).as1D(), correct.as1D()]);
}

async function readSums(sums: tf.Tensor1D): Promise<[number, number]> {
  try {
    const values = await sums.data();
    return [values[0], values[1]];
  } finally {
    sums.dispose();
  }
}

export async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor4D,
  ys: tf.Tensor2D,
  counted: number = xs.shape[0],
): Promise<BatchMetrics> {
  const size = xs.shape[0];
  const variables = trainableVariables(model);
  const kept: { sums?: tf.Tensor1D } = {};
  optimizer.minimize(
    () => {
      const probabilities = forward(model, xs, true);
      const perRecord = tf.metrics.categoricalCrossentropy(ys, probabilities).as1D();
      const crossEntropy = tf.sum<tf.Scalar>(perRecord);
      // The accuracy (an arg-max comparison, not differentiable) stays off the gradient path.
      kept.sums = tf.keep(countedReadout(perRecord, ys, probabilities, counted));
      let objective = tf.div<tf.Scalar>(crossEntropy, size);
      for (const penalty of model.calculateLosses()) {
        objective = tf.add<tf.Scalar>(objective, penalty);
      }
      return objective;
    },
    false,
    variables,
  );
  if (kept.sums === undefined) {
    throw new Error('the optimizer did not evaluate the loss');
  }
  try {
    const values = await kept.sums.data();
    return { crossEntropySum: values[0], correct: Uint8Array.from(values.subarray(1)) };
  } finally {
    kept.sums.dispose();
  }
}

/** Sums of cross-entropy and of correct predictions over one batch, without learning. */
export async function evaluateSums(model: tf.LayersModel, xs: tf.Tensor4D, ys: tf.Tensor2D): Promise<[number, number]> {
  return readSums(
    tf.tidy(() => {
      const probabilities = forward(model, xs, false);
      return metricSums(crossEntropySum(ys, probabilities), ys, probabilities);
    }),
  );
}
