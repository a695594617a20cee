// One prequential gradient step, and evaluation, for a softmax classifier. The metrics of a step
// come from the very forward pass that produces the gradient, so they describe the model BEFORE
// the update (river's predict-then-learn) at no extra cost. Loss is the mean categorical
// cross-entropy without the L2 penalty, the same quantity evaluate() reports; the penalty is
// only added to what is minimised.
import * as tf from '@tensorflow/tfjs';

export interface BatchMetrics {
  /** Mean cross-entropy over the batch. */
  readonly loss: number;
  /** Fraction of the batch whose arg-max prediction equals its label. */
  readonly accuracy: number;
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
): Promise<BatchMetrics> {
  const size = xs.shape[0];
  const variables = trainableVariables(model);
  const kept: { sums?: tf.Tensor1D } = {};
  optimizer.minimize(
    () => {
      const probabilities = forward(model, xs, true);
      const crossEntropy = crossEntropySum(ys, probabilities);
      // The accuracy (an arg-max comparison, not differentiable) stays off the gradient path.
      kept.sums = tf.keep(metricSums(crossEntropy, ys, probabilities));
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
  const [crossEntropy, correct] = await readSums(kept.sums);
  return { loss: crossEntropy / size, accuracy: correct / size };
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
