import { describeConfigKeys } from '../config/describe';
import { CONFIG_OPTION, type CommandSpec } from './command-line';

const CONFIG_KEYS = `configuration keys (set them in the --config file; see also README.md, Configuration):\n${describeConfigKeys()}`;

/** The concept drift of the demonstration (data/drift.ts). */
const DRIFT_OPTIONS = {
  'drift-after': { kind: 'value', metavar: 'N', help: 'after N records, stream a transformed MNIST (a concept drift)' },
  'drift-kind': { kind: 'value', metavar: 'K', help: 'permute-labels (default: digit d becomes (d + 5) mod 10) or rotate (a quarter turn)' },
} as const;

export const START: CommandSpec = {
  usage: 'npm start -- [--config FILE] [--instance N]',
  description:
    'Trains on the source topic window by window, exactly once, and logs one line a window, until\n' +
    'Ctrl-C, SIGTERM or ENTER; a stop finishes the current window and commits.',
  options: {
    config: CONFIG_OPTION,
    instance: { kind: 'value', metavar: 'N', help: 'app.instance: give each live instance of one app.id its own number (0, 1, ...)' },
  },
  footer: CONFIG_KEYS,
};

export const PRODUCE: CommandSpec = {
  usage: 'npm run produce -- [--config FILE] [--delay MS] [--limit N] [--set train|test] [--epochs E] [--topic T] [--drift-after N [--drift-kind K]]',
  description: "Writes MNIST into the source topic in the reference's format; exits non-zero if any delivery failed.",
  options: {
    config: CONFIG_OPTION,
    delay: { kind: 'value', metavar: 'MS', help: 'ms between records; 0 (default) = as fast as the broker takes them, batched' },
    limit: { kind: 'value', metavar: 'N', help: 'records to send at most (default: the whole set, times --epochs)' },
    set: { kind: 'value', metavar: 'SET', help: 'train (60,000 images, default) or test (10,000)' },
    epochs: { kind: 'value', metavar: 'E', help: 'times to send the set (default 1)' },
    topic: { kind: 'value', metavar: 'T', help: 'topic to write (default: topics.source of the config)' },
    ...DRIFT_OPTIONS,
  },
};

export const DEMO: CommandSpec = {
  usage: 'npm run demo -- [--config FILE] [--delay MS] [--limit N] [--follow] [--drift-after N [--drift-kind K]]',
  description:
    'Starts the local broker if none answers, streams the training set through the producer while\n' +
    'a fresh model trains on it, logs a line a window and prints the final accuracy on all 10,000\n' +
    'test images. A broker it started keeps running afterwards (npm run kafka:stop stops it).',
  options: {
    config: { ...CONFIG_OPTION, help: `${CONFIG_OPTION.help.replace(/ \(default: the defaults\)$/, '')} (default: demo.json)` },
    delay: { kind: 'value', metavar: 'MS', help: "the producer's ms between records (default 0)" },
    limit: { kind: 'value', metavar: 'N', help: 'records to stream (default 60000)' },
    follow: { kind: 'flag', help: 'keep training after the last record, until Ctrl-C' },
    ...DRIFT_OPTIONS,
  },
};

export const EVALUATE: CommandSpec = {
  usage: 'npm run evaluate -- [--config FILE] [--seeds N] [--limit N] [--drift-after N [--drift-kind K]] [--curve]',
  description:
    'How good is it: for each seed (model.seed, +1, ...) streams the MNIST training set in file order\n' +
    'through the MNIST topology on the mock driver (no broker), then scores all 10,000 test images;\n' +
    'prints per seed and mean the final holdout accuracy, the last prequential accuracy and records/s.',
  options: {
    config: { ...CONFIG_OPTION, help: `${CONFIG_OPTION.help.replace(/ \(default: the defaults\)$/, '')} (default: demo.json)` },
    seeds: { kind: 'value', metavar: 'N', help: 'seeds to run, one after another (default 1)' },
    limit: { kind: 'value', metavar: 'N', help: 'records to stream per seed (default 60000)' },
    ...DRIFT_OPTIONS,
    curve: { kind: 'flag', help: 'print every window: prequential accuracy and the drift detector' },
  },
};

export const DASHBOARD: CommandSpec = {
  usage: 'npm run dashboard -- [--config FILE]',
  description:
    "Serves the live dashboard of the config's topics on dashboard.host:dashboard.port (default\n" +
    'http://127.0.0.1:8080/): the curves of every model on the metrics topic, lag, dead-letter counts,\n' +
    'and predictions of a drawn digit by the model in model.exportDir. Read-only towards Kafka.\n' +
    'Stop with Ctrl-C.',
  options: { config: CONFIG_OPTION },
};

export const BENCH: CommandSpec = {
  usage: 'npm run bench -- [--records N] [--kafka-records N] [--json FILE] [--kafka-only]',
  description:
    "Measures the README's figures on this machine: training alone, the producer, end to end from a\n" +
    'full topic (needs a broker: KAFKA_BROKERS, or the local one, started if none answers). Deletes\n' +
    'the topics it creates.',
  options: {
    records: { kind: 'value', metavar: 'N', help: 'records per training run (default 60000)' },
    'kafka-records': { kind: 'value', metavar: 'N', help: 'records for the producer, consume+decode and the engine alone (default 240000: a run of 60000 takes a fraction of a second, mostly its start)' },
    json: { kind: 'value', metavar: 'FILE', help: 'where the results go as JSON (default bench/results/<time>.json)' },
    'kafka-only': { kind: 'flag', help: 'only the producer and consume+decode+window without training: the Kafka path, in seconds' },
  },
};
