import { AdminClient, CODES, Producer, type Metadata, type NewTopic } from 'node-rdkafka';
import type { TopicPartitionOffset } from '../seam';
import { asError, call } from './callbacks';
import { allRefuse } from './tcp-probe';
import { MAX_RECORD_BYTES } from './settings';
import type { Logger } from '../processor';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config?: Readonly<Record<string, string>>;
}

/** The runtime cannot start: one line that says what to fix. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Topic configs of a changelog: compacted, and room for a checkpoint of up to MAX_RECORD_BYTES. */
export function changelogTopicConfig(): Record<string, string> {
  return {
    'cleanup.policy': 'compact',
    'max.message.bytes': String(MAX_RECORD_BYTES),
    'segment.bytes': String(4 * MAX_RECORD_BYTES),
    'min.cleanable.dirty.ratio': '0.1',
    'segment.ms': '600000',
  };
}

/** What checkBrokers suggests when no broker answers, unless its caller knows better. */
export const DEFAULT_UNREACHABLE_REMEDY = 'Start a broker there, or set KAFKA_BROKERS (or kafka.brokers in the config file) to a running cluster.';

/**
 * Fails fast, with the remedy, when no broker answers at `brokers`: at once when every address
 * refuses the connection, else after `timeoutMs`.
 */
export async function checkBrokers(brokers: string, timeoutMs = 15000, remedy = DEFAULT_UNREACHABLE_REMEDY): Promise<Metadata> {
  if (await allRefuse(brokers)) {
    throw new StartupError(`cannot reach Kafka at ${brokers}: nothing listens there (connection refused). ${remedy}`);
  }
  const probe = new Producer({ 'bootstrap.servers': brokers, 'socket.connection.setup.timeout.ms': timeoutMs });
  try {
    return await call<Metadata>((cb) => probe.connect({ timeout: timeoutMs }, cb));
  } catch (error) {
    throw new StartupError(`cannot reach Kafka at ${brokers} within ${Math.round(timeoutMs / 1000)} s (${asError(error as Error).message}). ${remedy}`);
  } finally {
    await call((cb) => probe.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}

/** Creates the topics that are missing; existing ones are left as they are. */
export async function ensureTopics(brokers: string, topics: readonly TopicSpec[], log: Logger): Promise<void> {
  const admin = AdminClient.create({ 'bootstrap.servers': brokers });
  try {
    for (const t of topics) {
      const spec: NewTopic = {
        topic: t.name,
        num_partitions: t.partitions,
        replication_factor: t.replicationFactor,
        config: { ...(t.config ?? {}) },
      };
      try {
        await call((cb) => admin.createTopic(spec, 30000, (err) => cb(err, undefined)));
        log.info(`created topic ${t.name} (${t.partitions} partition(s), replication ${t.replicationFactor})`);
      } catch (error) {
        const e = asError(error as Error);
        if (e.code === CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) continue;
        throw new StartupError(`cannot create topic '${t.name}' (${e.message}). ${createTopicRemedy(e.code, brokers)}`);
      }
    }
  } finally {
    admin.disconnect();
  }
}

/** What to do about a failed topic creation, by what the broker (or its absence) said. */
function createTopicRemedy(code: number, brokers: string): string {
  const { ERRORS } = CODES;
  if (code === ERRORS.ERR__TIMED_OUT || code === ERRORS.ERR__TRANSPORT || code === ERRORS.ERR__ALL_BROKERS_DOWN) {
    return `No broker at ${brokers} answered: check that it runs and that kafka.brokers (or KAFKA_BROKERS) names it.`;
  }
  if (code === ERRORS.ERR_TOPIC_AUTHORIZATION_FAILED || code === ERRORS.ERR_CLUSTER_AUTHORIZATION_FAILED) {
    return "Create it yourself, or give the app's principal the right to create topics.";
  }
  return 'Create it yourself, or fix what the broker objects to; partitions and replication come from kafka.partitions and kafka.replicationFactor.';
}

/** The current end (high watermark) of every partition of `topics`. */
export async function endOffsets(brokers: string, topics: readonly string[]): Promise<TopicPartitionOffset[]> {
  const probe = new Producer({ 'bootstrap.servers': brokers });
  await call<Metadata>((cb) => probe.connect({ timeout: 15000 }, cb));
  try {
    const out: TopicPartitionOffset[] = [];
    for (const topic of topics) {
      const metadata = await call<Metadata>((cb) => probe.getMetadata({ topic, timeout: 15000 }, cb));
      for (const p of metadata.topics.find((t) => t.name === topic)?.partitions ?? []) {
        const w = await call<{ highOffset: number }>((cb) => probe.queryWatermarkOffsets(topic, p.id, 15000, cb));
        out.push({ topic, partition: p.id, offset: w.highOffset });
      }
    }
    return out;
  } finally {
    await call((cb) => probe.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}
