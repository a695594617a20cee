/**
 * Every configuration key: its doc, format, default and environment variable. The README's
 * key table is generated from here (`describeConfig()`), so the docs cannot drift.
 */
import type convict from 'convict';

import { checks, expectsOf, register, type Check } from './checks';
import {
  ARCHITECTURES,
  DRIFT_DETECTORS,
  DRIFT_REACTIONS,
  LEARNING_RATE_DECAYS,
  LOG_LEVELS,
  REPLAY_POLICIES,
  MODEL_BACKENDS,
  OPTIMIZERS,
  PROCESSING_GUARANTEES,
  type AppConfig,
} from './types';

interface SettingSpec<T> {
  readonly doc: string;
  readonly default: T;
  readonly env?: string;
}

function setting<T>(check: Check<T>, spec: SettingSpec<T>): convict.SchemaObj<T> {
  const base = { doc: spec.doc, format: register(check), default: spec.default };
  return spec.env === undefined ? base : { ...base, env: spec.env };
}

export const schema: convict.Schema<AppConfig> = {
  app: {
    id: setting(checks.appId, {
      doc: 'Application id: the consumer group, the prefix of transactional ids and of the changelog topic.',
      default: 'streamtrain-mnist',
      env: 'STREAMTRAIN_APP_ID',
    }),
    instance: setting(checks.nat, {
      doc: 'Number of this instance of the app (`npm start -- --instance N` sets it too): live instances of one app.id share its partitions and must differ; it names the transactional id and static member (`<app.id>-<instance>`), the checkpoint (`trainer/<instance>`) and every metrics record.',
      default: 0,
    }),
  },
  kafka: {
    brokers: setting(checks.brokers, {
      doc: 'Bootstrap brokers, comma-separated host:port.',
      default: '127.0.0.1:9092',
      env: 'KAFKA_BROKERS',
    }),
    consumer: setting(checks.librdkafka, {
      doc: 'Extra librdkafka consumer settings, passed through as given (e.g. `{"fetch.wait.max.ms": 100}`).',
      default: {},
    }),
    producer: setting(checks.librdkafka, {
      doc: 'Extra librdkafka producer settings, passed through as given (e.g. `{"linger.ms": 5}`).',
      default: {},
    }),
    partitions: setting(checks.positiveInt, {
      doc: 'Partitions of the source topic when the app creates it.',
      default: 1,
    }),
    replicationFactor: setting(checks.positiveInt, {
      doc: 'Replication factor of the topics the app creates.',
      default: 1,
    }),
  },
  topics: {
    source: setting(checks.topic, { doc: 'Topic of the MNIST records to learn from.', default: 'mnist' }),
    metrics: setting(checks.topic, { doc: 'Topic the metrics JSON of each window is written to.', default: 'mnist-metrics' }),
    deadLetter: setting(checks.topic, {
      doc: 'Topic that receives records which cannot be decoded, with the reason in headers.',
      default: 'mnist-dlq',
    }),
    changelog: setting(checks.topicOrEmpty, {
      doc: 'Changelog topic of the trainer state; "" means `<app.id>-trainer-changelog`.',
      default: '',
    }),
  },
  window: {
    maxRecords: setting(checks.positiveInt, {
      doc: 'A window closes, and the model trains on it, once it holds this many records.',
      default: 500,
    }),
    maxMs: setting(checks.nat, {
      doc: 'A window also closes this many milliseconds after its first record; 0 = on count only.',
      default: 5000,
    }),
  },
  model: {
    backend: setting(checks.oneOf('backend', MODEL_BACKENDS), {
      doc: 'TensorFlow.js backend; "auto" takes the fastest one installed.',
      default: 'auto',
    }),
    architecture: setting(checks.oneOf('architecture', ARCHITECTURES), {
      doc: "Network: the reference's CNN, or its MLP (dense 1000 ReLU, softmax). A checkpoint restores only into the architecture that wrote it.",
      default: 'cnn',
    }),
    optimizer: setting(checks.oneOf('optimizer', OPTIMIZERS), { doc: 'Optimizer.', default: 'adam' }),
    learningRate: setting(checks.positiveNumber, {
      doc: 'Learning rate of the optimizer (its peak, when `training.warmupRecords` and `training.decay` shape it).',
      default: 0.003,
    }),
    l2: setting(checks.nonNegativeNumber, {
      doc: "L2 regularization with DL4J's meaning: loss + l2/2 * sum(w^2) over weights, not biases; 0 = off.",
      default: 1e-4,
    }),
    seed: setting(checks.int, { doc: 'Seed of weight initialization and shuffling.', default: 1234 }),
    batchSize: setting(checks.nullablePositiveInt, {
      doc: 'Mini-batch size inside a window; null = the whole window is one step, like the reference.',
      default: 200,
    }),
    classes: setting(checks.classes, { doc: 'Number of classes (labels 0..classes-1).', default: 10 }),
    imageSize: setting(checks.positiveInt, {
      doc: 'Side of the square input images; records of another size go to the dead-letter topic.',
      default: 28,
    }),
    exportDir: setting(checks.string, {
      doc: 'Folder the model is saved to in TensorFlow.js format (model.json + weights.bin) at each commit and at stop; "" = no export.',
      default: '',
    }),
  },
  training: {
    epochs: setting(checks.positiveInt, {
      doc: 'Passes over each window; passes after the first draw shuffled mini-batches from a seeded generator.',
      default: 2,
    }),
    replaySize: setting(checks.nat, {
      doc: 'Past examples kept for replay (part of the trainer checkpoint, 785 bytes each); 0 = no replay.',
      default: 10000,
    }),
    replayRatio: setting(checks.nonNegativeNumber, {
      doc: 'Replayed examples added to each mini-batch per new example in it (0.5: 100 new + 50 replayed).',
      default: 0.5,
    }),
    replayPolicy: setting(checks.oneOf('replay-policy', REPLAY_POLICIES), {
      doc: 'Which examples the replay buffer keeps: a uniform sample of all seen (reservoir) or the latest.',
      default: 'reservoir',
    }),
    warmupRecords: setting(checks.nat, {
      doc: 'The learning rate climbs linearly from a tenth of `model.learningRate` to it over this many records; 0 = no warm-up.',
      default: 2000,
    }),
    decay: setting(checks.oneOf('decay', LEARNING_RATE_DECAYS), {
      doc: 'After the warm-up the rate stays (constant) or decays with the records seen: rate / (1 + t/h) (inverse) or rate * 2^(-t/h) (exponential).',
      default: 'exponential',
    }),
    halfLifeRecords: setting(checks.positiveInt, {
      doc: 'h above: the records after which a decaying rate has halved.',
      default: 15000,
    }),
  },
  drift: {
    detector: setting(checks.oneOf('detector', DRIFT_DETECTORS), {
      doc: "Drift detection on the prequential error of each record: ADWIN (river's), or off. Each metrics record reports it.",
      default: 'adwin',
    }),
    delta: setting(checks.probability, { doc: "ADWIN's confidence: smaller means fewer false alarms and later detections.", default: 0.002 }),
    reaction: setting(checks.oneOf('reaction', DRIFT_REACTIONS), {
      doc: "What a detected drift does: nothing, reset the optimizer's state, or multiply the learning rate by `drift.boostFactor` for `drift.boostRecords` records; both reactions also empty the replay buffer.",
      default: 'none',
    }),
    boostFactor: setting(checks.positiveNumber, { doc: 'Learning-rate multiplier of the raise-learning-rate reaction.', default: 3 }),
    boostRecords: setting(checks.nat, { doc: 'New records the raised learning rate lasts.', default: 5000 }),
  },
  evaluation: {
    holdoutSize: setting(checks.holdoutSize, {
      doc: 'Test-set images the model is scored on; 0 = no holdout evaluation.',
      default: 1000,
    }),
    everyWindows: setting(checks.positiveInt, { doc: 'Evaluate on the holdout every this many windows.', default: 10 }),
  },
  commit: {
    intervalMs: setting(checks.nat, {
      doc: "Commit (outputs, trainer checkpoint and input offsets, in one transaction) every this many ms of wall time, busy or idle, open window or not (Kafka Streams' commit.interval.ms); 0 = as soon as there is something to commit (after every window). At most half the producer's `transaction.timeout.ms` (60000 unless set in `kafka.producer`).",
      default: 5000,
    }),
    everyWindows: setting(checks.nat, { doc: 'Also commit after this many windows; 0 = off.', default: 0 }),
  },
  sync: {
    enabled: setting(checks.bool, {
      doc: 'Average the model with the other live instances of this app.id through the `<app.id>-model-sync` topic (see Scaling out); off, nothing of the sync is built and a lone instance pays nothing.',
      default: false,
    }),
    everyWindows: setting(checks.nat, { doc: 'With sync on, sync after this many windows trained; 0 = not on a window count.', default: 10 }),
    intervalMs: setting(checks.nat, {
      doc: 'With sync on, also sync once this many ms passed since the last sync, at a window or idle (an idle replica takes in its peers\' newer publications); 0 = off.',
      default: 10000,
    }),
    peerTimeoutMs: setting(checks.positiveInt, { doc: 'A peer whose latest publication is older than this many ms drops out of the average.', default: 120000 }),
  },
  processing: {
    guarantee: setting(checks.oneOf('guarantee', PROCESSING_GUARANTEES), {
      doc: 'exactly_once uses Kafka transactions; at_least_once commits offsets after output is flushed.',
      default: 'exactly_once',
    }),
  },
  dashboard: {
    enabled: setting(checks.bool, {
      doc: '`npm start` also serves the dashboard (`npm run dashboard` and `npm run demo` always do).',
      default: false,
    }),
    host: setting(checks.host, {
      doc: 'Address the dashboard listens on; only this machine can open it unless this is changed (see Dashboard).',
      default: '127.0.0.1',
    }),
    port: setting(checks.port, { doc: 'Port of the dashboard.', default: 8080 }),
  },
  log: {
    level: setting(checks.oneOf('log-level', LOG_LEVELS), { doc: 'Lowest level that is logged.', default: 'info' }),
  },
};

/** One key of the schema, flattened for docs and error messages. */
export interface SettingInfo {
  readonly key: string;
  readonly doc: string;
  readonly default: unknown;
  readonly expects: string;
  readonly env: string | undefined;
}

/** Every key of the schema, in schema order. */
export function settings(): readonly SettingInfo[] {
  const out: SettingInfo[] = [];
  const walk = (node: object, prefix: string): void => {
    for (const [name, child] of Object.entries(node)) {
      if (typeof child !== 'object' || child === null) {
        continue;
      }
      const key = prefix === '' ? name : `${prefix}.${name}`;
      if ('default' in child) {
        out.push(describeLeaf(key, child));
      } else {
        walk(child, key);
      }
    }
  };
  walk(schema, '');
  return out;
}

function describeLeaf(key: string, leaf: object & { default: unknown }): SettingInfo {
  const doc = 'doc' in leaf && typeof leaf.doc === 'string' ? leaf.doc : '';
  const format = 'format' in leaf && typeof leaf.format === 'string' ? leaf.format : '';
  const env = 'env' in leaf && typeof leaf.env === 'string' ? leaf.env : undefined;
  return { key, doc, default: leaf.default, expects: expectsOf(format), env };
}
