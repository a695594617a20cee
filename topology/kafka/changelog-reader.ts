import type { KafkaConsumer, Message, Metadata } from 'node-rdkafka';
import { readCheckpointRecord } from '../checkpoint-record';
import { call } from './callbacks';
import { toInputRecord } from './message';
import { assignedConsumer, OFFSET_BEGINNING, readToEnd } from './read-to-end';
import type { ClientSettings } from './settings';
import type { Logger } from '../processor';
import type { RestoredCheckpoint } from '../seam';

/** A committed checkpoint takes two offsets (the record and the commit marker): look this far back first. */
const TAIL_OFFSETS = 16;

/**
 * Reads a changelog topic to its end, read_committed, and returns the newest checkpoint stored
 * under the first of `keys` that has one (an instance's own key, then a legacy one). It looks at
 * the tail first (the newest checkpoint of the first key is almost always there) and reads the
 * whole topic only when the tail holds none of the first key: several instances share the topic,
 * and an older key is looked for only after the whole topic proved the first one absent.
 */
export async function readNewestCheckpoint(settings: ClientSettings, topic: string, keys: readonly string[], log: Logger): Promise<RestoredCheckpoint | null> {
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
    const [own] = keys;
    const fromTail = await newestOf(consumer, topic, partitions, tailStarts, keys);
    const wholeTopic = watermarks.every((w, i) => tailStarts[i] === w.lowOffset);
    if (wholeTopic || (own !== undefined && fromTail.has(own))) return firstOf(keys, fromTail);
    log.info(`changelog ${topic}: no checkpoint of ${own} in the last ${TAIL_OFFSETS} offsets, reading it all`);
    return firstOf(keys, await newestOf(consumer, topic, partitions, partitions.map(() => OFFSET_BEGINNING), keys));
  } finally {
    await call((cb) => consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}

function firstOf(keys: readonly string[], newest: ReadonlyMap<string, Message>): RestoredCheckpoint | null {
  for (const key of keys) {
    const message = newest.get(key);
    if (!message) continue;
    const record = toInputRecord(message);
    return readCheckpointRecord(key, record.value, record.headers);
  }
  return null;
}

/** The newest record of each of `keys` from `starts` to the end. */
async function newestOf(consumer: KafkaConsumer, topic: string, partitions: number[], starts: number[], keys: readonly string[]): Promise<Map<string, Message>> {
  const newest = new Map<string, Message>();
  try {
    await readToEnd(consumer, topic, partitions, starts, 8, (m) => {
      // A key always lands in one partition, read in offset order: the last one read is the newest.
      const key = m.key?.toString();
      if (key !== undefined && keys.includes(key)) newest.set(key, m);
    });
  } finally {
    consumer.unassign();
  }
  return newest;
}
