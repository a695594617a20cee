// The reference repository's second network, its ann(): one hidden layer of 1000 ReLU units,
// Xavier-initialised, and a softmax output trained on the negative log-likelihood (categorical
// cross-entropy of one-hot targets), with the same L2 meaning and seeding as the CNN.
import * as tf from '@tensorflow/tfjs';
import { kernelRegularizer, reluHidden, softmaxOutput, validateCnnOptions, type CnnOptions } from './cnn';

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
      reluHidden(inputs, HIDDEN_UNITS, seed + 1, regularizer),
      softmaxOutput(HIDDEN_UNITS, classes, seed + 2, regularizer),
    ],
  });
}
