// The trainer's bookkeeping through the full MNIST topology, with a tiny deterministic fake
// Learner (no TensorFlow.js) so that every number can be asserted exactly. The real model runs
// in mnist-topology-trains-and-restores.test.ts.
import type { HoldoutSet } from '../../../processors/train';
import type { TrainerStore } from '../../../processors/trainer-store';
import type { JsonValue, Learner, ParameterTensor, WindowMetrics } from '../../../processors/types';
import { jsonSerde, mnistRecordKey, stringSerde } from '../../../serdes';
import { buildMnistTopology, TRAINER_STORE, type MnistTopologyOptions } from '../../../processors/mnist-topology';
import { AbortableError } from '../../../topology/stream-loop';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { CLASSES, IMAGE_SIZE, mnistValue } from './support';

/**
 * Remembers how many examples it learned and of which label; "predicts" the most frequent label
 * so far. loss = 1 / (1 + seen). Its checkpoint is that state as JSON, with the extra.
 */
class CountingLearner implements Learner {
  readonly backendName = 'counting';
  readonly calls: string[] = [];
  private seen = 0;
  private byLabel = new Array<number>(CLASSES).fill(0);

  async learn(_images: Uint8Array, labels: Uint8Array, count: number) {
    this.calls.push(`learn ${count}`);
    const loss = 1 / (1 + this.seen);
    const guess = this.byLabel.indexOf(Math.max(...this.byLabel));
    const accuracy = labels.filter((l) => l === guess).length / count;
    for (const l of labels) this.byLabel[l] = (this.byLabel[l] ?? 0) + 1;
    this.seen += count;
    return { loss, accuracy, count };
  }

  async evaluate(_images: Uint8Array, labels: Uint8Array, count: number) {
    this.calls.push(`evaluate ${count}`);
    const guess = this.byLabel.indexOf(Math.max(...this.byLabel));
    return { accuracy: labels.filter((l) => l === guess).length / count, loss: 0 };
  }

  async checkpoint(extra: JsonValue = null): Promise<Uint8Array> {
    return Buffer.from(JSON.stringify({ seen: this.seen, byLabel: this.byLabel, extra }));
  }

  async weights(): Promise<readonly ParameterTensor[]> {
    return [];
  }

  async setWeights(): Promise<void> {}

  async restore(bytes: Uint8Array): Promise<JsonValue | undefined> {
    const state = JSON.parse(Buffer.from(bytes).toString('utf8')) as { seen: number; byLabel: number[]; extra: JsonValue };
    this.seen = state.seen;
    this.byLabel = state.byLabel;
    return state.extra;
  }

  async exportTo(dir: string): Promise<void> {
    this.calls.push(`export ${dir}`);
  }

  dispose(): void {
    this.calls.push('dispose');
  }
}

const holdout: HoldoutSet = { images: new Uint8Array(4 * IMAGE_SIZE * IMAGE_SIZE), labels: new Uint8Array([0, 0, 1, 1]), count: 4 };

function options(overrides: Partial<MnistTopologyOptions> = {}): MnistTopologyOptions {
  return {
    appId: 'fake',
    topics: { source: 'mnist', metrics: 'metrics', deadLetter: 'dlq', changelog: '' },
    window: { maxRecords: 4, maxMs: 0 },
    classes: CLASSES,
    imageSize: IMAGE_SIZE,
    holdout,
    evaluateEveryWindows: 1,
    commitEveryWindows: 1,
    exportDir: '',
    createLearner: async () => new CountingLearner(),
    writeMetricsLine: null,
    ...overrides,
  };
}

const metricsSerde = jsonSerde<WindowMetrics>();

async function start(o: MnistTopologyOptions, io?: TopologyTestDriver['io'], commitIntervalMs?: number) {
  const driver = await TopologyTestDriver.create(buildMnistTopology(o), { io, ...(commitIntervalMs === undefined ? {} : { commitIntervalMs }) });
  const metrics = driver.createOutputTopic('metrics', stringSerde(), metricsSerde);
  const send = async (labels: readonly number[]) => {
    for (const label of labels) await driver.pipeRaw('mnist', Buffer.from(mnistRecordKey(label)), mnistValue(label));
  };
  return { driver, metrics, send, learner: () => driver.getStateStore<TrainerStore>(TRAINER_STORE).learner as CountingLearner };
}

const committedWindows = (metrics: Awaited<ReturnType<typeof start>>['metrics']) => metrics.readCommitted().map((r) => r.value.window);

describe('the trainer', () => {
  it('emits one metrics record a window with the learner\'s prequential numbers and running totals', async () => {
    const { metrics, send, driver } = await start(options());
    await send([1, 1, 2, 3]);
    await driver.pipeRaw('mnist', null, Buffer.from('bad'));
    await send([1, 2, 2, 2]);
    const [first, second, ...rest] = metrics.readCommitted();
    expect(rest).toEqual([]);
    expect(first?.key).toBe('fake');
    expect(first?.value).toMatchObject({
      model: 'fake', window: 0, records: 4, rejected: 0, firstOffset: 0, lastOffset: 3,
      loss: 1, prequentialAccuracy: 0, holdoutAccuracy: 0.5, holdoutSize: 4, trainedTotal: 4, rejectedTotal: 0, backend: 'counting', closedBy: 'count',
    });
    expect(second?.value).toMatchObject({
      window: 1, records: 4, rejected: 1, firstOffset: 4, lastOffset: 8,
      loss: 0.2, prequentialAccuracy: 0.25, holdoutAccuracy: 0, trainedTotal: 8, rejectedTotal: 1, // guessed 1 of 1,2,2,2
    });
  });

  it('writes the JSON with model, window, loss and the accuracies first and the offsets last, as Kafdrop\'s one-line view shows it', async () => {
    const { send, driver } = await start(options());
    await send([1, 1, 2, 3]);
    const [raw] = driver.io.read('metrics', { committedOnly: true });
    const text = raw?.value?.toString('utf8') ?? '';
    expect(Object.keys(JSON.parse(text) as object).slice(0, 5)).toEqual(['model', 'instance', 'window', 'loss', 'prequentialAccuracy']);
    expect(Object.keys(JSON.parse(text) as object).slice(-3)).toEqual(['firstOffset', 'lastOffset', 'offsets']);
    expect(text.startsWith('{"model":"fake","instance":0,"window":0,"loss":1,"prequentialAccuracy":0,"holdoutAccuracy":0.5,')).toBe(true);
  });

  it('carries two speeds, named: arrival (the window\'s wall time, waiting included) and train (the training step alone)', async () => {
    const { metrics, driver } = await start(options({ window: { maxRecords: 4, maxMs: 10_000 } }));
    await driver.pipeRaw('mnist', Buffer.from('0'), mnistValue(1));
    await driver.advanceWallClockTime(2000); // a window that waits 2 s for records
    await driver.pipeRaw('mnist', Buffer.from('1'), mnistValue(1));
    await driver.advanceWallClockTime(8000); // closed by time: 2 records in 10 s
    const [window] = metrics.readCommitted().map((r) => r.value);
    expect(window).toMatchObject({ records: 2, closedBy: 'time', arrivalRecordsPerSecond: 0.2, recordsPerSecond: 0.2 });
    expect(window?.trainRecordsPerSecond).toBeGreaterThan(100); // the counting learner takes microseconds
  });

  it('evaluates the holdout after every evaluateEveryWindows-th window only', async () => {
    const { metrics, send, learner } = await start(options({ evaluateEveryWindows: 3 }));
    await send(new Array<number>(4 * 6).fill(1));
    expect(metrics.readCommitted().map((r) => [r.value.window, r.value.holdoutAccuracy, r.value.holdoutSize])).toEqual([
      [0, null, 0], [1, null, 0], [2, 0.5, 4], [3, null, 0], [4, null, 0], [5, 0.5, 4],
    ]);
    expect(learner().calls.filter((c) => c.startsWith('evaluate'))).toEqual(['evaluate 4', 'evaluate 4']);
  });

  it('asks for a commit after commit.everyWindows windows; the windows between stay uncommitted', async () => {
    const { metrics, send, driver } = await start(options({ commitEveryWindows: 3 }));
    await send(new Array<number>(4 * 5).fill(1));
    expect(committedWindows(metrics)).toEqual([0, 1, 2]);
    expect(metrics.readRecordsToList().map((r) => r.value.window)).toEqual([0, 1, 2, 3, 4]);
    expect(driver.committedOffsets()).toEqual([{ topic: 'mnist', partition: 0, offset: 12 }]);
  });

  it('with commitEveryWindows 0, is committed by the engine every commit interval, idle or not; the open window is not', async () => {
    const { metrics, send, driver } = await start(options({ commitEveryWindows: 0 }), undefined, 10_000);
    await send(new Array<number>(4 * 2 + 1).fill(1));
    expect(committedWindows(metrics)).toEqual([]);
    await driver.advanceWallClockTime(10_000); // no record comes: the clock alone commits
    expect(committedWindows(metrics)).toEqual([0, 1]);
    expect(driver.committedOffsets()).toEqual([{ topic: 'mnist', partition: 0, offset: 8 }]);
    await send(new Array<number>(3).fill(1));
    expect(committedWindows(metrics)).toEqual([0, 1]);
    await driver.advanceWallClockTime(10_000);
    expect(committedWindows(metrics)).toEqual([0, 1, 2]);
    expect(driver.committedOffsets()).toEqual([{ topic: 'mnist', partition: 0, offset: 12 }]);
  });

  it('does not call the learner for a window of rejected records only, and reports no loss for it', async () => {
    const { metrics, driver, learner } = await start(options({ window: { maxRecords: 4, maxMs: 1000 } }));
    await driver.pipeRaw('mnist', null, null);
    await driver.advanceWallClockTime(1000);
    expect(metrics.readCommitted().map((r) => r.value)).toEqual([
      expect.objectContaining({ window: 0, records: 0, rejected: 1, loss: null, prequentialAccuracy: null, trainedTotal: 0, rejectedTotal: 1, closedBy: 'time' }),
    ]);
    expect(learner().calls).toEqual(['evaluate 4']);
  });

  it('exports the model at each commit and at a stop when an export folder is set', async () => {
    const { send, driver, learner } = await start(options({ exportDir: '/tmp/model', commitEveryWindows: 2 }));
    await send(new Array<number>(4 * 3).fill(1));
    const calls = learner().calls;
    await driver.close();
    expect(calls.filter((c) => c.startsWith('export'))).toEqual(['export /tmp/model', 'export /tmp/model']);
    expect(calls.at(-1)).toBe('dispose');
  });

  it('restores its counters and its learner after a restart: window numbers continue', async () => {
    const first = await start(options({ commitEveryWindows: 2 }));
    await first.send(new Array<number>(4 * 3).fill(2)); // windows 0, 1 committed; window 2 is not
    const second = await start(options({ commitEveryWindows: 2 }), first.driver.io);
    expect(second.driver.getStateStore<TrainerStore>(TRAINER_STORE).counters).toEqual({ window: 2, trainedTotal: 8, rejectedTotal: 0 });
    await second.driver.advanceWallClockTime(0); // window 2 again, from its records
    await second.send(new Array<number>(4).fill(2));
    expect(second.metrics.readCommitted().map((r) => [r.value.window, r.value.firstOffset, r.value.trainedTotal, r.value.loss])).toEqual([
      [0, 0, 4, 1],
      [1, 4, 8, 1 / 5],
      [2, 8, 12, 1 / 9],
      [3, 12, 16, 1 / 13],
    ]);
  });

  it('after an AbortableError at a commit, redoes the windows since the last one exactly once', async () => {
    const { metrics, send, driver } = await start(options());
    await send(new Array<number>(4).fill(3));
    driver.io.failNextCommit = new AbortableError('fenced');
    await send(new Array<number>(4 * 2).fill(3));
    expect(metrics.readCommitted().map((r) => [r.value.window, r.value.firstOffset, r.value.trainedTotal])).toEqual([
      [0, 0, 4],
      [1, 4, 8],
      [2, 8, 12],
    ]);
  });
});
