import { configFileOf, describeConfigSource, loadConfig } from '../config/load';
import { checkBrokers, ensureTopics } from '../topology/kafka/admin';
import { createLogger } from '../topology/logger';
import { parseDriftKind } from '../data/drift';
import { ArgumentError, intArg } from './args';
import { unreachableRemedy } from './broker-hint';
import { parseCommandLine } from './command-line';
import { PRODUCE } from './commands';
import { runMain } from './exit';
import { produceMnist } from './mnist-producer';
import { progressBar } from './progress';

/**
 * `npm run produce -- [--config FILE] [--delay MS] [--limit N] [--set train|test] [--epochs E] [--topic T]
 *   [--drift-after N [--drift-kind permute-labels|rotate]]`
 * Exits non-zero if any record was not delivered.
 */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const args = parseCommandLine(PRODUCE, argv);
  const config = loadConfig({ argv });
  const set = args.get('set') ?? 'train';
  if (set !== 'train' && set !== 'test') throw new ArgumentError(`--set must be train or test, got '${String(set)}'`);
  const topic = typeof args.get('topic') === 'string' ? String(args.get('topic')) : config.topics.source;
  const limitArg = args.get('limit');
  const log = createLogger(config.log.level, 'producer');
  log.info(describeConfigSource(configFileOf({ argv })));
  // First: an unreachable broker would otherwise surface as a topic that cannot be created.
  await checkBrokers(config.kafka.brokers, undefined, unreachableRemedy(config.kafka.brokers));
  await ensureTopics(config.kafka.brokers, [{ name: topic, partitions: config.kafka.partitions, replicationFactor: config.kafka.replicationFactor }], log);
  const bar = progressBar(process.stderr);
  let stop = false;
  process.on('SIGINT', () => { stop = true; });
  const result = await produceMnist({
    brokers: config.kafka.brokers,
    topic,
    set,
    delayMs: intArg(args, 'delay', 0),
    limit: limitArg === undefined ? null : intArg(args, 'limit', 0, 1),
    epochs: intArg(args, 'epochs', 1, 1),
    drift: args.has('drift-after') ? { after: intArg(args, 'drift-after', 0), kind: parseDriftKind(String(args.get('drift-kind') ?? 'permute-labels')) } : null,
    producerSettings: config.kafka.producer,
    onProgress: bar,
    shouldStop: () => stop,
  });
  const rate = result.seconds > 0 ? Math.round(result.sent / result.seconds) : result.sent;
  process.stdout.write(`\nsent ${result.sent} records to ${topic}, failed ${result.failed}, ${rate} records/s (${result.seconds.toFixed(1)} s)\n`);
  if (result.failed > 0) process.stderr.write(`first delivery error: ${result.firstError ?? 'no report'}\n`);
  return result.failed > 0 ? 1 : 0;
}

runMain('produce', main);
