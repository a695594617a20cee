import { partitionKey, type TopicPartitionOffset } from './seam';

/**
 * The offsets a commit may commit: for each partition read, the first offset some processor
 * still holds, or else the position (the next offset to read). Records from there on are read
 * again after a crash or a stop, so nothing held is ever lost.
 */
export function offsetsToCommit(
  positions: Iterable<TopicPartitionOffset>,
  held: Iterable<TopicPartitionOffset>,
): TopicPartitionOffset[] {
  const lowest = new Map<string, number>();
  for (const h of held) {
    const key = partitionKey(h.topic, h.partition);
    lowest.set(key, Math.min(lowest.get(key) ?? h.offset, h.offset));
  }
  return [...positions].map((p) => {
    const heldAt = lowest.get(partitionKey(p.topic, p.partition));
    return heldAt === undefined || heldAt >= p.offset ? p : { ...p, offset: heldAt };
  });
}

/** True when both name the same offset for the same partitions. */
export function sameOffsets(a: readonly TopicPartitionOffset[], b: readonly TopicPartitionOffset[]): boolean {
  if (a.length !== b.length) return false;
  const byKey = new Map(b.map((o) => [partitionKey(o.topic, o.partition), o.offset]));
  return a.every((o) => byKey.get(partitionKey(o.topic, o.partition)) === o.offset);
}

export function formatOffsets(offsets: readonly TopicPartitionOffset[]): string {
  return offsets.length ? offsets.map((o) => `${o.topic}/${o.partition}:${o.offset}`).join(' ') : 'none';
}
