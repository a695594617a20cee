// The MNIST topology on the mock driver with replay, two passes per window, a decaying learning
// rate and ADWIN on: a crash and restart resumes from the trainer checkpoint (replay buffer,
// generator and detector included) to exactly the metrics of an uninterrupted run, and the
// metrics count each input record once, however often it is replayed.
import { OnlineClassifier, selectBackend } from '../../../model';
import { syntheticWindow } from '../../../model/synthetic';
import type { TrainingOptions } from '../../../model/training-options';
import { buildMnistTopology, type MnistTopologyOptions } from '../../../processors/mnist-topology';
import type { WindowMetrics } from '../../../processors/types';
import { jsonSerde, mnistRecordKey, mnistRecordSerde, stringSerde } from '../../../serdes';
import { TopologyTestDriver } from '../../../topology/test-driver';

const SIZE = 8;
const WINDOW = 50;
const RECORDS = 250;
const examples = syntheticWindow(RECORDS, SIZE, 10, 3);
const serde = mnistRecordSerde({ classes: 10, imageSize: SIZE });
const training: TrainingOptions = {
  epochs: 2,
  replay: { policy: 'reservoir', size: 80, ratio: 1 },
  schedule: { warmupRecords: 50, decay: 'inverse', halfLifeRecords: 100 },
  drift: { detector: 'adwin', delta: 0.002, reaction: 'reset-optimizer', boostFactor: 1, boostRecords: 0 },
};

const options: MnistTopologyOptions = {
  appId: 'replay-test',
  topics: { source: 'mnist', metrics: 'metrics', deadLetter: 'dlq', changelog: '' },
  window: { maxRecords: WINDOW, maxMs: 0 },
  classes: 10,
  imageSize: SIZE,
  holdout: syntheticWindow(50, SIZE, 10, 4),
  evaluateEveryWindows: 1,
  commitEveryWindows: 1,
  exportDir: '',
  createLearner: () =>
    OnlineClassifier.create({ imageSize: SIZE, classes: 10, seed: 5, optimizer: 'adam', learningRate: 0.005, l2: 0, batchSize: 10, training }),
  writeMetricsLine: null,
};

async function pipe(driver: TopologyTestDriver, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const pixels = examples.images.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
    await driver.pipeRaw('mnist', Buffer.from(mnistRecordKey(i)), serde.serialize({ pixels, label: examples.labels[i] ?? 0, size: SIZE }));
  }
}

const committed = (driver: TopologyTestDriver): WindowMetrics[] =>
  driver.createOutputTopic('metrics', stringSerde(), jsonSerde<WindowMetrics>()).readCommitted().map((r) => r.value);

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

it('with replay on, a restart after a crash continues exactly like an uninterrupted run, counting each record once', async () => {
  const uninterrupted = await TopologyTestDriver.create(buildMnistTopology(options));
  await pipe(uninterrupted, 0, RECORDS);
  const expected = committed(uninterrupted);
  await uninterrupted.close();

  const first = await TopologyTestDriver.create(buildMnistTopology(options));
  await pipe(first, 0, 130); // windows 0 and 1 committed, window 2 partly read: the crash
  const second = await TopologyTestDriver.create(buildMnistTopology(options), { io: first.io });
  await second.advanceWallClockTime(0);
  await pipe(second, 130, RECORDS);
  const resumed = committed(second);
  await second.close();

  // Replayed records (80 a window, and a second pass) are not counted: records and totals are the input's.
  expect(expected.map((m) => [m.window, m.records, m.trainedTotal])).toEqual([0, 1, 2, 3, 4].map((w) => [w, WINDOW, (w + 1) * WINDOW]));
  expect(resumed.map((m) => [m.window, m.records, m.trainedTotal])).toEqual(expected.map((m) => [m.window, m.records, m.trainedTotal]));
  resumed.forEach((m, i) => {
    expect(m.loss).toBeCloseTo(expected[i].loss ?? NaN, 5);
    expect(m.prequentialAccuracy).toBe(expected[i].prequentialAccuracy);
    expect(m.holdoutAccuracy).toBe(expected[i].holdoutAccuracy);
    expect(m.drift).toEqual(expected[i].drift);
  });
  expect(expected.every((m) => m.drift !== null && m.drift.width > 0)).toBe(true);
});
