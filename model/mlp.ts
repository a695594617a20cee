// The reference repository's second network, its ann(): one hidden layer of 1000 ReLU units,
// Xavier-initialised, and a softmax output trained on the negative log-likelihood (categorical
// cross-entropy of one-hot targets), with the same L2 meaning and seeding as the CNN.
import * as tf from '@tensorflow/tfjs';
import { kernelRegularizer, softmaxOutput, validateCnnOptions, xavier, type CnnOptions } from './cnn';

const HIDDEN_UNITS = 1000;

/**
 * Input [imageSize, imageSize, 1] in [0, 1] (the CNN's input, so batches are shared) → flatten →
 * dense 1000 ReLU → dense `classes` softmax. Layer i is initialised with seed + i.
 */
export function buildMlp(options: CnnOptions): tf.Sequential {
  validateCnnOptions(options);
  const { imageSize, classes, seed, l2 } = options;
  const inputs = imageSize * imageSize;
  const regularizer = kernelRegularizer(l2);
  return tf.sequential({
    name: 'streamtrain_mlp',
    layers: [
      tf.layers.flatten({ name: 'flatten', inputShape: [imageSize, imageSize, 1] }),
      tf.layers.dense({
        name: 'hidden',
        units: HIDDEN_UNITS,
        activation: 'relu',
        kernelInitializer: xavier(inputs, HIDDEN_UNITS, seed + 1),
        biasInitializer: 'zeros',
        kernelRegularizer: regularizer,
      }),
      softmaxOutput(HIDDEN_UNITS, classes, seed + 2, regularizer),
    ],
  });
}
