import { randomUUID } from 'node:crypto';
import { KafkaConsumer, Producer, type Message, type Metadata } from 'node-rdkafka';
import { loadConfig, type AppConfig, type DeepPartial } from '../../config/load';
import type { WindowMetrics } from '../../processors/types';
import { call } from '../../topology/kafka/callbacks';
import { toInputRecord } from '../../topology/kafka/message';
import { testTopicPrefix } from './cleanup';

/** The brokers the integration tests use (set by the jest global setup). */
export function brokers(): string {
  const b = process.env.KAFKA_BROKERS;
  if (!b) throw new Error('KAFKA_BROKERS is not set: run the integration tests through jest (its global setup starts the broker)');
  return b;
}

/** test.json with fresh topic and app names, so tests never see each other's records. */
export function testConfig(overrides: DeepPartial<AppConfig> = {}): AppConfig {
  const id = `${testTopicPrefix()}${randomUUID().slice(0, 8)}`;
  return loadConfig({
    file: 'test.json',
    env: {},
    overrides: {
      ...overrides,
      app: { id, ...overrides.app },
      kafka: { brokers: brokers(), ...overrides.kafka },
      topics: { source: `${id}-mnist`, metrics: `${id}-metrics`, deadLetter: `${id}-dlq`, changelog: '', ...overrides.topics },
    },
  });
}

export interface ReadRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: number;
  readonly headers: Record<string, string>;
}

/** Every record of `topic` from the beginning to its end, as a plain consumer with that isolation sees it. */
export async function readTopic(topic: string, isolation: 'read_committed' | 'read_uncommitted' = 'read_committed'): Promise<ReadRecord[]> {
  const consumer = new KafkaConsumer(
    { 'bootstrap.servers': brokers(), 'group.id': `reader-${randomUUID()}`, 'enable.auto.commit': false, 'isolation.level': isolation, 'enable.partition.eof': true, 'fetch.message.max.bytes': 20 * 1024 * 1024 },
    {},
  );
  await call<Metadata>((cb) => consumer.connect({ timeout: 15000 }, cb));
  try {
    const metadata = await call<Metadata>((cb) => consumer.getMetadata({ topic, timeout: 15000 }, cb));
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions.map((p) => p.id) ?? [];
    // The end is where each partition stood when the read began (a live app keeps committing
    // windows: chasing its end may never finish). A partition is read when the consumer's
    // position passes that end (commit markers included) or it reports the end itself (an open
    // transaction's records, read_committed, are not there yet).
    const ends = new Map<number, number>();
    for (const partition of partitions) {
      const w = await call<{ highOffset: number }>((cb) => consumer.queryWatermarkOffsets(topic, partition, 15000, cb));
      ends.set(partition, w.highOffset);
    }
    const atEnd = new Set<number>(partitions.filter((p) => (ends.get(p) ?? 0) === 0));
    consumer.on('partition.eof', (e) => atEnd.add(e.partition));
    consumer.assign(partitions.map((partition) => ({ topic, partition, offset: -2 })));
    consumer.setDefaultConsumeTimeout(200);
    const out: ReadRecord[] = [];
    const deadline = Date.now() + 60000;
    while (atEnd.size < partitions.length) {
      if (Date.now() > deadline) throw new Error(`could not read ${topic} to its end`);
      const messages = await call<Message[]>((cb) => consumer.consume(500, cb));
      for (const m of messages) {
        const r = toInputRecord(m);
        const headers = Object.fromEntries(r.headers.map((h) => [h.key, h.value.toString('utf8')]));
        out.push({ key: r.key, value: r.value, partition: r.partition, offset: r.offset, headers });
      }
      for (const p of consumer.position(partitions.map((partition) => ({ topic, partition })))) {
        if ((p.offset ?? -1) >= (ends.get(p.partition) ?? 0)) atEnd.add(p.partition);
      }
    }
    return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  } finally {
    consumer.unassign();
    await call((cb) => consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}

export async function readMetrics(topic: string): Promise<WindowMetrics[]> {
  return (await readTopic(topic)).map((r) => JSON.parse(r.value?.toString('utf8') ?? 'null') as WindowMetrics);
}

/** The group's committed offsets on `topic`, by partition (-1001 when none). */
export async function committedOffsets(group: string, topic: string, partitions: number): Promise<number[]> {
  // read_uncommitted: librdkafka's default (read_committed) asks the broker for stable offsets,
  // and a partition whose offsets sit in an open transaction (an instance killed mid-transaction)
  // answers "unstable" until the broker aborts it, so committed() times out. This reads the last
  // committed offsets, which is what the tests mean.
  const consumer = new KafkaConsumer({ 'bootstrap.servers': brokers(), 'group.id': group, 'enable.auto.commit': false, 'isolation.level': 'read_uncommitted' }, {});
  await call<Metadata>((cb) => consumer.connect({ timeout: 15000 }, cb));
  try {
    const tps = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    const committed = await call<Array<{ partition: number; offset: number }>>((cb) => consumer.committed(tps, 15000, cb));
    return tps.map((tp) => committed.find((c) => c.partition === tp.partition)?.offset ?? -1001);
  } finally {
    await call((cb) => consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}

/** Produces raw records (for bad input), awaiting every delivery. */
export async function produceRaw(topic: string, records: ReadonlyArray<{ key: Buffer | null; value: Buffer | null; partition?: number }>): Promise<void> {
  const producer = new Producer({ 'bootstrap.servers': brokers(), dr_cb: true, 'message.max.bytes': 20 * 1024 * 1024, 'enable.idempotence': true });
  let delivered = 0;
  const failures: string[] = [];
  producer.on('delivery-report', (err) => (err ? failures.push(err.message) : (delivered += 1)));
  producer.setPollInterval(10);
  await call((cb) => producer.connect({ timeout: 15000 }, (err) => cb(err, undefined)));
  try {
    for (const r of records) producer.produce(topic, r.partition ?? null, r.value, r.key, Date.now());
    await call((cb) => producer.flush(60000, (err) => cb(err, undefined)));
    const deadline = Date.now() + 30000;
    while (delivered + failures.length < records.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (failures.length || delivered !== records.length) throw new Error(`produced ${delivered}/${records.length}: ${failures[0] ?? 'missing reports'}`);
  } finally {
    await call((cb) => producer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}

/** Asserts the invariants every metrics stream of ours keeps, and returns the totals. */
export function checkMetricsStream(metrics: readonly WindowMetrics[]): { records: number; rejected: number } {
  let records = 0;
  let rejected = 0;
  const next = new Map<number, number>();
  metrics.forEach((m, i) => {
    if (m.window !== i) throw new Error(`window ${i} is numbered ${m.window}: windows must run 0,1,2,... without gap or repeat`);
    const before = metrics[i - 1];
    if (before && m.trainedTotal < before.trainedTotal) throw new Error(`trainedTotal went down at window ${i}`);
    for (const range of m.offsets) {
      const expected = next.get(range.partition) ?? 0;
      if (range.first !== expected) throw new Error(`window ${i} starts partition ${range.partition} at ${range.first}, expected ${expected}: offsets must be contiguous and never overlap`);
      next.set(range.partition, range.last + 1);
    }
    records += m.records;
    rejected += m.rejected;
  });
  return { records, rejected };
}

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 90000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The committed offset of partition 0 of the app's source topic (0 when none yet). */
export async function committedSourceOffset(group: string, topic: string): Promise<number> {
  const [offset = -1001] = await committedOffsets(group, topic, 1);
  return Math.max(0, offset);
}
