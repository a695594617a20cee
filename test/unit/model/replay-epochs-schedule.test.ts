// Replay, passes and the learning-rate schedule, on the real classifier (wasm) with small 8x8
// synthetic windows: deterministic for a seed, restored from a checkpoint they continue exactly
// like an uninterrupted run, and prequential scores count each new record once, never a
// replayed one.
import { OnlineClassifier, selectBackend, type ClassifierOptions } from '../../../model';
import { decompressCheckpoint } from '../../../model/checkpoint-compression';
import { decodeCheckpoint } from '../../../model/checkpoint-format';
import { learningRateAt } from '../../../model/learning-rate-schedule';
import { SeededRandom } from '../../../model/random';
import { ReplayBuffer } from '../../../model/replay-buffer';
import { syntheticWindow } from '../../../model/synthetic';
import { PLAIN_TRAINING, type TrainingOptions } from '../../../model/training-options';

const SIZE = 8;
const training: TrainingOptions = {
  epochs: 2,
  replay: { policy: 'reservoir', size: 50, ratio: 0.5 },
  schedule: { warmupRecords: 40, decay: 'exponential', halfLifeRecords: 100 },
  drift: { detector: 'adwin', delta: 0.002, reaction: 'raise-learning-rate', boostFactor: 3, boostRecords: 40 },
};
const options: ClassifierOptions = { imageSize: SIZE, classes: 10, seed: 9, optimizer: 'adam', learningRate: 0.01, l2: 1e-4, batchSize: 10, training };
const windows = [1, 2, 3, 4, 5].map((seed) => syntheticWindow(40, SIZE, 10, seed));

async function learnAll(classifier: OnlineClassifier, which: readonly number[]): Promise<Array<[number, number]>> {
  const out: Array<[number, number]> = [];
  for (const i of which) {
    const r = await classifier.learn(windows[i].images, windows[i].labels, windows[i].count);
    out.push([r.loss, r.accuracy]);
  }
  return out;
}

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('replay, passes and schedule', () => {
  it('are deterministic for a seed, and the seed matters', async () => {
    const runs = [];
    for (const seed of [9, 9, 10]) {
      const classifier = await OnlineClassifier.create({ ...options, seed });
      runs.push({ metrics: await learnAll(classifier, [0, 1, 2, 3]), checkpoint: decodeCheckpoint(await decompressCheckpoint(await classifier.checkpoint())) });
      classifier.dispose();
    }
    expect(runs[1].metrics).toEqual(runs[0].metrics);
    expect(runs[1].checkpoint).toEqual(runs[0].checkpoint);
    expect(runs[2].metrics).not.toEqual(runs[0].metrics);
    // The buffer holds 50 of the 160 records seen, as the checkpoint shows.
    expect(runs[0].checkpoint.training).toMatchObject({ recordsSeen: 160, replay: { policy: 'reservoir', capacity: 50, size: 50, seen: 160 } });
    expect(runs[0].checkpoint.blobs?.map((b) => [b.name, b.bytes.length])).toEqual([['replay/images', 50 * SIZE * SIZE], ['replay/labels', 50]]);
  });

  it('survive a checkpoint and restore: the continuation equals the uninterrupted run', async () => {
    const uninterrupted = await OnlineClassifier.create(options);
    const all = await learnAll(uninterrupted, [0, 1, 2, 3, 4]);
    const end = decodeCheckpoint(await decompressCheckpoint(await uninterrupted.checkpoint()));
    uninterrupted.dispose();

    const writer = await OnlineClassifier.create(options);
    await learnAll(writer, [0, 1]);
    const checkpoint = await writer.checkpoint();
    writer.dispose();
    const resumed = await OnlineClassifier.create(options);
    await resumed.restore(checkpoint);
    const rest = await learnAll(resumed, [2, 3, 4]);
    const resumedEnd = decodeCheckpoint(await decompressCheckpoint(await resumed.checkpoint()));
    resumed.dispose();

    rest.forEach(([loss, accuracy], i) => {
      expect(loss).toBeCloseTo(all[i + 2][0], 5);
      expect(accuracy).toBe(all[i + 2][1]);
    });
    expect(resumedEnd.training).toEqual(end.training);
    expect(resumedEnd.blobs).toEqual(end.blobs);
    resumedEnd.weights.forEach((w, t) => w.values.forEach((v, i) => expect(Math.abs(v - end.weights[t].values[i])).toBeLessThan(1e-5)));
  });

  it('score only new records: with replay, a window learned in one step scores what evaluate() scores just before', async () => {
    const classifier = await OnlineClassifier.create({ ...options, batchSize: null, training: { ...training, replay: { policy: 'recent', size: 100, ratio: 2 } } });
    await learnAll(classifier, [0, 1]);
    for (const w of [windows[2], windows[3]]) {
      const before = await classifier.evaluate(w.images, w.labels, w.count);
      const learned = await classifier.learn(w.images, w.labels, w.count);
      // 40 new records plus 80 replayed ones went into the step; only the 40 were scored.
      expect(learned.count).toBe(40);
      expect(learned.accuracy).toBeCloseTo(before.accuracy, 10);
      expect(learned.loss).toBeCloseTo(before.loss, 5);
    }
    classifier.dispose();
  });

  it('leave plain training unchanged when off: PLAIN_TRAINING learns exactly like no training options', async () => {
    const plain = await OnlineClassifier.create({ ...options, training: undefined });
    const explicit = await OnlineClassifier.create({ ...options, training: PLAIN_TRAINING });
    expect(await learnAll(explicit, [0, 1])).toEqual(await learnAll(plain, [0, 1]));
    [plain, explicit].forEach((c) => c.dispose());
  });
});

describe('the learning-rate schedule', () => {
  const schedule = { base: 0.002, warmupRecords: 1000, halfLifeRecords: 10000 };
  it('warms up linearly from a tenth of the rate, then holds or decays with the records seen', () => {
    expect(learningRateAt({ ...schedule, decay: 'constant' }, 0)).toBeCloseTo(0.0002, 12);
    expect(learningRateAt({ ...schedule, decay: 'constant' }, 500)).toBeCloseTo(0.0011, 12);
    expect(learningRateAt({ ...schedule, decay: 'constant' }, 50000)).toBe(0.002);
    expect(learningRateAt({ ...schedule, decay: 'inverse' }, 11000)).toBeCloseTo(0.001, 12);
    expect(learningRateAt({ ...schedule, decay: 'exponential' }, 21000)).toBeCloseTo(0.0005, 12);
  });
});

describe('the replay buffer', () => {
  const pixels = 1;
  const stream = (n: number) => ({ images: Uint8Array.from({ length: n }, (_, i) => i % 256), labels: Uint8Array.from({ length: n }, (_, i) => i % 10) });

  it('reservoir: never holds more than its capacity, and keeps a spread sample of everything seen', () => {
    const buffer = new ReplayBuffer('reservoir', 100, pixels);
    const { images, labels } = stream(1000);
    const random = new SeededRandom(1);
    for (let start = 0; start < 1000; start += 50) buffer.add(images.subarray(start, start + 50), labels.subarray(start, start + 50), 50, random);
    expect(buffer.size).toBe(100);
    const kept = Array.from(buffer.contents().images);
    // Uniform over 0..999 (stored mod 256): both early and late records are there.
    expect(kept.filter((v) => v < 50).length).toBeGreaterThan(0);
    expect(buffer.state()).toMatchObject({ size: 100, seen: 1000 });
  });

  it('recent: keeps exactly the latest records', () => {
    const buffer = new ReplayBuffer('recent', 10, pixels);
    const { images, labels } = stream(25);
    buffer.add(images, labels, 25, new SeededRandom(1));
    expect(Array.from(buffer.contents().images).sort((a, b) => a - b)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  });

  it('refuses to restore a buffer of another policy or size, naming both', () => {
    const state = new ReplayBuffer('recent', 10, pixels).state();
    expect(() => new ReplayBuffer('reservoir', 20, pixels).restore(state, new Uint8Array(0), new Uint8Array(0))).toThrow(
      'it holds a recent replay buffer of 10, this model uses reservoir of 20',
    );
  });
});
