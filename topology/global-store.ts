import type { Serde } from '../serdes/serde';
import type { InputRecord, RuntimeIO } from './seam';
import type { StateStore } from './state-store';

/**
 * New records of a global topic, as a read_committed reader that is outside the consumer group
 * sees them: every partition, from the beginning, never committed. The runtime keeps reading
 * while the task runs; `take()` hands over what arrived since the last call.
 */
export interface GlobalTopicFeed {
  take(): InputRecord[];
  close(): Promise<void>;
}

/** The latest value of one key of a global store, with the timestamp of its record. */
export interface GlobalEntry<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
}

/**
 * Kafka Streams' global store: the latest value per key of a topic that every instance reads
 * whole. Read-only for processors; it is kept current by the runtime (see `GlobalTopicFeed`),
 * so it needs no changelog of its own: the topic is one. Reads see every record the feed has
 * delivered when the read is made; a null value (a tombstone) removes its key.
 */
export class GlobalKeyValueStore<K, V> implements StateStore {
  private readonly entries = new Map<string, GlobalEntry<K, V>>();
  private feed: GlobalTopicFeed | null = null;

  constructor(
    readonly name: string,
    readonly topic: string,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  /** Called by the engine once the store is created: the store reads the topic from now on. */
  async connect(io: RuntimeIO): Promise<void> {
    if (!io.openGlobalTopic) {
      throw new Error(`global store '${this.name}' needs a runtime that reads global topics; this one cannot read '${this.topic}'`);
    }
    this.feed = await io.openGlobalTopic(this.topic);
  }

  get(key: K): GlobalEntry<K, V> | undefined {
    this.refresh();
    return this.entries.get(mapKey(this.keySerde.serialize(key)));
  }

  all(): GlobalEntry<K, V>[] {
    this.refresh();
    return [...this.entries.values()];
  }

  async close(): Promise<void> {
    const feed = this.feed;
    this.feed = null;
    await feed?.close();
  }

  private refresh(): void {
    if (!this.feed) throw new Error(`global store '${this.name}' is not connected to its topic '${this.topic}' yet`);
    for (const record of this.feed.take()) {
      const at = mapKey(record.key);
      if (record.value === null) this.entries.delete(at);
      else this.entries.set(at, { key: this.keySerde.deserialize(record.key), value: this.valueSerde.deserialize(record.value), timestamp: record.timestamp });
    }
  }
}

export function isGlobalStore(store: StateStore): store is GlobalKeyValueStore<unknown, unknown> {
  return store instanceof GlobalKeyValueStore;
}

function mapKey(key: Buffer | null): string {
  return key === null ? '' : `k${key.toString('base64')}`;
}
