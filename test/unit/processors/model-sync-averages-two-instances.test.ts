// Two instances of one app, each with its own source topic (as a consumer group gives each its
// own partitions) and the real TensorFlow.js model (wasm, 8x8 synthetic images), sharing the
// model-sync topic in memory: their replicas end on the record-weighted average.
import { OnlineClassifier, selectBackend } from '../../../model';
import type { CheckpointTensor } from '../../../model/checkpoint-format';
import { averageIntoReplica, averageParameters, parameterDistance } from '../../../model/parameter-average';
import { syntheticWindow } from '../../../model/synthetic';
import { buildMnistTopology, SYNC_STATE_STORE, TRAINER_STORE, type MnistSyncOptions } from '../../../processors/mnist-topology';
import type { SyncedWindowMetrics } from '../../../processors/model-sync';
import type { ModelSyncState } from '../../../processors/model-sync-state';
import type { TrainerStore } from '../../../processors/trainer-store';
import { jsonSerde, mnistRecordKey, mnistRecordSerde, stringSerde } from '../../../serdes';
import type { MemoryIO } from '../../../topology/memory-io';
import { TopologyTestDriver } from '../../../topology/test-driver';

const SIZE = 8;
const CLASSES = 10;
const WINDOW = 50;
const INTERVAL_MS = 1000;
const PEER_TIMEOUT_MS = 60000;
const serde = mnistRecordSerde({ classes: CLASSES, imageSize: SIZE });
const holdout = syntheticWindow(100, SIZE, CLASSES, 2);

type Sync = Pick<MnistSyncOptions, 'everyWindows'>;

function instance(name: string, sync: Sync, shared: { topicsOf?: MemoryIO; io?: MemoryIO } = {}): Promise<TopologyTestDriver> {
  const topology = buildMnistTopology({
    appId: 'mnist-test',
    topics: { source: `mnist-${name}`, metrics: `metrics-${name}`, deadLetter: 'dlq', changelog: `changelog-${name}` },
    window: { maxRecords: WINDOW, maxMs: 0 },
    classes: CLASSES,
    imageSize: SIZE,
    holdout,
    evaluateEveryWindows: 1000,
    commitEveryWindows: 1,
    exportDir: '',
    createLearner: () => OnlineClassifier.create({ imageSize: SIZE, classes: CLASSES, seed: 42, optimizer: 'adam', learningRate: 0.01, l2: 0, batchSize: null }),
    writeMetricsLine: null,
    instance: name === 'a' ? 1 : 2,
    sync: { intervalMs: INTERVAL_MS, peerTimeoutMs: PEER_TIMEOUT_MS, averaging: { average: averageIntoReplica }, ...sync },
  });
  return TopologyTestDriver.create(topology, shared);
}

/** `windows` full windows of synthetic examples drawn with `seed`, into the instance's source topic. */
async function train(driver: TopologyTestDriver, name: string, windows: number, seed: number): Promise<void> {
  const examples = syntheticWindow(windows * WINDOW, SIZE, CLASSES, seed);
  for (let i = 0; i < windows * WINDOW; i++) {
    const value = serde.serialize({ pixels: examples.images.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE), label: examples.labels[i] ?? 0, size: SIZE });
    await driver.pipeRaw(`mnist-${name}`, Buffer.from(mnistRecordKey(i)), value);
  }
}

const parameters = async (driver: TopologyTestDriver): Promise<readonly CheckpointTensor[]> =>
  driver.getStateStore<TrainerStore>(TRAINER_STORE).learner.weights();

const metrics = (driver: TopologyTestDriver, name: string): SyncedWindowMetrics[] =>
  driver.createOutputTopic(`metrics-${name}`, stringSerde(), jsonSerde<SyncedWindowMetrics>()).readCommitted().map((r) => r.value);

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('model sync between two instances', () => {
  it('brings both replicas to the average of their parameters weighted by the records each trained', async () => {
    const a = await instance('a', { everyWindows: 0 });
    const b = await instance('b', { everyWindows: 0 }, { topicsOf: a.io });
    await train(a, 'a', 2, 10);
    await train(b, 'b', 1, 20);
    const [localA, localB] = [await parameters(a), await parameters(b)];
    const expected = averageParameters([{ weights: localA, weight: 100 }, { weights: localB, weight: 50 }]);
    expect(parameterDistance(localA, localB)).toBeGreaterThan(1e-3);

    await a.advanceWallClockTime(INTERVAL_MS); // a publishes its 100 records' parameters, no peer yet
    await b.advanceWallClockTime(0); // b averages them with its own 50 records' and publishes
    await a.advanceWallClockTime(INTERVAL_MS); // a, idle, takes in b's publication

    expect(parameterDistance(await parameters(b), expected)).toBeLessThan(1e-6);
    expect(parameterDistance(await parameters(a), expected)).toBeLessThan(1e-6);
    expect(a.io.read('mnist-test-model-sync', { committedOnly: true }).map((r) => r.key?.toString())).toEqual(['1', '2']);
  });

  it('reports after a sync the averaged model\'s holdout accuracy and the peers averaged; a silent peer drops out', async () => {
    const a = await instance('a', { everyWindows: 1 });
    const b = await instance('b', { everyWindows: 1 }, { topicsOf: a.io });
    await train(a, 'a', 1, 10); // a publishes, then says nothing for longer than the peer timeout
    a.io.clock.advance(PEER_TIMEOUT_MS + 1);
    await train(b, 'b', 1, 20); // a's publication is too old: b averages no one
    await train(a, 'a', 1, 30); // a publishes again
    await train(b, 'b', 1, 40);

    expect(metrics(b, 'b').map((m) => [m.window, m.sync?.peers, m.sync?.records, m.holdoutSize])).toEqual([
      [0, 0, 50, 100],
      [1, 1, 50, 100],
    ]);
    const { accuracy } = await b.getStateStore<TrainerStore>(TRAINER_STORE).learner.evaluate(holdout.images, holdout.labels, holdout.count);
    expect(metrics(b, 'b')[1]?.holdoutAccuracy).toBeCloseTo(accuracy, 6);
  });

  it('keeps its progress across a restart: records since the last sync, and which publications it averaged', async () => {
    const a = await instance('a', { everyWindows: 0 });
    const b = await instance('b', { everyWindows: 0 }, { topicsOf: a.io });
    await train(a, 'a', 1, 10);
    await a.advanceWallClockTime(INTERVAL_MS);
    await b.advanceWallClockTime(0);
    await train(b, 'b', 1, 20); // committed with the window; not synced yet
    const before = { ...b.getStateStore<ModelSyncState>(SYNC_STATE_STORE).progress };
    expect(before).toMatchObject({ records: 50, windows: 1, sequence: 0, averaged: { '1': INTERVAL_MS } });

    const restarted = await instance('b', { everyWindows: 0 }, { io: b.io });
    expect(restarted.getStateStore<ModelSyncState>(SYNC_STATE_STORE).progress).toEqual(before);
  });
});
