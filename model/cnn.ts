// The reference network of "Online Learning with Apache Kafka" (a DL4J model), rebuilt in
// TensorFlow.js with DL4J's initialisation and regularisation semantics so that the two learn alike.
import * as tf from '@tensorflow/tfjs';

import type { OptimizerName } from './optimizer';

export type { OptimizerName } from './optimizer';
export { createOptimizer } from './optimizer';

export interface CnnOptions {
  /** Width and height of the square, single-channel input images (28 for MNIST). */
  readonly imageSize: number;
  readonly classes: number;
  /** Seeds every initializer: two networks with the same options start with identical weights. */
  readonly seed: number;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  /** L2 weight decay on kernels in DL4J's meaning: the loss gains 0.5 * l2 * sum(w^2). */
  readonly l2: number;
}

const FILTERS = 32;
const HIDDEN_UNITS = 100;

function check(ok: boolean, what: string): void {
  if (!ok) {
    throw new RangeError(`invalid CNN option: ${what}`);
  }
}

export function validateCnnOptions(options: CnnOptions): void {
  check(Number.isInteger(options.imageSize) && options.imageSize >= 4, `imageSize must be an integer >= 4, got ${options.imageSize}`);
  check(Number.isInteger(options.classes) && options.classes >= 2, `classes must be an integer >= 2, got ${options.classes}`);
  check(Number.isSafeInteger(options.seed), `seed must be a safe integer, got ${options.seed}`);
  check(options.optimizer === 'sgd' || options.optimizer === 'adam', `optimizer must be sgd or adam, got ${String(options.optimizer)}`);
  check(options.learningRate > 0 && Number.isFinite(options.learningRate), `learningRate must be > 0, got ${options.learningRate}`);
  check(options.l2 >= 0 && Number.isFinite(options.l2), `l2 must be >= 0, got ${options.l2}`);
}

/**
 * DL4J's XAVIER: a plain (untruncated) normal with variance 2 / (fanIn + fanOut). tfjs's
 * glorotNormal draws from a normal truncated at two standard deviations without rescaling, which
 * shrinks the variance to ~0.77 of that, so a seeded randomNormal is used instead.
 */
export function xavier(fanIn: number, fanOut: number, seed: number): ReturnType<typeof tf.initializers.randomNormal> {
  return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / (fanIn + fanOut)), seed });
}

/** DL4J adds 0.5 * l2 * sum(w^2); tfjs's l2 regularizer adds l2 * sum(w^2). */
export function kernelRegularizer(l2: number): ReturnType<typeof tf.regularizers.l2> | undefined {
  return l2 > 0 ? tf.regularizers.l2({ l2: l2 / 2 }) : undefined;
}

/** A dense layer as both networks build them: Xavier-initialised weights, zero biases, L2 on the weights only. */
function xavierDense(name: string, fanIn: number, units: number, activation: 'relu' | 'softmax', seed: number, regularizer: ReturnType<typeof kernelRegularizer>): tf.layers.Layer {
  return tf.layers.dense({ name, units, activation, kernelInitializer: xavier(fanIn, units, seed), biasInitializer: 'zeros', kernelRegularizer: regularizer });
}

/** The hidden layer both networks have: dense `units` ReLU. */
export function reluHidden(fanIn: number, units: number, seed: number, regularizer: ReturnType<typeof kernelRegularizer>): tf.layers.Layer {
  return xavierDense('hidden', fanIn, units, 'relu', seed, regularizer);
}

/** The output layer both networks end with: dense `classes` softmax. */
export function softmaxOutput(fanIn: number, classes: number, seed: number, regularizer: ReturnType<typeof kernelRegularizer>): tf.layers.Layer {
  return xavierDense('output', fanIn, classes, 'softmax', seed, regularizer);
}

/**
 * Input [imageSize, imageSize, 1] in [0, 1] → zero-pad 1 → conv 3x3/2 valid, 32, ReLU →
 * max-pool 2x2/1 → flatten → dense 100 ReLU → dense `classes` softmax. Padding is explicit
 * because tfjs's 'same' at stride 2 pads only bottom/right, unlike DL4J's symmetric padding.
 * Layer i is initialised with seed + i.
 */
export function buildCnn(options: CnnOptions): tf.Sequential {
  validateCnnOptions(options);
  const { imageSize, classes, seed, l2 } = options;
  const convOut = Math.floor((imageSize + 2 - 3) / 2) + 1;
  const flat = (convOut - 1) * (convOut - 1) * FILTERS;
  const regularizer = kernelRegularizer(l2);
  return tf.sequential({
    name: 'streamtrain_cnn',
    layers: [
      tf.layers.zeroPadding2d({ name: 'pad', inputShape: [imageSize, imageSize, 1], padding: 1 }),
      tf.layers.conv2d({
        name: 'conv',
        filters: FILTERS,
        kernelSize: 3,
        strides: 2,
        padding: 'valid',
        activation: 'relu',
        // DL4J's convolution fan-out divides by the stride area.
        kernelInitializer: xavier(9, (FILTERS * 9) / 4, seed + 1),
        biasInitializer: 'zeros',
        kernelRegularizer: regularizer,
      }),
      tf.layers.maxPooling2d({ name: 'pool', poolSize: 2, strides: 1, padding: 'valid' }),
      tf.layers.flatten({ name: 'flatten' }),
      reluHidden(flat, HIDDEN_UNITS, seed + 4, regularizer),
      softmaxOutput(HIDDEN_UNITS, classes, seed + 5, regularizer),
    ],
  });
}
