import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { intArg } from '../cli/args';
import { parseCommandLine } from '../cli/command-line';
import { BENCH } from '../cli/commands';
import { ensureLocalBroker, stillRunningNotice } from '../cli/local-broker';
import { mnistTopics } from '../cli/mnist-app';
import { deleteTopics } from '../topology/kafka/delete-topics';
import { runMain } from '../cli/exit';
import type { BackendName } from '../model';
import { createLogger } from '../topology/logger';
import { checkpointCost, type CheckpointCost } from './checkpoint-cost';
import { engineThroughput, type EngineFigures } from './engine-throughput';
import { shareOfModelOnly } from './model-only-share';
import { benchConfig, idleLearner, producerThroughput, trainFromTopic, type PipelineResult, type ProducerFigures } from './kafka-pipeline';
import { filledSyncTopic, runSync, syncLine, syncRunConfig, SYNC_PARTITIONS, type SyncResult } from './model-sync';
import { nativeAvailable, runTrainingThroughput, type ThroughputResult } from './training-throughput';

interface EndToEnd {
  readonly label: string;
  readonly backend: BackendName | 'none';
  readonly optimizer: 'adam' | 'sgd';
  readonly commit: { readonly intervalMs: number; readonly everyWindows: number };
  /** plain: one gradient step a window, as "model only" measures; default: the configured training (passes, replay, batches of 100). */
  readonly training: 'plain' | 'default';
  /** false: no holdout evaluation (1,000 images every 10 windows otherwise), as "model only" has none. */
  readonly holdout?: boolean;
}

/** One step a window and no schedule, so that a run compares with the model-only figures. */
const PLAIN_TRAINING = { model: { batchSize: null }, training: { epochs: 1, replaySize: 0, warmupRecords: 0, decay: 'constant' } } as const;

interface KafkaFigures {
  readonly engine: EngineFigures;
  readonly producer: ProducerFigures;
  readonly endToEnd: Array<EndToEnd & { readonly result: PipelineResult }>;
  readonly sync: readonly SyncResult[];
}

const EVERY_5_S = { intervalMs: 5000, everyWindows: 0 };

/**
 * Without training first (the pipeline's own speed), then each backend, then the commit and
 * optimizer variants on the fastest; no backends: the first alone.
 */
function endToEndRuns(backends: readonly BackendName[]): EndToEnd[] {
  const runs: EndToEnd[] = [{ label: 'consume+decode+window, no training', backend: 'none', optimizer: 'adam', commit: EVERY_5_S, training: 'plain' }];
  if (backends.length === 0) return runs;
  for (const backend of backends) runs.push({ label: `${backend}, adam, commit every 5 s`, backend, optimizer: 'adam', commit: EVERY_5_S, training: 'plain' });
  const first = backends[0] ?? 'wasm';
  runs.push(
    { label: `${first}, adam, commit every 5 s, no holdout`, backend: first, optimizer: 'adam', commit: EVERY_5_S, training: 'plain', holdout: false },
    { label: `${first}, adam, commit every 30 s`, backend: first, optimizer: 'adam', commit: { intervalMs: 30000, everyWindows: 0 }, training: 'plain' },
    { label: `${first}, sgd, commit every 5 s`, backend: first, optimizer: 'sgd', commit: EVERY_5_S, training: 'plain' },
    { label: `${first}, adam, default training`, backend: first, optimizer: 'adam', commit: EVERY_5_S, training: 'default' },
  );
  return runs;
}

function line(label: string, r: PipelineResult, share = ''): string {
  return (
    `${label.padEnd(36)} ${Math.round(r.steadyRecordsPerSecond)} records/s after the first window${share} ` +
    `(${Math.round(r.recordsPerSecond)} records/s from the start, ${r.seconds.toFixed(1)} s), ${r.commits} commits, ` +
    `mean commit ${r.meanCommitMs.toFixed(0)} ms, checkpoint ${(r.checkpointBytes / 1e6).toFixed(2)} MB, ` +
    `RSS ${Math.round(r.rssMiB[0])} -> ${Math.round(r.rssMiB[1])} MiB, CPU ${r.cpuMicrosPerRecord.toFixed(1)} us/record, load ${r.loadAverage.toFixed(1)}; ` +
    `of the ${(r.seconds * 1000).toFixed(0)} ms, learn ${r.learnerMs.learn.toFixed(0)}, evaluate ${r.learnerMs.evaluate.toFixed(0)}, checkpoint ${r.learnerMs.checkpoint.toFixed(0)}`
  );
}

/**
 * `npm run bench [-- --records N] [-- --json FILE]`: every speed figure of the README, measured
 * on this machine, printed as `BACKEND window N: X img/s` and so on, and written as JSON (default
 * bench/results/<time>.json). Needs a broker (KAFKA_BROKERS, or the local one, started if none answers).
 */
async function main(): Promise<void> {
  const args = parseCommandLine(BENCH, process.argv.slice(2));
  const records = intArg(args, 'records', 60000, 1);
  // The Kafka path alone moves 60,000 records in a fraction of a second, mostly its start (the
  // producer's first batches, the group join): four epochs measure its steady speed.
  const kafkaRecords = Math.max(records, intArg(args, 'kafka-records', 240000, 1));
  const json = args.get('json');
  const jsonFile = typeof json === 'string' ? json : path.join(__dirname, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  const machine = `${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  console.log(`machine: ${machine}`);
  const kafkaOnly = args.get('kafka-only') === true;
  const backends: BackendName[] = kafkaOnly ? [] : (await nativeAvailable()) ? ['tensorflow', 'wasm'] : ['wasm'];

  if (!kafkaOnly) console.log('\n# training throughput (model only, no Kafka; Adam, one step per window; windows of 500 over a whole epoch)');
  const training: ThroughputResult[] = kafkaOnly ? [] : await runTrainingThroughput([...backends, 'cpu']);
  for (const r of training) {
    const memory = r.window === 500 ? `, RSS ${Math.round(r.rssMiB[0])} -> ${Math.round(r.rssMiB[1])} MiB over ${r.windows} windows` : '';
    console.log(`${r.backend} window ${r.window}: ${Math.round(r.imagesPerSecond)} img/s${memory}`);
  }

  let checkpoint: CheckpointCost | null = null;
  if (!kafkaOnly) {
    console.log('\n# one commit\'s checkpoint, the default training with its replay buffer full (no Kafka)');
    checkpoint = await checkpointCost();
    console.log(
      `${checkpoint.backend} checkpoint: ${(checkpoint.bytes / 1e6).toFixed(2)} MB -> ${(checkpoint.compressedBytes / 1e6).toFixed(2)} MB, ` +
        `${checkpoint.checkpointMs.toFixed(0)} ms (encode ${checkpoint.encodeMs.toFixed(0)} ms, compress ${checkpoint.compressMs.toFixed(0)} ms)`,
    );
  }

  const startedBroker = await ensureLocalBroker(brokers, createLogger('info', 'bench'));
  const created: string[] = [];
  let figures: KafkaFigures;
  try {
    figures = await kafkaFigures(brokers, { records, kafkaRecords }, backends, training, created);
  } finally {
    const failed = await deleteTopics(brokers, created);
    console.log(`\ndeleted the ${new Set(created).size - failed.length} topics the bench created${failed.length ? `; could not delete ${failed.join(', ')}` : ''}`);
    if (startedBroker) console.log(stillRunningNotice(startedBroker));
  }
  mkdirSync(path.dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify({ at: new Date().toISOString(), machine, records, kafkaRecords, training, checkpoint, ...figures }, null, 2)}\n`);
  console.log(`results: ${jsonFile}`);
}

/** The figures that need Kafka; every topic created goes into `created`, to be deleted after. */
async function kafkaFigures(
  brokers: string,
  { records, kafkaRecords }: { readonly records: number; readonly kafkaRecords: number },
  backends: readonly BackendName[],
  training: readonly ThroughputResult[],
  created: string[],
): Promise<KafkaFigures> {
  console.log(`\n# producer, --delay 0, ${kafkaRecords} records`);
  const produced = await producerThroughput(brokers, kafkaRecords);
  created.push(produced.topic);
  console.log(
    `sent ${produced.sent} in ${produced.seconds.toFixed(1)} s: ${Math.round(produced.recordsPerSecond)} records/s, ` +
      `CPU ${produced.cpuMicrosPerRecord.toFixed(1)} us/record, load ${produced.loadAverage.toFixed(1)}`,
  );

  console.log(`\n# end to end from a full topic, windows of 500, exactly-once: ${kafkaRecords} records without training, the first ${records} with`);
  const endToEnd: KafkaFigures['endToEnd'] = [];
  for (const run of endToEndRuns(backends)) {
    const backend = run.backend === 'none' ? 'auto' : run.backend;
    const plain = run.training === 'plain' ? PLAIN_TRAINING : { model: {}, training: {} };
    const evaluation = run.holdout === false ? { evaluation: { holdoutSize: 0 } } : {};
    const config = benchConfig(brokers, { window: { maxRecords: 500, maxMs: 0 }, model: { ...plain.model, optimizer: run.optimizer, backend }, training: plain.training, commit: run.commit, ...evaluation });
    const fixed = { ...config, topics: { ...config.topics, source: produced.topic } };
    created.push(...mnistTopics(fixed).map((t) => t.name));
    const none = run.backend === 'none';
    const result = await trainFromTopic(run.label, fixed, none ? kafkaRecords : records, none ? async () => idleLearner() : undefined);
    const share = shareOfModelOnly(run, result.steadyRecordsPerSecond, training);
    console.log(line(run.label, result, share === null ? '' : ` (${Math.round(share)}% of model only)`));
    endToEnd.push({ ...run, result });
  }
  // Training runs only: --kafka-only measures the Kafka path alone.
  const sync = backends.length ? await syncFigures(brokers, records, created) : [];
  // Last: its records in memory would otherwise weigh on the resident memory of the runs above.
  console.log(`\n# the engine alone: consume+decode+window over MemoryIO, no Kafka client, ${kafkaRecords} records`);
  const engine = await engineThroughput(benchConfig(brokers, { window: { maxRecords: 500, maxMs: 0 } }), kafkaRecords);
  console.log(`engine: ${Math.round(engine.recordsPerSecond)} records/s, ${engine.microsPerRecord.toFixed(2)} us/record, load ${(os.loadavg()[0] ?? 0).toFixed(1)}`);
  const { topic: _topic, ...producer } = produced;
  return { engine, producer, endToEnd, sync };
}

/** Scaling out on this machine: 1 instance at 2 TensorFlow threads against 2 instances at 1 each. */
async function syncFigures(brokers: string, records: number, created: string[]): Promise<SyncResult[]> {
  console.log(`\n# model sync, ${records} records in ${SYNC_PARTITIONS} partitions, windows of 500, default training, one process an instance`);
  const source = await filledSyncTopic(brokers, records);
  created.push(source);
  const results: SyncResult[] = [];
  for (const run of [{ instances: 1, threads: 2, seed: 1234 }, { instances: 2, threads: 1, seed: 1234 }]) {
    const config = syncRunConfig(brokers, source, run);
    created.push(...mnistTopics(config).map((t) => t.name));
    const result = await runSync(config, records, run);
    console.log(syncLine(result));
    results.push(result);
  }
  return results;
}

runMain('bench', main);
