// Turns a window's raw bytes into tensors: pixels 0-255 scaled to [0, 1] (as the reference
// network expects) and labels one-hot encoded. Built in JavaScript, where it costs well under a
// millisecond per hundred images, so that the backend sees two plain uploads.
import * as tf from '@tensorflow/tfjs';
import { InvalidBatchError } from './errors';

export interface BatchShape {
  readonly imageSize: number;
  readonly classes: number;
}

/** Checks that `images` and `labels` hold exactly `count` records of the given shape. */
export function checkBatch(images: Uint8Array, labels: Uint8Array, count: number, shape: BatchShape): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidBatchError(`count must be a positive integer, got ${count}`);
  }
  const pixels = shape.imageSize * shape.imageSize;
  if (images.length !== count * pixels) {
    throw new InvalidBatchError(`${images.length} image bytes for ${count} images of ${pixels} pixels`);
  }
  if (labels.length !== count) {
    throw new InvalidBatchError(`${labels.length} labels for ${count} images`);
  }
  for (let i = 0; i < count; i++) {
    if (labels[i] >= shape.classes) {
      throw new InvalidBatchError(`label ${labels[i]} of record ${i} is not below ${shape.classes} classes`);
    }
  }
}

/** Records [start, start + size) of a checked batch as [size, s, s, 1] pixels and [size, classes] targets. */
export function batchTensors(
  images: Uint8Array,
  labels: Uint8Array,
  start: number,
  size: number,
  shape: BatchShape,
): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const { imageSize, classes } = shape;
  const pixels = imageSize * imageSize;
  const scaled = new Float32Array(size * pixels);
  const first = start * pixels;
  for (let i = 0; i < scaled.length; i++) {
    scaled[i] = images[first + i] / 255;
  }
  const oneHot = new Float32Array(size * classes);
  for (let i = 0; i < size; i++) {
    oneHot[i * classes + labels[start + i]] = 1;
  }
  return {
    xs: tf.tensor4d(scaled, [size, imageSize, imageSize, 1]),
    ys: tf.tensor2d(oneHot, [size, classes]),
  };
}

/** [start, size) pairs that cover `count` records in order, `batchSize` at a time. */
export function chunks(count: number, batchSize: number | null): Array<[number, number]> {
  const step = batchSize === null || batchSize >= count ? count : batchSize;
  const result: Array<[number, number]> = [];
  for (let start = 0; start < count; start += step) {
    result.push([start, Math.min(step, count - start)]);
  }
  return result;
}
