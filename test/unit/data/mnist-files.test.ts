import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

import { DEFAULT_MNIST_DIR, examples, image, loadMnist } from '../../../data/mnist';

// What `gunzip -c FILE | sha256sum` prints for the shipped files (see data/mnist/README.md).
const SHA256: Readonly<Record<string, string>> = {
  'train-images-idx3-ubyte': 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  'train-labels-idx1-ubyte': '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  't10k-images-idx3-ubyte': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  't10k-labels-idx1-ubyte': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
};

describe('the shipped MNIST files', () => {
  it.each(Object.entries(SHA256))('%s decompresses to the published bytes', (stem, sha) => {
    const bytes = gunzipSync(readFileSync(path.join(DEFAULT_MNIST_DIR, `${stem}.gz`)));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
  });
});

describe('loadMnist', () => {
  it('loads 60000 training images of 28x28 whose first label is 5', () => {
    const train = loadMnist('train');
    expect(train).toMatchObject({ count: 60000, rows: 28, cols: 28 });
    expect(train.images.length).toBe(60000 * 28 * 28);
    expect(train.labels.length).toBe(60000);
    expect(train.labels[0]).toBe(5);
  });

  it('loads 10000 test images of 28x28', () => {
    const test = loadMnist('test');
    expect(test).toMatchObject({ count: 10000, rows: 28, cols: 28 });
    expect(test.labels[0]).toBe(7);
  });

  it('returns the same cached set on the second call', () => {
    expect(loadMnist('test')).toBe(loadMnist('test', { dir: DEFAULT_MNIST_DIR }));
  });

  it('names the folder and the remedy when the files are missing', () => {
    expect(() => loadMnist('test', { dir: path.join(DEFAULT_MNIST_DIR, 'nowhere') })).toThrow(
      /neither t10k-images-idx3-ubyte\.gz nor t10k-images-idx3-ubyte exists; point options\.dir/,
    );
  });
});

describe('walking a set', () => {
  const test = loadMnist('test');

  it('image(set, i) is a row-major view of one image', () => {
    const first = image(test, 0);
    expect(first.length).toBe(784);
    expect(first.buffer).toBe(test.images.buffer);
    expect(Array.from(first)).toEqual(Array.from(test.images.subarray(0, 784)));
    expect(() => image(test, 10000)).toThrow(RangeError);
  });

  it('examples() honours start and limit and stops at the end', () => {
    const some = Array.from(examples(test, { start: 9998, limit: 5 }));
    expect(some.map((e) => e.index)).toEqual([9998, 9999]);
    expect(some[1]?.label).toBe(test.labels[9999]);
    expect(Array.from(examples(test, { limit: 3 })).map((e) => e.index)).toEqual([0, 1, 2]);
    expect(() => Array.from(examples(test, { start: -1 }))).toThrow(/pass a whole number >= 0/);
  });
});
