// The full MNIST topology with the real TensorFlow.js OnlineClassifier (wasm backend), on small
// 8x8 synthetic images so that it stays fast: 200 examples and 2 bad records, windows of 50.
import { OnlineClassifier, selectBackend } from '../../../model';
import { syntheticWindow } from '../../../model/synthetic';
import { DLQ_HEADERS } from '../../../processors/decode';
import type { WindowMetrics } from '../../../processors/types';
import { jsonSerde, mnistRecordKey, mnistRecordSerde, stringSerde } from '../../../serdes';
import { buildMnistTopology, type MnistTopologyOptions } from '../../../processors/mnist-topology';
import { TopologyTestDriver, type TestRecord } from '../../../topology/test-driver';

const SIZE = 8;
const CLASSES = 10;
const WINDOW = 50;

const examples = syntheticWindow(4 * WINDOW, SIZE, CLASSES, 1);
const serde = mnistRecordSerde({ classes: CLASSES, imageSize: SIZE });
const good = (i: number) => ({
  key: Buffer.from(mnistRecordKey(i)),
  value: serde.serialize({ pixels: examples.images.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE), label: examples.labels[i] ?? 0, size: SIZE }),
});
const nullValue = { key: Buffer.from('bad-1'), value: null };
const wrongLength = { key: Buffer.from('bad-2'), value: Buffer.from([1, 2, 3]) };
/** 202 input records: a null value at offset 30, a value of the wrong length at offset 121. */
const input = [
  ...Array.from({ length: 30 }, (_, i) => good(i)),
  nullValue,
  ...Array.from({ length: 90 }, (_, i) => good(30 + i)),
  wrongLength,
  ...Array.from({ length: 80 }, (_, i) => good(120 + i)),
];

const holdout = syntheticWindow(100, SIZE, CLASSES, 2);

function options(lines: string[]): MnistTopologyOptions {
  return {
    appId: 'mnist-test',
    topics: { source: 'mnist', metrics: 'metrics', deadLetter: 'dlq', changelog: '' },
    window: { maxRecords: WINDOW, maxMs: 0 },
    classes: CLASSES,
    imageSize: SIZE,
    holdout,
    evaluateEveryWindows: 2,
    commitEveryWindows: 1,
    exportDir: '',
    createLearner: () => OnlineClassifier.create({ imageSize: SIZE, classes: CLASSES, seed: 42, optimizer: 'adam', learningRate: 0.001, l2: 0, batchSize: null }),
    writeMetricsLine: (line) => lines.push(line),
  };
}

async function pipe(driver: TopologyTestDriver, records: typeof input) {
  for (const r of records) await driver.pipeRaw('mnist', r.key, r.value);
}

const committedMetrics = (driver: TopologyTestDriver): Array<TestRecord<string | null, WindowMetrics>> =>
  driver.createOutputTopic('metrics', stringSerde(), jsonSerde<WindowMetrics>()).readCommitted();

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('the MNIST topology with the real model', () => {
  const lines: string[] = [];
  let driver: TopologyTestDriver;
  let uninterrupted: WindowMetrics[] = [];

  beforeAll(async () => {
    driver = await TopologyTestDriver.create(buildMnistTopology(options(lines)));
    await pipe(driver, input);
    uninterrupted = committedMetrics(driver).map((r) => r.value);
  });

  it('trains windows whose metrics cover every input offset, contiguously, with running totals', () => {

    expect(uninterrupted.map((m) => [m.window, m.records, m.firstOffset, m.lastOffset, m.rejected, m.trainedTotal, m.rejectedTotal])).toEqual([
      [0, 50, 0, 50, 1, 50, 1],
      [1, 50, 51, 100, 0, 100, 1],
      [2, 50, 101, 151, 1, 150, 2],
      [3, 50, 152, 201, 0, 200, 2],
    ]);
    for (const m of uninterrupted) {
      expect(m).toMatchObject({ model: 'mnist-test', backend: 'wasm', closedBy: 'count' });
      expect(Number.isFinite(m.loss)).toBe(true);
      expect(m.prequentialAccuracy).toBeGreaterThanOrEqual(0);
      expect(m.prequentialAccuracy).toBeLessThanOrEqual(1);
    }
    expect(uninterrupted.map((m) => [m.holdoutAccuracy === null, m.holdoutSize])).toEqual([[true, 0], [false, 100], [true, 0], [false, 100]]);
    expect(driver.committedOffsets()).toContainEqual({ topic: 'mnist', partition: 0, offset: 202 });
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^\[mnist-test\] instance 0 window    3 \|   50 records \| loss \d\.\d{4} \| prequential .*holdout .*\(100\) \| trained 200 \|/);

    const dead = driver.io.read('dlq', { committedOnly: true });
    expect(dead.map((r) => [r.key?.toString(), r.value, r.headers.find((h) => h.key === DLQ_HEADERS.offset)?.value.toString()])).toEqual([
      ['bad-1', null, '30'],
      ['bad-2', Buffer.from([1, 2, 3]), '121'],
    ]);
  });

  it('after a crash, a restart over the same topics restores the model and its counters: the same windows, the same losses', async () => {
    const printed: string[] = [];
    const first = await TopologyTestDriver.create(buildMnistTopology(options(printed)));
    await pipe(first, input.slice(0, 130)); // windows 0 and 1 committed, window 2 half full

    const second = await TopologyTestDriver.create(buildMnistTopology(options(printed)), { io: first.io });
    await second.advanceWallClockTime(0);
    await pipe(second, input.slice(130));
    const restarted = committedMetrics(second).map((r) => r.value);

    expect(restarted.map((m) => m.window)).toEqual([0, 1, 2, 3]);
    expect(restarted.map((m) => [m.firstOffset, m.lastOffset, m.trainedTotal, m.rejectedTotal])).toEqual(
      uninterrupted.map((m) => [m.firstOffset, m.lastOffset, m.trainedTotal, m.rejectedTotal]),
    );
    restarted.forEach((m, i) => {
      expect(m.loss).toBeCloseTo(uninterrupted[i]?.loss ?? NaN, 5);
      expect(m.holdoutAccuracy ?? -1).toBeCloseTo(uninterrupted[i]?.holdoutAccuracy ?? -1, 5);
    });
    // the metrics log may print the last committed window again after the crash, never skip one
    expect([...new Set(printed.map((l) => Number(/window +(\d+)/.exec(l)?.[1])))]).toEqual([0, 1, 2, 3]);
  });
});
