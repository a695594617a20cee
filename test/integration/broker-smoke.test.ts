/**
 * The broker the integration tests run on does what the app needs: topics made by the
 * AdminClient, plain produce/consume through a consumer group, transactions (only committed
 * records seen under read_committed), and 7 MB records (model checkpoints).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  AdminClient,
  KafkaConsumer,
  Producer,
  type ConsumerGlobalConfig,
  type DeliveryReport,
  type LibrdKafkaError,
  type Message,
  type Metadata,
  type NewTopic,
} from 'node-rdkafka';
import { testTopicPrefix } from './cleanup';

function brokers(): string {
  const b = process.env.KAFKA_BROKERS;
  if (!b) throw new Error('KAFKA_BROKERS is not set: run this through jest (its global setup starts the broker)');
  return b;
}

type Callback<T> = (err: LibrdKafkaError | null | undefined, value: T) => void;

/** Promise of a node-rdkafka callback API. */
function call<T = void>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, value) => (err ? reject(new Error(`${err.message} (code ${err.code})`)) : resolve(value)));
  });
}

const uniqueName = (what: string): string => `${testTopicPrefix()}smoke-${what}-${randomUUID().slice(0, 8)}`;

async function createTopic(topic: string, config: NewTopic['config'] = {}): Promise<void> {
  const admin = AdminClient.create({ 'bootstrap.servers': brokers(), 'client.id': 'smoke-admin' });
  try {
    await call((cb) => admin.createTopic({ topic, num_partitions: 1, replication_factor: 1, config }, 15000, cb));
  } finally {
    admin.disconnect();
  }
}

async function connectProducer(config: Record<string, string | number | boolean> = {}): Promise<Producer> {
  const producer = new Producer({ 'bootstrap.servers': brokers(), dr_cb: true, ...config });
  await call<Metadata>((cb) => producer.connect({ timeout: 15000 }, cb));
  producer.setPollInterval(20);
  return producer;
}

/** Produces and resolves with the delivery report (rejects on a delivery error). */
function produceAndWait(producer: Producer, topic: string, value: Buffer, key: string): Promise<DeliveryReport> {
  return new Promise((resolve, reject) => {
    const opaque = randomUUID();
    const onReport = (err: LibrdKafkaError, report: DeliveryReport): void => {
      if (report.opaque !== opaque) return;
      producer.removeListener('delivery-report', onReport);
      if (err) reject(new Error(`delivery of ${key} failed: ${err.message}`));
      else resolve(report);
    };
    producer.on('delivery-report', onReport);
    try {
      producer.produce(topic, 0, value, key, Date.now(), opaque);
    } catch (error) {
      producer.removeListener('delivery-report', onReport);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** Producer.disconnect(timeout, cb) flushes first; KafkaConsumer.disconnect takes only a callback. */
function disconnect(client: Producer | KafkaConsumer): Promise<void> {
  return new Promise((resolve) => {
    if (client instanceof Producer) client.disconnect(10000, () => resolve());
    else client.disconnect(() => resolve());
  });
}

/**
 * Reads `topic` (partition 0) from the beginning to its end with a non-flowing consumer
 * (consume(n, cb)): through subscribe() and the group coordinator when `subscribe`, else by
 * assign(). The end is the partition EOF event after the last record (node-rdkafka emits
 * 'data' and 'partition.eof' in log order during consume(), before its callback).
 */
async function readAll(topic: string, extra: ConsumerGlobalConfig = {}, subscribe = false): Promise<Message[]> {
  const consumer = new KafkaConsumer(
    {
      'bootstrap.servers': brokers(),
      'group.id': uniqueName('group'),
      'enable.auto.commit': false,
      'enable.partition.eof': true,
      ...extra,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await call<Metadata>((cb) => consumer.connect({ timeout: 15000 }, cb));
  const messages: Message[] = [];
  let atEnd = false;
  consumer.on('data', (m) => {
    messages.push(m);
    atEnd = false;
  });
  consumer.on('partition.eof', () => {
    atEnd = true;
  });
  try {
    if (subscribe) consumer.subscribe([topic]);
    else consumer.assign([{ topic, partition: 0, offset: 0 }]);
    consumer.setDefaultConsumeTimeout(200);
    const deadline = Date.now() + 60000;
    while (!atEnd) {
      if (Date.now() > deadline) throw new Error(`did not reach the end of ${topic} in 60 s (read ${messages.length})`);
      await call<Message[]>((cb) => consumer.consume(100, cb));
    }
    return messages;
  } finally {
    await disconnect(consumer);
  }
}

const text = (b: Buffer | string | null | undefined): string | null => (b === null || b === undefined ? null : Buffer.from(b).toString('utf8'));

describe('the integration-test Kafka broker', () => {
  it('creates a topic, takes 3 records and gives them back to a consumer group', async () => {
    const topic = uniqueName('plain');
    await createTopic(topic);
    const producer = await connectProducer({ acks: 'all', 'enable.idempotence': true });
    try {
      for (const i of [1, 2, 3]) await produceAndWait(producer, topic, Buffer.from(`value-${i}`), `key-${i}`);
    } finally {
      await disconnect(producer);
    }

    const read = await readAll(topic, {}, true);
    expect(read.map((m) => [text(m.key), text(m.value)])).toEqual([
      ['key-1', 'value-1'],
      ['key-2', 'value-2'],
      ['key-3', 'value-3'],
    ]);
    expect(read.map((m) => m.offset)).toEqual([0, 1, 2]);
  });

  it('runs transactions: read_committed sees the committed one and not the aborted one', async () => {
    const topic = uniqueName('txn');
    await createTopic(topic);
    const producer = await connectProducer({ 'transactional.id': uniqueName('txn-id'), 'transaction.timeout.ms': 30000 });
    try {
      await call((cb) => producer.initTransactions(30000, cb));

      await call((cb) => producer.beginTransaction(cb));
      producer.produce(topic, 0, Buffer.from('committed'), 'a');
      await call((cb) => producer.commitTransaction(30000, cb));

      await call((cb) => producer.beginTransaction(cb));
      producer.produce(topic, 0, Buffer.from('aborted'), 'b');
      await call((cb) => producer.flush(10000, cb)); // the aborted record really is in the log
      await call((cb) => producer.abortTransaction(30000, cb));
    } finally {
      await disconnect(producer);
    }

    const committed = await readAll(topic, { 'isolation.level': 'read_committed' });
    expect(committed.map((m) => [text(m.key), text(m.value)])).toEqual([['a', 'committed']]);
    const uncommitted = await readAll(topic, { 'isolation.level': 'read_uncommitted' });
    expect(uncommitted.map((m) => text(m.value))).toEqual(['committed', 'aborted']);
  });

  it('takes and gives back a 7 MB record on a topic with max.message.bytes=20000000', async () => {
    const topic = uniqueName('big');
    await createTopic(topic, { 'max.message.bytes': '20000000' });
    const value = randomBytes(7 * 1024 * 1024);
    // librdkafka refuses records over its own message.max.bytes (default 1 MB) before sending
    const producer = await connectProducer({ 'message.max.bytes': 20000000 });
    try {
      const report = await produceAndWait(producer, topic, value, 'checkpoint');
      expect(report.offset).toBe(0);
    } finally {
      await disconnect(producer);
    }

    // fetch.message.max.bytes (default 1 MB) is not a hard limit (the broker returns a batch
    // larger than it when it is the first one), raised anyway to fetch it in one go
    const read = await readAll(topic, { 'fetch.message.max.bytes': 20000000 });
    expect(read).toHaveLength(1);
    expect(text(read[0]?.key)).toBe('checkpoint');
    expect(read[0]?.value?.equals(value)).toBe(true);
  });
});
