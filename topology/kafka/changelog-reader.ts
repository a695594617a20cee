import type { KafkaConsumer, Message, Metadata } from 'node-rdkafka';
import { readCheckpointRecord } from '../checkpoint-record';
import { call } from './callbacks';
import { toInputRecord } from './message';
import { assignedConsumer } from './global-reader';
import type { ClientSettings } from './settings';
import type { Logger } from '../processor';
import type { RestoredCheckpoint } from '../seam';

const OFFSET_BEGINNING = -2;
/** A committed checkpoint takes two offsets (the record and the commit marker): look this far back first. */
const TAIL_OFFSETS = 16;

/**
 * Reads a changelog topic to its end, read_committed, and returns the newest checkpoint stored
 * under `key`. It looks at the tail first (the newest checkpoint is almost always there) and
 * reads the whole topic only when the tail holds none.
 */
export async function readNewestCheckpoint(settings: ClientSettings, topic: string, key: string, log: Logger): Promise<RestoredCheckpoint | null> {
  const consumer = assignedConsumer(settings, 'restore');
  await call<Metadata>((cb) => consumer.connect({ topic, timeout: 30000 }, cb));
  try {
    const metadata = await call<Metadata>((cb) => consumer.getMetadata({ topic, timeout: 30000 }, cb));
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions.map((p) => p.id) ?? [];
    if (partitions.length === 0) return null;
    const watermarks = await Promise.all(
      partitions.map((partition) => call<{ lowOffset: number; highOffset: number }>((cb) => consumer.queryWatermarkOffsets(topic, partition, 30000, cb))),
    );
    const tailStarts = watermarks.map((w) => Math.max(w.lowOffset, w.highOffset - TAIL_OFFSETS));
    const fromTail = await readToEnd(consumer, topic, partitions, tailStarts, key);
    if (fromTail || watermarks.every((w, i) => tailStarts[i] === w.lowOffset)) return fromTail;
    log.info(`changelog ${topic}: no checkpoint in the last ${TAIL_OFFSETS} offsets, reading it all`);
    return await readToEnd(consumer, topic, partitions, partitions.map(() => OFFSET_BEGINNING), key);
  } finally {
    await call((cb) => consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}

async function readToEnd(consumer: KafkaConsumer, topic: string, partitions: number[], starts: number[], key: string): Promise<RestoredCheckpoint | null> {
  const atEnd = new Set<number>();
  const onEof = (eof: { partition: number }) => atEnd.add(eof.partition);
  consumer.on('partition.eof', onEof);
  consumer.assign(partitions.map((partition, i) => ({ topic, partition, offset: starts[i] ?? OFFSET_BEGINNING })));
  consumer.setDefaultConsumeTimeout(200);
  let newest: Message | null = null;
  const deadline = Date.now() + 120000;
  try {
    while (atEnd.size < partitions.length) {
      if (Date.now() > deadline) throw new Error(`changelog ${topic} could not be read to its end within 120 s; check the broker`);
      const messages = await call<Message[]>((cb) => consumer.consume(8, cb));
      for (const m of messages) {
        atEnd.delete(m.partition);
        // A key always lands in one partition, read in offset order: the last one read is the newest.
        if (m.key?.toString() === key) newest = m;
      }
    }
  } finally {
    consumer.removeListener('partition.eof', onEof);
    consumer.unassign();
  }
  if (!newest) return null;
  const record = toInputRecord(newest);
  return readCheckpointRecord(record.value, record.headers);
}
