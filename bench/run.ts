import os from 'node:os';
import { ensureLocalBroker } from '../cli/local-broker';
import { createLogger } from '../topology/logger';
import { benchConfig, producerThroughput, trainFromTopic } from './kafka-pipeline';
import { runTrainingThroughput } from './training-throughput';

/**
 * `npm run bench [-- --records N]`: every speed figure of the README, measured on this
 * machine. Needs a broker (KAFKA_BROKERS, or the local one, started if none answers).
 */
async function main(): Promise<void> {
  const recordsArg = process.argv.indexOf('--records');
  const records = recordsArg > 0 ? Number(process.argv[recordsArg + 1]) : 60000;
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);

  console.log('\n# training throughput (model only, no Kafka)');
  for (const r of await runTrainingThroughput()) console.log(`${r.backend.padEnd(5)} window ${String(r.window).padStart(4)}: ${Math.round(r.imagesPerSecond)} img/s`);

  await ensureLocalBroker(brokers, createLogger('info', 'bench'));
  console.log(`\n# producer, --delay 0, ${records} records`);
  const produced = await producerThroughput(brokers, records);
  console.log(`sent ${produced.sent} in ${produced.seconds.toFixed(1)} s: ${Math.round(produced.recordsPerSecond)} records/s`);

  console.log(`\n# end to end from a full topic, windows of 500, exactly-once, ${records} records`);
  for (const [label, optimizer, commit] of [
    ['adam, commit every 5 s', 'adam', { intervalMs: 5000, everyWindows: 0 }],
    ['adam, commit every 30 s', 'adam', { intervalMs: 30000, everyWindows: 0 }], // the longest the default transaction timeout allows
    ['sgd, commit every 5 s', 'sgd', { intervalMs: 5000, everyWindows: 0 }],
  ] as const) {
    const config = benchConfig(brokers, { window: { maxRecords: 500, maxMs: 0 }, model: { optimizer, backend: 'auto' }, commit });
    const fixed = { ...config, topics: { ...config.topics, source: produced.topic } };
    const r = await trainFromTopic(label, fixed, records);
    console.log(
      `${label.padEnd(28)} ${Math.round(r.recordsPerSecond)} records/s (${r.seconds.toFixed(1)} s), ${r.commits} commits, ` +
        `mean commit ${r.meanCommitMs.toFixed(0)} ms, checkpoint ${(r.checkpointBytes / 1e6).toFixed(2)} MB, ` +
        `RSS ${Math.round(r.rssMiB[0])} -> ${Math.round(r.rssMiB[1])} MiB`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(1);
  },
);
