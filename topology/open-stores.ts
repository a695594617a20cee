import { checkpointKey, restoreKeys } from './checkpoint-record';
import { formatOffsets } from './commit-offsets';
import { isGlobalStore } from './global-store';
import type { Logger } from './processor';
import type { RuntimeIO, TopicPartitionOffset } from './seam';
import { isCheckpointable, type StateStore } from './state-store';
import type { Topology } from './topology';

/**
 * Creates the topology's stores, connects the global ones, and restores each store with a
 * changelog from this instance's latest checkpoint (or, before instances had keys of their own,
 * the app's). Returns the stores by name and the offsets the restored checkpoints cover: where
 * reading starts at the earliest.
 */
export async function openStores(
  topology: Topology,
  io: RuntimeIO,
  instance: number,
  log: Logger,
): Promise<{ readonly stores: Map<string, StateStore>; readonly restored: TopicPartitionOffset[] }> {
  const stores = new Map<string, StateStore>();
  const restored: TopicPartitionOffset[] = [];
  for (const spec of topology.stores.values()) {
    const store = spec.factory();
    await store.init?.();
    if (isGlobalStore(store)) await store.connect(io);
    if (spec.changelogTopic && isCheckpointable(store)) {
      const own = checkpointKey(spec.name, instance);
      const checkpoint = await io.restoreCheckpoint(spec.changelogTopic, restoreKeys(spec.name, instance));
      if (checkpoint) {
        await store.restore(checkpoint.bytes);
        restored.push(...checkpoint.offsets);
        const legacy = checkpoint.key === own ? '' : `, written before instances had checkpoints of their own: from now on under key ${own}`;
        log.info(`store '${spec.name}' restored from ${spec.changelogTopic} (key ${checkpoint.key}${legacy}, ${checkpoint.bytes.byteLength} bytes, offsets ${formatOffsets(checkpoint.offsets)})`);
      } else {
        log.info(`store '${spec.name}': no checkpoint under key ${own} in ${spec.changelogTopic}, starting fresh`);
      }
    }
    stores.set(spec.name, store);
  }
  return { stores, restored };
}
