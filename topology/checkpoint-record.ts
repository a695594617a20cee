import type { Headers } from './record';
import type { OutputRecord, RestoredCheckpoint, TopicPartitionOffset } from './seam';

/** The header of a changelog record that names the input offsets its checkpoint covers. */
export const OFFSETS_HEADER = 'streamtrain.offsets';

export function checkpointRecord(
  topic: string,
  store: string,
  bytes: Uint8Array,
  offsets: readonly TopicPartitionOffset[],
): OutputRecord {
  return {
    topic,
    key: Buffer.from(store, 'utf8'),
    value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    headers: [{ key: OFFSETS_HEADER, value: Buffer.from(JSON.stringify(offsets), 'utf8') }],
  };
}

/** Reads a changelog record back; null when it is not a checkpoint (e.g. a tombstone). */
export function readCheckpointRecord(value: Buffer | null, headers: Headers): RestoredCheckpoint | null {
  if (!value) return null;
  const header = headers.find((h) => h.key === OFFSETS_HEADER);
  const offsets = header ? (JSON.parse(header.value.toString('utf8')) as TopicPartitionOffset[]) : [];
  return { bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength), offsets };
}
