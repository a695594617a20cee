import type { ConsumerGlobalConfig, ConsumerTopicConfig, ProducerGlobalConfig } from 'node-rdkafka';

export type LibrdkafkaSettings = Readonly<Record<string, string | number | boolean>>;

/**
 * The largest record the runtime writes or reads: a checkpoint of the model with Adam's state
 * is ~6.5 MB, over Kafka's default 1 MB. The changelog topic, the producer and every consumer
 * of ours allow this much; the broker's own default applies to every other topic.
 */
export const MAX_RECORD_BYTES = 20 * 1024 * 1024;

export interface ClientSettings {
  readonly brokers: string;
  readonly appId: string;
  readonly instance: number;
  readonly exactlyOnce: boolean;
  readonly consumer: LibrdkafkaSettings;
  readonly producer: LibrdkafkaSettings;
  /** Default true: the consumer is a static member of its group (`<appId>-<instance>`). */
  readonly staticMembership?: boolean;
}

export function consumerSettings(s: ClientSettings): ConsumerGlobalConfig {
  return {
    'bootstrap.servers': s.brokers,
    'group.id': s.appId,
    'client.id': `${s.appId}-${s.instance}-consumer`,
    // Static membership: an instance restarted after a crash takes its partitions back at once,
    // instead of waiting for the dead member's session to time out (45 s by default).
    ...(s.staticMembership === false ? {} : { 'group.instance.id': `${s.appId}-${s.instance}` }),
    'enable.auto.commit': false,
    'enable.auto.offset.store': false,
    'isolation.level': 'read_committed',
    'fetch.message.max.bytes': MAX_RECORD_BYTES,
    'receive.message.max.bytes': MAX_RECORD_BYTES * 2,
    // Bounds what librdkafka prefetches while the trainer is busy: memory stays flat however
    // full the topic is.
    'queued.max.messages.kbytes': 8192,
    // Once that prefetch is full, librdkafka waits this long before it fetches again (default
    // 1000 ms): with 8 MB consumed in a few tens of ms, the default left the consumer idle most
    // of the time (45k records/s instead of 230k+ on a local broker).
    'fetch.queue.backoff.ms': 10,
    ...s.consumer,
  };
}

/** A group with no committed offset starts at the beginning: no record is skipped. */
export const consumerTopicSettings: ConsumerTopicConfig = { 'auto.offset.reset': 'earliest' };

/** librdkafka's default transaction.timeout.ms. */
const DEFAULT_TRANSACTION_TIMEOUT_MS = 60000;

/** The producer's transaction timeout: `kafka.producer`'s, else librdkafka's default. */
export function transactionTimeoutMs(s: ClientSettings): number {
  return Number(s.producer['transaction.timeout.ms'] ?? DEFAULT_TRANSACTION_TIMEOUT_MS);
}

export function producerSettings(s: ClientSettings): ProducerGlobalConfig {
  const transactional: ProducerGlobalConfig = s.exactlyOnce
    ? { 'transactional.id': `${s.appId}-${s.instance}`, 'transaction.timeout.ms': DEFAULT_TRANSACTION_TIMEOUT_MS }
    : {};
  return {
    'bootstrap.servers': s.brokers,
    'client.id': `${s.appId}-${s.instance}-producer`,
    'enable.idempotence': true,
    'message.max.bytes': MAX_RECORD_BYTES + 1024 * 1024,
    'linger.ms': 5,
    dr_cb: true,
    ...transactional,
    ...s.producer,
  };
}
