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
  const indices = new Uint32Array(size);
  for (let i = 0; i < size; i++) indices[i] = start + i;
  return gatherTensors([{ images, labels, indices }], shape);
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

/** Records picked by index from one pair of buffers (a window, or the replay buffer). */
export interface PickedRecords {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly indices: ArrayLike<number>;
}

/** The picked records of every source, in order, as one batch of tensors (like batchTensors). */
export function gatherTensors(sources: readonly PickedRecords[], shape: BatchShape): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const { imageSize, classes } = shape;
  const pixels = imageSize * imageSize;
  const size = sources.reduce((n, s) => n + s.indices.length, 0);
  const scaled = new Float32Array(size * pixels);
  const oneHot = new Float32Array(size * classes);
  let row = 0;
  for (const { images, labels, indices } of sources) {
    for (let k = 0; k < indices.length; k++, row++) {
      const from = indices[k] * pixels;
      const to = row * pixels;
      for (let p = 0; p < pixels; p++) scaled[to + p] = images[from + p] / 255;
      oneHot[row * classes + labels[indices[k]]] = 1;
    }
  }
  return {
    xs: tf.tensor4d(scaled, [size, imageSize, imageSize, 1]),
    ys: tf.tensor2d(oneHot, [size, classes]),
  };
}
