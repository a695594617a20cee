import type { Headers } from './record';
import type { OutputRecord, RestoredCheckpoint, TopicPartitionOffset } from './seam';

/** The header of a changelog record that names the input offsets its checkpoint covers. */
export const OFFSETS_HEADER = 'streamtrain.offsets';

/**
 * The changelog key of a store's checkpoint: one per instance (`trainer/1`), so that live
 * instances of one app.id, which share the changelog topic, never overwrite each other's.
 */
export function checkpointKey(store: string, instance: number): string {
  return `${store}/${instance}`;
}

/**
 * The keys a store restores from, the first that has a checkpoint wins: the instance's own,
 * then, for instance 0 only, the bare store name under which releases before several instances
 * wrote the one instance's checkpoint (app.instance 0 by default). Only instance 0 takes it,
 * so window numbers carry on without gap or repeat for one (model, instance) only.
 */
export function restoreKeys(store: string, instance: number): string[] {
  return instance === 0 ? [checkpointKey(store, instance), store] : [checkpointKey(store, instance)];
}

export function checkpointRecord(
  topic: string,
  key: string,
  bytes: Uint8Array,
  offsets: readonly TopicPartitionOffset[],
): OutputRecord {
  return {
    topic,
    key: Buffer.from(key, 'utf8'),
    value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    headers: [{ key: OFFSETS_HEADER, value: Buffer.from(JSON.stringify(offsets), 'utf8') }],
  };
}

/** Reads a changelog record back; null when it is not a checkpoint (e.g. a tombstone). */
export function readCheckpointRecord(key: string, value: Buffer | null, headers: Headers): RestoredCheckpoint | null {
  if (!value) return null;
  const header = headers.find((h) => h.key === OFFSETS_HEADER);
  const offsets = header ? (JSON.parse(header.value.toString('utf8')) as TopicPartitionOffset[]) : [];
  return { key, bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength), offsets };
}
