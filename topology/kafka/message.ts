import type { Message } from 'node-rdkafka';
import type { Header } from '../record';
import type { InputRecord } from '../seam';

/** A node-rdkafka message as the engine's InputRecord: keys and header values as Buffers. */
export function toInputRecord(m: Message): InputRecord {
  const headers: Header[] = [];
  for (const h of m.headers ?? []) {
    for (const [key, value] of Object.entries(h)) headers.push({ key, value: Buffer.isBuffer(value) ? value : Buffer.from(value) });
  }
  const key = m.key === undefined || m.key === null ? null : Buffer.isBuffer(m.key) ? m.key : Buffer.from(m.key);
  return { topic: m.topic, partition: m.partition, offset: m.offset, timestamp: m.timestamp ?? Date.now(), key, value: m.value, headers };
}
