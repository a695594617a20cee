import os from 'node:os';
import { intArg } from '../cli/args';
import { parseCommandLine } from '../cli/command-line';
import { BENCH } from '../cli/commands';
import { ensureLocalBroker, stillRunningNotice } from '../cli/local-broker';
import { mnistTopics } from '../cli/mnist-app';
import { deleteTopics } from '../topology/kafka/delete-topics';
import { runMain } from '../cli/exit';
import { createLogger } from '../topology/logger';
import { benchConfig, producerThroughput, trainFromTopic } from './kafka-pipeline';
import { runTrainingThroughput } from './training-throughput';

/**
 * `npm run bench [-- --records N]`: every speed figure of the README, measured on this
 * machine. Needs a broker (KAFKA_BROKERS, or the local one, started if none answers).
 */
async function main(): Promise<void> {
  const records = intArg(parseCommandLine(BENCH, process.argv.slice(2)), 'records', 60000, 1);
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);

  console.log('\n# training throughput (model only, no Kafka)');
  for (const r of await runTrainingThroughput()) console.log(`${r.backend.padEnd(5)} window ${String(r.window).padStart(4)}: ${Math.round(r.imagesPerSecond)} img/s`);

  const startedBroker = await ensureLocalBroker(brokers, createLogger('info', 'bench'));
  const created: string[] = [];
  try {
    await kafkaFigures(brokers, records, created);
  } finally {
    const failed = await deleteTopics(brokers, created);
    console.log(`\ndeleted the ${new Set(created).size - failed.length} topics the bench created${failed.length ? `; could not delete ${failed.join(', ')}` : ''}`);
    if (startedBroker) console.log(stillRunningNotice(startedBroker));
  }
}

/** The figures that need Kafka; every topic created goes into `created`, to be deleted after. */
async function kafkaFigures(brokers: string, records: number, created: string[]): Promise<void> {
  console.log(`\n# producer, --delay 0, ${records} records`);
  const produced = await producerThroughput(brokers, records);
  created.push(produced.topic);
  console.log(`sent ${produced.sent} in ${produced.seconds.toFixed(1)} s: ${Math.round(produced.recordsPerSecond)} records/s`);

  console.log(`\n# end to end from a full topic, windows of 500, exactly-once, ${records} records`);
  for (const [label, optimizer, commit] of [
    ['adam, commit every 5 s', 'adam', { intervalMs: 5000, everyWindows: 0 }],
    ['adam, no commit until stop', 'adam', { intervalMs: 1e12, everyWindows: 0 }],
    ['sgd, commit every 5 s', 'sgd', { intervalMs: 5000, everyWindows: 0 }],
  ] as const) {
    const config = benchConfig(brokers, { window: { maxRecords: 500, maxMs: 0 }, model: { optimizer, backend: 'auto' }, commit });
    const fixed = { ...config, topics: { ...config.topics, source: produced.topic } };
    created.push(...mnistTopics(fixed).map((t) => t.name));
    const r = await trainFromTopic(label, fixed, records);
    console.log(
      `${label.padEnd(28)} ${Math.round(r.recordsPerSecond)} records/s (${r.seconds.toFixed(1)} s), ${r.commits} commits, ` +
        `mean commit ${r.meanCommitMs.toFixed(0)} ms, checkpoint ${(r.checkpointBytes / 1e6).toFixed(2)} MB, ` +
        `RSS ${Math.round(r.rssMiB[0])} -> ${Math.round(r.rssMiB[1])} MiB`,
    );
  }
}

runMain('bench', main);
