import type { GlobalTopicFeed } from './global-store';
import type { Headers } from './record';

/**
 * The one seam between the engine and the outside world. The engine (StreamTask, StreamLoop)
 * sees only this; it is implemented in memory by the test driver and by node-rdkafka for a
 * real cluster, so both run the very same engine code.
 */

export interface InputRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
}

export interface OutputRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  readonly timestamp?: number;
  readonly partition?: number;
}

/** `offset` is the next offset to read, as Kafka commits it. */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface Clock {
  now(): number;
}

/** The newest committed checkpoint of a store and the input offsets it covers. */
export interface RestoredCheckpoint {
  /** The changelog key it was stored under. */
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly offsets: readonly TopicPartitionOffset[];
}

/**
 * Told when partitions come and go. A runtime that loses partitions while work on them is
 * uncommitted raises an AbortableError at the next consume(), so that work is redone by the
 * partitions' new owner and never committed here.
 */
export interface RebalanceListener {
  onRevoked(partitions: readonly TopicPartition[]): Promise<void>;
  onAssigned(partitions: readonly TopicPartition[]): Promise<void>;
}

export interface RuntimeIO {
  readonly clock: Clock;
  /** Up to `max` records, waiting at most `timeoutMs` for the first one. */
  consume(max: number, timeoutMs: number): Promise<InputRecord[]>;
  /** Queues a record; inside the open transaction when the runtime is transactional. */
  produce(record: OutputRecord): void;
  /**
   * Makes everything produced since the last commit, and the input `offsets`, durable together
   * (one transaction when exactly-once; flush then commit offsets when at-least-once).
   * Offsets that do not increase are refused by the implementation.
   */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /**
   * Drops what was produced since the last commit; consumption restarts from the committed
   * offsets (with several instances, another one may have committed a partition since).
   */
  abort(): Promise<void>;
  /**
   * Reads `topic` to its end and returns the newest committed checkpoint stored under the first
   * of `keys` that has one.
   */
  restoreCheckpoint(topic: string, keys: readonly string[]): Promise<RestoredCheckpoint | null>;
  /**
   * Where to start reading these partitions at the earliest (applied now, or when they are
   * assigned): records before it are skipped. The group's committed offset wins when it is
   * further: another instance may have trained the partition since (see KafkaIO).
   */
  seek(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  setRebalanceListener(listener: RebalanceListener): void;
  /**
   * Starts reading a global topic (see GlobalKeyValueStore): every partition from the beginning,
   * read_committed, outside the consumer group, never committed. Resolves once what the topic
   * held at the call has been read. Optional: a runtime without it cannot run global stores.
   */
  openGlobalTopic?(topic: string): Promise<GlobalTopicFeed>;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}
