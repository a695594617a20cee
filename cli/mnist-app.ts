import type { AppConfig } from '../config/load';
import { loadMnist } from '../data';
import { OnlineClassifier, selectBackend } from '../model';
import { averageIntoReplica } from '../model/parameter-average';
import type { TrainingOptions } from '../model/training-options';
import type { HoldoutSet } from '../processors/train';
import type { Learner } from '../processors/types';
import { changelogTopicConfig, type TopicSpec } from '../topology/kafka/admin';
import type { KafkaAppOptions } from '../topology/kafka/app';
import { MAX_RECORD_BYTES, type ClientSettings } from '../topology/kafka/settings';
import { buildMnistTopology, modelSyncTopic, trainerChangelogTopic, type MnistSyncOptions } from '../processors/mnist-topology';
import type { Logger } from '../topology/processor';
import type { Topology } from '../topology/topology';

/** The first `size` test images: what holdout accuracy is measured on. */
export function holdoutSet(size: number): HoldoutSet {
  if (size === 0) return { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };
  const test = loadMnist('test');
  const count = Math.min(size, test.count);
  const pixels = test.rows * test.cols;
  return { images: test.images.subarray(0, count * pixels), labels: test.labels.subarray(0, count), count };
}

/** Chooses the TensorFlow.js backend once per process and returns a factory of learners. */
export async function learnerFactory(config: AppConfig, log: Logger): Promise<() => Promise<Learner>> {
  await selectBackend(config.model.backend, (line) => log.info(line));
  const m = config.model;
  return () =>
    OnlineClassifier.create({
      imageSize: m.imageSize,
      classes: m.classes,
      seed: m.seed,
      optimizer: m.optimizer,
      learningRate: m.learningRate,
      l2: m.l2,
      batchSize: m.batchSize,
      architecture: m.architecture,
      training: trainingOptions(config),
    });
}

/** The config's training and drift sections in the model's terms. */
export function trainingOptions(config: AppConfig): TrainingOptions {
  const t = config.training;
  return {
    epochs: t.epochs,
    replay: { policy: t.replayPolicy, size: t.replaySize, ratio: t.replayRatio },
    schedule: { warmupRecords: t.warmupRecords, decay: t.decay, halfLifeRecords: t.halfLifeRecords },
    drift: config.drift,
  };
}

export function mnistTopology(config: AppConfig, createLearner: () => Promise<Learner>, writeMetricsLine: ((line: string) => void) | null): Topology {
  return buildMnistTopology({
    appId: config.app.id,
    instance: config.app.instance,
    topics: config.topics,
    window: config.window,
    classes: config.model.classes,
    imageSize: config.model.imageSize,
    holdout: holdoutSet(config.evaluation.holdoutSize),
    evaluateEveryWindows: config.evaluation.everyWindows,
    commitEveryWindows: config.commit.everyWindows,
    exportDir: config.model.exportDir,
    createLearner,
    writeMetricsLine,
    sync: syncOptions(config),
  });
}

/** Model sync with the other instances of the app.id, when `sync.enabled`. */
function syncOptions(config: AppConfig): MnistSyncOptions | null {
  const { enabled, everyWindows, intervalMs, peerTimeoutMs } = config.sync;
  if (!enabled) return null;
  return { everyWindows, intervalMs, peerTimeoutMs, averaging: { average: averageIntoReplica } };
}

export function clientSettings(config: AppConfig): ClientSettings {
  return {
    brokers: config.kafka.brokers,
    appId: config.app.id,
    instance: config.app.instance,
    exactlyOnce: config.processing.guarantee === 'exactly_once',
    consumer: config.kafka.consumer,
    producer: config.kafka.producer,
  };
}

/** How the MNIST topology runs on the brokers of `config`. */
export function mnistAppOptions(config: AppConfig, topology: Topology, log: Logger): KafkaAppOptions {
  return { settings: clientSettings(config), topology, topics: mnistTopics(config), log, commitIntervalMs: config.commit.intervalMs };
}

/** Every topic the MNIST app reads or writes, created at start when missing. */
export function mnistTopics(config: AppConfig): TopicSpec[] {
  const rf = config.kafka.replicationFactor;
  const large = { 'max.message.bytes': String(MAX_RECORD_BYTES) };
  return [
    // A bad record may be large (it is kept byte for byte): source and dead-letter take what a checkpoint may.
    { name: config.topics.source, partitions: config.kafka.partitions, replicationFactor: rf, config: large },
    { name: config.topics.metrics, partitions: 1, replicationFactor: rf },
    { name: config.topics.deadLetter, partitions: 1, replicationFactor: rf, config: large },
    { name: trainerChangelogTopic({ appId: config.app.id, topics: config.topics }), partitions: 1, replicationFactor: rf, config: changelogTopicConfig() },
    // Compacted like a changelog (the latest publication per instance), and a publication of
    // the CNN's weights (~2.2 MB) needs the changelog's record size too.
    ...(config.sync.enabled ? [{ name: modelSyncTopic(config.app.id), partitions: 1, replicationFactor: rf, config: changelogTopicConfig() }] : []),
  ];
}
