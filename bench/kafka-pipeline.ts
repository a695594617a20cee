import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { loadConfig, type AppConfig, type DeepPartial } from '../config/load';
import { learnerFactory, mnistAppOptions, mnistTopics, mnistTopology } from '../cli/mnist-app';
import { produceMnist } from '../cli/mnist-producer';
import type { TrainerStore } from '../processors/trainer-store';
import type { Learner } from '../processors/types';
import { ensureTopics } from '../topology/kafka/admin';
import { KafkaStreamsApp } from '../topology/kafka/app';
import { createLogger } from '../topology/logger';
import { TRAINER_STORE } from '../processors/mnist-topology';

export interface PipelineResult {
  readonly label: string;
  readonly records: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /**
   * From the end of the first window to the last record: without the start (group join, first
   * fetch), which a short run of a fast pipeline would otherwise mostly measure.
   */
  readonly steadyRecordsPerSecond: number;
  readonly commits: number;
  readonly meanCommitMs: number;
  readonly checkpointBytes: number;
  /** Resident memory at a quarter of the run and at its end: flat when nothing buffers. */
  readonly rssMiB: readonly [number, number];
  /** Process CPU time (all threads: ours and the Kafka client's) per record, start to end. */
  readonly cpuMicrosPerRecord: number;
  /** The machine's 1-minute load average at the end: on a shared machine, how much else ran. */
  readonly loadAverage: number;
  /** Wall time inside the learner's verbs, ms: what is left of `seconds` is the Kafka path's. */
  readonly learnerMs: LearnerTime;
}

export interface LearnerTime {
  learn: number;
  evaluate: number;
  checkpoint: number;
}

/** The learner, with the wall time of its learn, evaluate and checkpoint added up into `spent`. */
function timedLearner(learner: Learner, spent: LearnerTime): Learner {
  const time = async <T>(verb: keyof LearnerTime, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      spent[verb] += performance.now() - started;
    }
  };
  return {
    backendName: learner.backendName,
    learn: (...args) => time('learn', () => learner.learn(...args)),
    evaluate: (...args) => time('evaluate', () => learner.evaluate(...args)),
    checkpoint: (...args) => time('checkpoint', () => learner.checkpoint(...args)),
    restore: (bytes) => learner.restore(bytes),
    weights: () => learner.weights(),
    setWeights: (weights) => learner.setWeights(weights),
    exportTo: (dir) => learner.exportTo(dir),
    dispose: () => learner.dispose(),
  };
}

/** A config of its own for one benchmark run: fresh topics and group. */
export function benchConfig(brokers: string, overrides: DeepPartial<AppConfig>): AppConfig {
  const id = `bench-${randomUUID().slice(0, 8)}`;
  return loadConfig({
    file: 'prod.json',
    env: {},
    overrides: { ...overrides, app: { id }, kafka: { brokers }, topics: { source: `${id}-mnist`, metrics: `${id}-metrics`, deadLetter: `${id}-dlq`, changelog: '' }, log: { level: 'warn' } },
  });
}

/** Producer throughput at --delay 0: the whole training set into a fresh topic. */
export async function producerThroughput(brokers: string, records: number): Promise<ProducerFigures & { readonly topic: string }> {
  const config = benchConfig(brokers, {});
  await ensureTopics(brokers, mnistTopics(config).slice(0, 1), createLogger('warn'));
  const cpu = process.cpuUsage();
  const result = await produceMnist({ brokers, topic: config.topics.source, set: 'train', delayMs: 0, limit: records, epochs: Math.ceil(records / 60000) });
  return {
    topic: config.topics.source,
    sent: result.sent,
    seconds: result.seconds,
    recordsPerSecond: result.sent / result.seconds,
    cpuMicrosPerRecord: cpuMicros(cpu) / records,
    loadAverage: os.loadavg()[0] ?? 0,
  };
}

export interface ProducerFigures {
  readonly sent: number;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /** As PipelineResult's, loading the data set and encoding the records included. */
  readonly cpuMicrosPerRecord: number;
  readonly loadAverage: number;
}

/** CPU time of this process since `since` (process.cpuUsage()), in microseconds. */
function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/**
 * A learner that learns nothing, in no time: the pipeline around it (consume, decode, window,
 * metrics, transactions) is then what is measured.
 */
export function idleLearner(): Learner {
  return {
    backendName: 'none',
    learn: async (_images, _labels, count) => ({ loss: 0, accuracy: 0, count }),
    evaluate: async () => ({ accuracy: 0, loss: 0 }),
    checkpoint: async () => new Uint8Array(16),
    restore: async () => undefined,
    weights: async () => [],
    setWeights: async () => undefined,
    exportTo: async () => undefined,
    dispose: () => undefined,
  };
}

/**
 * Trains on an already filled topic from its start, timing the whole run from start to the last
 * record; `createLearner` replaces the configured model (see idleLearner).
 */
export async function trainFromTopic(label: string, config: AppConfig, records: number, createLearner?: () => Promise<Learner>): Promise<PipelineResult> {
  const log = createLogger('warn', label);
  const create = createLearner ?? (await learnerFactory(config, log));
  const learnerMs: LearnerTime = { learn: 0, evaluate: 0, checkpoint: 0 };
  const topology = mnistTopology(config, async () => timedLearner(await create(), learnerMs), null);
  const cpu = process.cpuUsage();
  const app = await KafkaStreamsApp.start(mnistAppOptions(config, topology, log));
  const started = performance.now();
  const running = app.run();
  const store = () => app.task.getStateStore<TrainerStore>(TRAINER_STORE);
  const done = () => store().counters.trainedTotal + store().counters.rejectedTotal;
  const tick = () => new Promise((r) => setTimeout(r, 2));
  while (done() === 0) await tick();
  const firstWindow = { at: performance.now(), records: done() };
  while (done() < records / 4) await tick();
  const rssEarly = process.memoryUsage().rss / 2 ** 20;
  while (done() < records) await tick();
  const rssLate = process.memoryUsage().rss / 2 ** 20;
  const ended = performance.now();
  const cpuMicrosPerRecord = cpuMicros(cpu) / records;
  const seconds = (ended - started) / 1000;
  const stats = { ...app.task.commitStats };
  app.stop();
  await running;
  return {
    label,
    records,
    seconds,
    recordsPerSecond: records / seconds,
    steadyRecordsPerSecond: (records - firstWindow.records) / ((ended - firstWindow.at) / 1000),
    commits: stats.commits,
    meanCommitMs: stats.commits ? stats.totalMs / stats.commits : 0,
    checkpointBytes: stats.lastCheckpointBytes,
    rssMiB: [rssEarly, rssLate],
    cpuMicrosPerRecord,
    loadAverage: os.loadavg()[0] ?? 0,
    learnerMs: { ...learnerMs },
  };
}
