// Model sync figures: N instances of one app.id, each a process with T TensorFlow threads,
// train a filled 4-partition topic together; records/s end to end, and the test-set accuracy of
// each replica after the last sync. `npm run bench` runs 2 x 1 thread against 1 x 2 threads;
// `node --import tsx bench/model-sync.ts [--records N] [--seeds 1,2,3] [--instances 1,2] [--every-windows N] [--learning-rate R] [--step-only]` repeats them
// per seed, after timing one sync step of the model alone.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { mnistTopics } from '../cli/mnist-app';
import { produceMnist } from '../cli/mnist-producer';
import type { AppConfig } from '../config/load';
import { OnlineClassifier, selectBackend } from '../model';
import { averageIntoReplica } from '../model/parameter-average';
import { syntheticWindow } from '../model/synthetic';
import { ensureTopics } from '../topology/kafka/admin';
import { deleteTopics } from '../topology/kafka/delete-topics';
import { createLogger } from '../topology/logger';
import { benchConfig } from './kafka-pipeline';

export const SYNC_PARTITIONS = 4;

export interface SyncRun {
  readonly instances: number;
  readonly threads: number;
  readonly seed: number;
  /** sync.everyWindows of the run; the config's default when absent. */
  readonly everyWindows?: number;
  /** model.learningRate of the run; the config's default when absent. */
  readonly learningRate?: number;
}

export interface SyncResult extends SyncRun {
  readonly records: number;
  /** From the start of the processes to the last record trained. */
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /** Each replica's accuracy on the 10000 test images, after the last sync (one figure for one instance). */
  readonly accuracies: readonly number[];
  readonly trainedByInstance: readonly number[];
}

/** A fresh topic of SYNC_PARTITIONS partitions holding `records` MNIST training records. */
export async function filledSyncTopic(brokers: string, records: number): Promise<string> {
  const config = benchConfig(brokers, {});
  const source = mnistTopics(config).slice(0, 1).map((topic) => ({ ...topic, partitions: SYNC_PARTITIONS }));
  await ensureTopics(brokers, source, createLogger('warn'));
  await produceMnist({ brokers, topic: config.topics.source, set: 'train', delayMs: 0, limit: records, epochs: Math.ceil(records / 60000) });
  return config.topics.source;
}

/** The run's config: windows of 500, the default training, sync on with several instances. */
export function syncRunConfig(brokers: string, source: string, run: SyncRun): AppConfig {
  const config = benchConfig(brokers, {
    window: { maxRecords: 500, maxMs: 0 },
    model: { seed: run.seed, ...(run.learningRate === undefined ? {} : { learningRate: run.learningRate }) },
    sync: { enabled: run.instances > 1, ...(run.everyWindows === undefined ? {} : { everyWindows: run.everyWindows }) },
  });
  return { ...config, topics: { ...config.topics, source } };
}

/** Runs the instances until they trained `records` together, lets them sync once more, then scores them. */
export async function runSync(config: AppConfig, records: number, run: SyncRun): Promise<SyncResult> {
  const trained = new Array<number>(run.instances).fill(0);
  const accuracies = new Array<number>(run.instances).fill(NaN);
  const started = performance.now();
  const children = Array.from({ length: run.instances }, (_, i) => startInstance({ ...config, app: { ...config.app, instance: i + 1 } }, run.threads, (line) => {
    trained[i] = line.trained;
    if (line.accuracy !== undefined) accuracies[i] = line.accuracy;
  }));
  const exits = children.map((child) => new Promise<void>((resolve) => child.on('exit', () => resolve())));
  const sum = () => trained.reduce((a, b) => a + b, 0);
  while (sum() < records) await sleep(100);
  const seconds = (performance.now() - started) / 1000;
  // Idle, each replica takes in the others' last publications at its sync interval.
  if (run.instances > 1) await sleep(2 * config.sync.intervalMs + 5000);
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(exits);
  return { ...run, records, seconds, recordsPerSecond: records / seconds, accuracies, trainedByInstance: trained };
}

function startInstance(config: AppConfig, threads: number, onLine: (line: { trained: number; accuracy?: number }) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sync-instance.ts')], {
    env: { ...process.env, BENCH_SYNC_CONFIG: JSON.stringify(config), TF_NUM_INTRAOP_THREADS: String(threads), TF_NUM_INTEROP_THREADS: String(threads) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      onLine(JSON.parse(text) as { trained: number; accuracy?: number });
    } catch {
      process.stderr.write(`${text}\n`);
    }
  });
  return child;
}

export function syncLine(r: SyncResult): string {
  const accuracy = r.accuracies.map((a) => `${(100 * a).toFixed(2)}%`).join(' / ');
  return `${r.instances} instance(s) x ${r.threads} TF thread(s), seed ${r.seed}: ${Math.round(r.recordsPerSecond)} records/s (${r.records} in ${r.seconds.toFixed(1)} s; by instance ${r.trainedByInstance.join(' + ')}), test accuracy ${accuracy}`;
}

/**
 * What one sync costs the CNN with Adam, model only, in ms per repetition: publishing alone (no
 * peer: a lone instance with sync on) and averaging one peer then publishing.
 */
export async function syncStepCost(repetitions: number): Promise<{ publishMs: number[]; averageMs: number[] }> {
  await selectBackend('auto', () => undefined);
  const options = { imageSize: 28, classes: 10, seed: 1, optimizer: 'adam' as const, learningRate: 0.002, l2: 1e-4, batchSize: 100 };
  const [mine, peer] = [await OnlineClassifier.create(options), await OnlineClassifier.create({ ...options, seed: 2 })];
  const data = syntheticWindow(500, 28, 10, 3);
  await mine.learn(data.images, data.labels, 500);
  await peer.learn(data.images, data.labels, 500);
  const peerPublication = (await averageIntoReplica(peer, 500, [], true)) ?? new Uint8Array();
  const publishMs: number[] = [];
  const averageMs: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    let started = performance.now();
    await averageIntoReplica(mine, 500, [], true);
    publishMs.push(performance.now() - started);
    started = performance.now();
    await averageIntoReplica(mine, 500, [{ parameters: peerPublication, weight: 500 }], true);
    averageMs.push(performance.now() - started);
  }
  mine.dispose();
  peer.dispose();
  return { publishMs, averageMs };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string, fallback: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? (args[i + 1] ?? fallback) : fallback; };
  const records = Number(value('records', '60000'));
  const seeds = value('seeds', '1234').split(',').map(Number);
  const every = value('every-windows', '');
  const everyWindows = every === '' ? undefined : Number(every);
  const instanceCounts = value('instances', '1,2').split(',').map(Number);
  const rate = value('learning-rate', '');
  const learningRate = rate === '' ? undefined : Number(rate);
  const cost = await syncStepCost(5);
  const range = (ms: number[]) => `${Math.round(Math.min(...ms))}-${Math.round(Math.max(...ms))} ms`;
  console.log(`# one sync of the CNN (Adam), model only, 5 times: publish alone ${range(cost.publishMs)}, average one peer and publish ${range(cost.averageMs)}`);
  if (args.includes('--step-only')) return;
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const source = await filledSyncTopic(brokers, records);
  const created = [source];
  console.log(`# model sync: ${records} records in ${source} (${SYNC_PARTITIONS} partitions), windows of 500, default training`);
  try {
    for (const seed of seeds) {
      for (const instances of instanceCounts) {
        const run = { instances, threads: instances === 1 ? 2 : 1, seed, everyWindows, learningRate };
        const config = syncRunConfig(brokers, source, run);
        created.push(...mnistTopics(config).map((t) => t.name));
        console.log(syncLine(await runSync(config, records, run)));
      }
    }
  } finally {
    await deleteTopics(brokers, created);
  }
}

if (require.main === module) main().catch((error: unknown) => { console.error(error); process.exit(1); });
