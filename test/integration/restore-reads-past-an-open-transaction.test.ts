// Several instances share one changelog partition. While instance 0 has a transaction open on it
// (it commits every interval, or it died mid-transaction), a read_committed reader's end of the
// partition is the start of that transaction: instance 1's newer checkpoints, committed after it
// began, lie beyond. A restore must wait for that transaction to end and return instance 1's
// newest checkpoint, not an older one (which set its model and window numbers back: CI caught it).
import { Producer } from 'node-rdkafka';
import { clientSettings, mnistTopics } from '../../cli/mnist-app';
import { TRAINER_STORE } from '../../processors/mnist-topology';
import { checkpointKey, checkpointRecord } from '../../topology/checkpoint-record';
import { ensureTopics } from '../../topology/kafka/admin';
import { call } from '../../topology/kafka/callbacks';
import { readNewestCheckpoint } from '../../topology/kafka/changelog-reader';
import { memoryLogger } from '../../topology/logger';
import type { OutputRecord } from '../../topology/seam';
import { brokers, sleep, testConfig } from './support';

const TIMEOUT_MS = 15000;

async function transactionalProducer(id: string): Promise<Producer> {
  const producer = new Producer({ 'bootstrap.servers': brokers(), 'transactional.id': id, 'message.max.bytes': 21 * 1024 * 1024 });
  await call((cb) => producer.connect({ timeout: TIMEOUT_MS }, (err) => cb(err, undefined)));
  await call((cb) => producer.initTransactions(TIMEOUT_MS, (err) => cb(err, undefined)));
  return producer;
}

async function write(producer: Producer, record: OutputRecord): Promise<void> {
  producer.produce(record.topic, null, record.value, record.key, Date.now(), undefined, record.headers.map((h) => ({ [h.key]: h.value })));
  await call((cb) => producer.flush(TIMEOUT_MS, (err) => cb(err, undefined)));
}

async function committed(producer: Producer, record: OutputRecord): Promise<void> {
  await call((cb) => producer.beginTransaction((err) => cb(err, undefined)));
  await write(producer, record);
  await call((cb) => producer.commitTransaction(TIMEOUT_MS, (err) => cb(err, undefined)));
}

test("a restore waits for another instance's open transaction and returns this instance's newest checkpoint", async () => {
  const config = testConfig();
  await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
  const topic = config.topics.changelog;
  const offsets = [{ topic: config.topics.source, partition: 0, offset: 0 }];
  const checkpoint = (instance: number, bytes: number) => checkpointRecord(topic, checkpointKey(TRAINER_STORE, instance), Uint8Array.of(bytes), offsets);
  const zero = await transactionalProducer(`${config.app.id}-0`);
  const one = await transactionalProducer(`${config.app.id}-1`);
  try {
    await committed(one, checkpoint(1, 1));
    // Instance 0 begins a transaction and holds it open; instance 1 then commits a newer checkpoint.
    await call((cb) => zero.beginTransaction((err) => cb(err, undefined)));
    await write(zero, checkpoint(0, 0));
    await committed(one, checkpoint(1, 2));

    // When the restore returns, taken as it returns (not after the commit below, which would always be later).
    const restored = readNewestCheckpoint(clientSettings(config), topic, [checkpointKey(TRAINER_STORE, 1)], memoryLogger()).then((newest) => ({ newest, returnedAt: Date.now() }));
    await sleep(3000);
    const endedAt = Date.now();
    await call((cb) => zero.commitTransaction(TIMEOUT_MS, (err) => cb(err, undefined)));
    const { newest, returnedAt } = await restored;
    expect(newest && [...newest.bytes]).toEqual([2]);
    expect(returnedAt).toBeGreaterThanOrEqual(endedAt);
  } finally {
    for (const producer of [zero, one]) await call((cb) => producer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}, 60000);
