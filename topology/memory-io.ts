import { readCheckpointRecord } from './checkpoint-record';
import type { GlobalTopicFeed } from './global-store';
import {
  partitionKey,
  type Clock,
  type InputRecord,
  type OutputRecord,
  type RebalanceListener,
  type RestoredCheckpoint,
  type RuntimeIO,
  type TopicPartition,
  type TopicPartitionOffset,
} from './seam';

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`the clock cannot go back (advance by ${ms} ms)`);
    this.ms += ms;
  }
}

export interface StoredRecord extends InputRecord {
  /** 'open' until the commit that covers it; aborted records are never read. */
  state: 'open' | 'committed' | 'aborted';
}

/**
 * Topics, a consumer and a transactional producer in memory: the RuntimeIO of the test
 * driver. Produced records are appended at once (visible as a read_uncommitted reader would
 * see them) and marked committed or aborted with the transaction.
 */
export class MemoryIO implements RuntimeIO {
  private readonly positions = new Map<string, number>();
  private readonly committed = new Map<string, number>();
  private readonly paused = new Set<string>();
  private open: StoredRecord[] = [];
  private listener: RebalanceListener | undefined;
  commits = 0;
  /** Set by a test to make the next commit fail (e.g. with an AbortableError). */
  failNextCommit: Error | null = null;

  /**
   * `topics` may be another MemoryIO's (see `sharedTopics()`): a second instance of an app, with
   * its own consumer positions and transactions over the same topics.
   */
  constructor(
    readonly clock: ManualClock,
    private readonly sourceTopics: readonly string[],
    private readonly topics = new Map<string, StoredRecord[][]>(),
  ) {}

  sharedTopics(): Map<string, StoredRecord[][]> {
    return this.topics;
  }

  createTopic(topic: string, partitions = 1): void {
    if (this.topics.has(topic)) return;
    this.topics.set(topic, Array.from({ length: partitions }, () => []));
  }

  /** Appends a record as an external producer would (committed at once). */
  append(topic: string, partition: number, key: Buffer | null, value: Buffer | null, timestamp: number, headers: InputRecord['headers'] = []): StoredRecord {
    this.createTopic(topic);
    const log = this.partitionLog(topic, partition);
    const record: StoredRecord = { topic, partition, offset: log.length, timestamp, key, value, headers, state: 'committed' };
    log.push(record);
    return record;
  }

  async consume(max: number): Promise<InputRecord[]> {
    const out: InputRecord[] = [];
    for (const topic of this.sourceTopics) {
      const partitions = this.topics.get(topic) ?? [];
      partitions.forEach((log, partition) => {
        const key = partitionKey(topic, partition);
        if (this.paused.has(key)) return;
        let position = this.positions.get(key) ?? this.committed.get(key) ?? 0;
        while (position < log.length && out.length < max) {
          const record = log[position];
          position += 1;
          if (record && record.state === 'committed') out.push(record);
          else if (record && record.state === 'open') { position -= 1; break; } // read_committed stops at an open transaction
        }
        this.positions.set(key, position);
      });
    }
    return out;
  }

  produce(record: OutputRecord): void {
    this.createTopic(record.topic);
    const log = this.partitionLog(record.topic, record.partition ?? 0);
    const stored: StoredRecord = {
      topic: record.topic,
      partition: record.partition ?? 0,
      offset: log.length,
      timestamp: record.timestamp ?? this.clock.now(),
      key: record.key,
      value: record.value,
      headers: record.headers,
      state: 'open',
    };
    log.push(stored);
    this.open.push(stored);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const failure = this.failNextCommit;
    if (failure) {
      this.failNextCommit = null;
      throw failure;
    }
    for (const o of offsets) {
      const key = partitionKey(o.topic, o.partition);
      const before = this.committed.get(key) ?? 0;
      if (o.offset < before) throw new Error(`offset for ${key} would go back from ${before} to ${o.offset}`);
    }
    for (const o of offsets) this.committed.set(partitionKey(o.topic, o.partition), o.offset);
    for (const r of this.open) r.state = 'committed';
    this.open = [];
    this.commits += 1;
  }

  async abort(): Promise<void> {
    for (const r of this.open) r.state = 'aborted';
    this.open = [];
    this.positions.clear(); // back to the committed offsets
  }

  async restoreCheckpoint(topic: string, keys: readonly string[]): Promise<RestoredCheckpoint | null> {
    for (const key of keys) {
      const records = (this.topics.get(topic) ?? []).flat().filter((r) => r.state === 'committed' && r.key?.toString('utf8') === key);
      const newest = records[records.length - 1];
      if (newest) return readCheckpointRecord(key, newest.value, newest.headers);
    }
    return null;
  }

  async seek(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    for (const o of offsets) {
      const key = partitionKey(o.topic, o.partition);
      this.positions.set(key, Math.max(o.offset, this.committed.get(key) ?? 0));
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.add(partitionKey(p.topic, p.partition));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(partitionKey(p.topic, p.partition));
  }

  /** The memory runtime has no group: it assigns every partition of the source topics at once. */
  setRebalanceListener(listener: RebalanceListener): void {
    this.listener = listener;
    const partitions = this.sourceTopics.flatMap((topic) => (this.topics.get(topic) ?? [[]]).map((_, partition) => ({ topic, partition })));
    void listener.onAssigned(partitions);
  }

  /**
   * Tells the loop that `partitions` moved to another instance, as a cooperative rebalance
   * does (the others stay). The records stay readable here: a test of the listener, not of a group.
   */
  async revoke(partitions: readonly TopicPartition[]): Promise<void> {
    await this.listener?.onRevoked(partitions);
  }


  async openGlobalTopic(topic: string): Promise<GlobalTopicFeed> {
    this.createTopic(topic);
    const positions: number[] = [];
    return {
      // read_committed: each partition up to its first open record; aborted records are skipped.
      take: () =>
        (this.topics.get(topic) ?? []).flatMap((log, partition) => {
          const out: StoredRecord[] = [];
          let position = positions[partition] ?? 0;
          for (; position < log.length; position++) {
            const record = log[position];
            if (!record || record.state === 'open') break;
            if (record.state === 'committed') out.push(record);
          }
          positions[partition] = position;
          return out;
        }),
      close: async () => undefined,
    };
  }

  /** Every record of the topic that is not aborted, in partition then offset order. */
  read(topic: string, options: { committedOnly?: boolean } = {}): StoredRecord[] {
    return (this.topics.get(topic) ?? []).flat().filter((r) => r.state !== 'aborted' && (!options.committedOnly || r.state === 'committed'));
  }

  committedOffsets(): TopicPartitionOffset[] {
    return [...this.committed].map(([key, offset]) => {
      const slash = key.lastIndexOf('/');
      return { topic: key.slice(0, slash), partition: Number(key.slice(slash + 1)), offset };
    });
  }

  private partitionLog(topic: string, partition: number): StoredRecord[] {
    const partitions = this.topics.get(topic);
    const log = partitions?.[partition];
    if (!log) throw new Error(`topic '${topic}' has no partition ${partition}`);
    return log;
  }
}
