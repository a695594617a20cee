// Training uses hand-written gradients (model/network-gradients.ts) and folds L2 into them instead
// of running tfjs's autodiff over the layers model. Users rely on that being the same math: these
// compare both, on the plain-JavaScript cpu backend, for both architectures, with an L2 large
// enough to matter, from freshly built and from trained-looking (perturbed) weights.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../model';
import { buildNetwork, type Architecture } from '../../../model/architecture';
import { syntheticWindow } from '../../../model/synthetic';
import { objectiveGradients, trainableVariables } from '../../../model/train-step';

const L2 = 0.05;
const BATCH = 6;

function batch(): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const data = syntheticWindow(BATCH, 28, 10, 3);
  return {
    xs: tf.tensor4d(Float32Array.from(data.images, (v) => v / 255), [BATCH, 28, 28, 1]),
    ys: tf.oneHot(tf.tensor1d(Array.from(data.labels), 'int32'), 10).toFloat() as tf.Tensor2D,
  };
}

function worstRelativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  const scale = Math.max(1e-6, tf.max(tf.abs(expected)).dataSync()[0]);
  return tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] / scale;
}

beforeAll(async () => {
  await selectBackend('cpu', () => undefined);
});

describe.each(['cnn', 'mlp'] as Architecture[])('the %s gradients', (architecture) => {
  it('equal autodiff of the mean cross-entropy plus the layers\' L2 penalties, weight by weight', () => {
    const model = buildNetwork(architecture, { imageSize: 28, classes: 10, seed: 5, optimizer: 'adam', learningRate: 0.001, l2: L2 });
    // Biases start at zero; give them values so that their gradients and ReLU masks are exercised.
    const variables = trainableVariables(model);
    variables.forEach((v, i) => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.05, 'float32', 100 + i))));
    const { xs, ys } = batch();
    const expected = tf.variableGrads(() => {
      const probabilities = model.apply(xs) as tf.Tensor;
      let objective = tf.mean(tf.metrics.categoricalCrossentropy(ys, probabilities)) as tf.Scalar;
      for (const penalty of model.calculateLosses()) objective = tf.add(objective, penalty);
      return objective;
    }, variables);
    const { probabilities, gradients } = objectiveGradients({ model, architecture, l2: L2 }, xs, ys);

    expect(worstRelativeError(probabilities, model.apply(xs) as tf.Tensor)).toBeLessThan(1e-5);
    expect(gradients).toHaveLength(variables.length);
    variables.forEach((v, i) => {
      const autodiff = expected.grads[v.name];
      expect(gradients[i].shape).toEqual(v.shape);
      // The kernels' L2 share is visible: without it they would differ by l2 * w.
      expect(worstRelativeError(gradients[i], autodiff)).toBeLessThan(1e-4);
    });
    model.dispose();
  });
});
