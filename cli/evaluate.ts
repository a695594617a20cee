import { loadConfig, type AppConfig } from '../config/load';
import { loadMnist } from '../data';
import { driftedExample, driftedSet, parseDriftKind, type DriftKind } from '../data/drift';
import { TRAINER_STORE } from '../processors/mnist-topology';
import type { TrainerStore } from '../processors/trainer-store';
import type { WindowMetrics } from '../processors/types';
import { jsonSerde, mnistRecordKey, mnistRecordSerde, stringSerde } from '../serdes';
import { createLogger } from '../topology/logger';
import type { Logger } from '../topology/processor';
import { TopologyTestDriver } from '../topology/test-driver';
import { intArg } from './args';
import { parseCommandLine } from './command-line';
import { EVALUATE } from './commands';
import { runMain } from './exit';
import { learnerFactory, mnistTopology } from './mnist-app';

interface SeedResult {
  readonly seed: number;
  readonly holdoutAccuracy: number;
  readonly lastPrequential: number;
  /** Mean prequential accuracy of the last 10 windows: the curve's end, less noisy. */
  readonly lastTenPrequential: number;
  readonly recordsPerSecond: number;
  readonly metrics: readonly WindowMetrics[];
}

interface Drift {
  readonly after: number;
  readonly kind: DriftKind;
}

/**
 * `npm run evaluate -- [--config FILE] [--seeds N] [--limit N] [--drift-after N --drift-kind K] [--curve]`:
 * "how good is it". For each of N seeds (model.seed, +1, ...) streams the MNIST training set in
 * file order (the demo's data and order) through the MNIST topology on the mock driver (the real
 * engine and model, no broker), then scores all 10,000 test images. Prints per seed and mean the
 * final holdout accuracy, the last prequential accuracy and records/s. With --drift-after the
 * stream switches to a transformed MNIST after that many records (see data/drift.ts).
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseCommandLine(EVALUATE, argv);
  const config = loadConfig({ argv, file: 'demo.json' });
  const log = createLogger(config.log.level, 'evaluate');
  const seeds = intArg(args, 'seeds', 1, 1);
  const limit = intArg(args, 'limit', 60000, 1);
  const driftAfter = args.get('drift-after');
  const drift: Drift | null = driftAfter === undefined ? null : { after: intArg(args, 'drift-after', 0), kind: parseDriftKind(String(args.get('drift-kind') ?? 'permute-labels')) };
  const results: SeedResult[] = [];
  for (let k = 0; k < seeds; k++) {
    const seeded: AppConfig = { ...config, model: { ...config.model, seed: config.model.seed + k } };
    // The backend line once, not once a seed.
    const result = await evaluateSeed(seeded, limit, drift, k === 0 ? log : { ...log, info: () => undefined });
    results.push(result);
    if (args.get('curve') === true) printCurve(result);
    process.stdout.write(`${row(String(result.seed), result)}\n`);
  }
  if (results.length > 1) process.stdout.write(`${row('mean', mean(results))}\n`);
}

async function evaluateSeed(config: AppConfig, limit: number, drift: Drift | null, log: Logger): Promise<SeedResult> {
  const createLearner = await learnerFactory(config, log);
  const topology = mnistTopology(config, createLearner, null);
  const driver = await TopologyTestDriver.create(topology, { appId: config.app.id });
  const metricsTopic = driver.createOutputTopic(config.topics.metrics, stringSerde(), jsonSerde<WindowMetrics>());
  const train = loadMnist('train');
  const serde = mnistRecordSerde({ classes: config.model.classes, imageSize: config.model.imageSize });
  const side = train.rows;
  const pixels = side * side;
  const started = performance.now();
  for (let i = 0; i < limit; i++) {
    const index = i % train.count;
    let example = { pixels: train.images.subarray(index * pixels, (index + 1) * pixels), label: train.labels[index] ?? 0 };
    if (drift && i >= drift.after) example = driftedExample(drift.kind, example.pixels, example.label, side);
    await driver.pipeRaw(config.topics.source, Buffer.from(mnistRecordKey(index)), serde.serialize({ ...example, size: side }));
  }
  const seconds = (performance.now() - started) / 1000;
  const store = driver.getStateStore<TrainerStore>(TRAINER_STORE);
  const test = loadMnist('test');
  // After a drift the holdout is scored in the drifted world, where the model now has to work.
  const testSet = drift && limit > drift.after ? driftedSet(test, drift.kind) : test;
  const { accuracy } = await store.learner.evaluate(testSet.images, testSet.labels, testSet.count);
  const metrics = metricsTopic.readValuesToList();
  await driver.close();
  const prequential = metrics.map((m) => m.prequentialAccuracy ?? 0);
  const lastTen = prequential.slice(-10);
  return {
    seed: config.model.seed,
    holdoutAccuracy: accuracy,
    lastPrequential: prequential[prequential.length - 1] ?? 0,
    lastTenPrequential: lastTen.reduce((a, b) => a + b, 0) / Math.max(lastTen.length, 1),
    recordsPerSecond: limit / seconds,
    metrics,
  };
}

function printCurve(result: SeedResult): void {
  for (const m of result.metrics) {
    const drift = m.drift ? ` drift ${m.drift.detected ? 'DETECTED' : '-'} statistic ${m.drift.statistic.toFixed(2)} error ${m.drift.errorRate.toFixed(3)}` : '';
    process.stdout.write(`seed ${result.seed} window ${m.window} trained ${m.trainedTotal} prequential ${((m.prequentialAccuracy ?? 0) * 100).toFixed(2)}%${drift}\n`);
  }
}

function mean(results: readonly SeedResult[]): Omit<SeedResult, 'seed' | 'metrics'> {
  const avg = (f: (r: SeedResult) => number) => results.reduce((a, r) => a + f(r), 0) / results.length;
  return {
    holdoutAccuracy: avg((r) => r.holdoutAccuracy),
    lastPrequential: avg((r) => r.lastPrequential),
    lastTenPrequential: avg((r) => r.lastTenPrequential),
    recordsPerSecond: avg((r) => r.recordsPerSecond),
  };
}

function row(label: string, r: Omit<SeedResult, 'seed' | 'metrics'>): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return (
    `seed ${label.padStart(5)}: holdout accuracy (all test images) ${pct(r.holdoutAccuracy)} | last prequential ${pct(r.lastPrequential)}` +
    ` (last 10 windows ${pct(r.lastTenPrequential)}) | ${Math.round(r.recordsPerSecond)} records/s`
  );
}

runMain('evaluate', main);
