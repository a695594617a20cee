import * as tf from '@tensorflow/tfjs';
import {
  CheckpointFormatError,
  CheckpointMismatchError,
  OnlineClassifier,
  selectBackend,
  type ClassifierOptions,
  type OptimizerName,
} from '../../../model';
import { decompressCheckpoint } from '../../../model/checkpoint-compression';
import { decodeCheckpoint, encodeCheckpoint } from '../../../model/checkpoint-format';
import { syntheticWindow } from '../../../model/synthetic';

const base: ClassifierOptions = { imageSize: 28, classes: 10, seed: 11, optimizer: 'sgd', learningRate: 0.05, l2: 1e-4, batchSize: 8 };
const learningRates: Record<OptimizerName, number> = { sgd: 0.05, adam: 0.001 };
const windows = [1, 2, 3].map((seed) => syntheticWindow(8, 28, 10, seed));

async function learnAll(classifier: OnlineClassifier, which: number[]): Promise<number[]> {
  const losses: number[] = [];
  for (const i of which) {
    losses.push((await classifier.learn(windows[i].images, windows[i].labels, windows[i].count)).loss);
  }
  return losses;
}

async function weightsOf(classifier: OnlineClassifier): Promise<Float32Array[]> {
  return decodeCheckpoint(await decompressCheckpoint(await classifier.checkpoint())).weights.map((w) => w.values);
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((values, t) => values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[t][i])))));
  return worst;
}

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe.each(['sgd', 'adam'] as const)('checkpoint and restore with %s', (optimizer) => {
  const options = { ...base, optimizer, learningRate: learningRates[optimizer] };
  let uninterrupted: { losses: number[]; weights: Float32Array[] };
  let checkpoint: Uint8Array;

  beforeAll(async () => {
    const classifier = await OnlineClassifier.create(options);
    const losses = await learnAll(classifier, [0, 1, 2]);
    uninterrupted = { losses, weights: await weightsOf(classifier) };
    classifier.dispose();
    const writer = await OnlineClassifier.create(options);
    await learnAll(writer, [0]);
    checkpoint = await writer.checkpoint({ offsets: { '0': 8 } });
    writer.dispose();
  });

  it('restored into a fresh classifier, continues exactly like an uninterrupted run', async () => {
    const resumed = await OnlineClassifier.create(options);
    expect(await resumed.restore(checkpoint)).toEqual({ offsets: { '0': 8 } });
    const losses = await learnAll(resumed, [1, 2]);
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(uninterrupted.losses[i + 1], 5));
    expect(maxDifference(await weightsOf(resumed), uninterrupted.weights)).toBeLessThan(1e-5);
    resumed.dispose();
  });

  it('holds the optimizer state the next steps depend on', async () => {
    // Dropping the state (Adam's moments, the iteration count) changes the continuation for Adam;
    // SGD has none that matters, which the same check confirms.
    const contents = decodeCheckpoint(await decompressCheckpoint(checkpoint));
    const stateless = encodeCheckpoint({ ...contents, optimizer: { ...contents.optimizer, iterations: 0 }, slots: [] });
    const resumed = await OnlineClassifier.create(options);
    await resumed.restore(stateless);
    await learnAll(resumed, [1, 2]);
    const difference = maxDifference(await weightsOf(resumed), uninterrupted.weights);
    if (optimizer === 'adam') {
      expect(contents.slots).toHaveLength(2 * 6);
      expect(contents.optimizer.iterations).toBe(1);
      expect(difference).toBeGreaterThan(1e-4);
    } else {
      expect(contents.slots).toHaveLength(0);
      expect(difference).toBeLessThan(1e-5);
    }
    resumed.dispose();
  });
});

describe('checkpoint portability and validation', () => {
  it('restores a checkpoint written on wasm on the cpu backend', async () => {
    const options = { ...base, optimizer: 'adam' as const, learningRate: 0.001 };
    const writer = await OnlineClassifier.create(options);
    await learnAll(writer, [0]);
    const checkpoint = await writer.checkpoint();
    writer.dispose();
    // Through selectBackend, as the app does: it also keeps tfjs's "install our node backend" banner out.
    await selectBackend('cpu', () => undefined);
    try {
      const reader = await OnlineClassifier.create(options);
      expect(reader.backendName).toBe('cpu');
      await reader.restore(checkpoint);
      const rewritten = decodeCheckpoint(await decompressCheckpoint(await reader.checkpoint()));
      const original = decodeCheckpoint(await decompressCheckpoint(checkpoint));
      expect(maxDifference(rewritten.weights.map((w) => w.values), original.weights.map((w) => w.values))).toBe(0);
      expect(maxDifference(rewritten.slots.map((s) => s.values), original.slots.map((s) => s.values))).toBe(0);
      expect(rewritten.slots.map((s) => s.name)).toEqual(original.slots.map((s) => s.name));
      reader.dispose();
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('fails with a clear error on truncated or corrupt bytes and leaves the model unchanged', async () => {
    const classifier = await OnlineClassifier.create(base);
    await learnAll(classifier, [0]);
    // The checkpoint file itself, as stored before compression (restore takes it as it is).
    const good = await decompressCheckpoint(await classifier.checkpoint());
    const flipped = good.slice();
    flipped[flipped.length - 3] ^= 0x10;
    const badMagic = good.slice();
    badMagic[0] = 0x58;
    await expect(classifier.restore(good.subarray(0, good.length - 1))).rejects.toThrow(/invalid checkpoint: expected \d+ data bytes, found \d+/);
    await expect(classifier.restore(good.subarray(0, 40))).rejects.toThrow(/invalid checkpoint: the header needs/);
    await expect(classifier.restore(good.subarray(0, 6))).rejects.toBeInstanceOf(CheckpointFormatError);
    await expect(classifier.restore(flipped)).rejects.toThrow(/CRC-32/);
    await expect(classifier.restore(badMagic)).rejects.toThrow(/magic/);
    const compressed = await classifier.checkpoint();
    await expect(classifier.restore(compressed.subarray(0, compressed.length - 100))).rejects.toBeInstanceOf(CheckpointFormatError);
    const flippedCompressed = compressed.slice();
    flippedCompressed[compressed.length - 200] ^= 0x10;
    await expect(classifier.restore(flippedCompressed)).rejects.toBeInstanceOf(CheckpointFormatError);
    expect(Buffer.from(await decompressCheckpoint(await classifier.checkpoint())).equals(Buffer.from(good))).toBe(true);
    classifier.dispose();
  });

  it('refuses a checkpoint written by another configuration', async () => {
    const sgd = await OnlineClassifier.create(base);
    const adam = await OnlineClassifier.create({ ...base, optimizer: 'adam', learningRate: 0.001 });
    const fewerClasses = await OnlineClassifier.create({ ...base, classes: 5 });
    const checkpoint = await sgd.checkpoint();
    await expect(adam.restore(checkpoint)).rejects.toBeInstanceOf(CheckpointMismatchError);
    await expect(fewerClasses.restore(checkpoint)).rejects.toThrow(/output\/kernel \[100, 10\], the model has output\/kernel \[100, 5\]/);
    [sgd, adam, fewerClasses].forEach((c) => c.dispose());
  });
});
