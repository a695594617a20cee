import type { Headers, StreamRecord } from './record';
import type { TopicPartitionOffset } from './seam';
import type { StateStore } from './state-store';

/** Where the record being processed came from. Null inside a punctuator. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly headers: Headers;
}

/**
 * WALL_CLOCK punctuators fire as the runtime's clock passes their interval (in the test driver,
 * only when the test advances the clock). STREAM_TIME punctuators fire as record timestamps
 * advance stream time. A punctuation missed while the task was busy fires once, not once per
 * missed interval.
 */
export type PunctuationType = 'wall-clock' | 'stream-time';

export type Punctuator = (timestamp: number) => void | Promise<void>;

export interface Cancellable {
  cancel(): void;
}

/**
 * What a processor may do. Typed by what it forwards: forwarding a record of another type is a
 * compile error. Forwarded records are handed to the children after `process` (or the
 * punctuator) resolves, in the order they were forwarded.
 */
export interface ProcessorContext<KOut, VOut> {
  readonly appId: string;
  /** The processor's own name in the topology. */
  readonly nodeName: string;
  /** To all children, or to the named child only. */
  forward(record: StreamRecord<KOut, VOut>, childName?: string): void;
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  getStateStore<S extends StateStore>(name: string): S;
  /** Metadata of the input record being processed, or null inside a punctuator. */
  recordMetadata(): RecordMetadata | null;
  currentWallClockMs(): number;
  currentStreamTimeMs(): number;
  /**
   * Asks for a commit once the current record or punctuation is done, on top of the engine's
   * own commits every commit interval: outputs, state checkpoints and input offsets are
   * committed together. Input a processor still holds (see `heldOffsets`) is not committed.
   */
  commit(): void;
  readonly log: Logger;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * A node of the topology. Only `process` is required. `process` may be async; the engine
 * awaits it before the next record, so a slow processor holds the stream back (backpressure)
 * rather than buffering without bound.
 */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void | Promise<void>;
  process(record: StreamRecord<KIn, VIn>): void | Promise<void>;
  /**
   * Called once on a graceful stop, before the final commit: a processor holding a partial
   * batch may emit it here. Not called when the task is torn down after a failure.
   */
  drain?(): void | Promise<void>;
  /**
   * For a processor that keeps input past `process` (a window): per partition, the offset of
   * the first record it still holds and has not passed on. Asked at every commit: a commit
   * commits, for each partition, the lowest held offset or else the position, so held records
   * are read again after a crash or a stop, and the state checkpointed with the commit has not
   * seen them either. What a processor holds must therefore not be in its state stores.
   */
  heldOffsets?(): readonly TopicPartitionOffset[];
  close?(): void | Promise<void>;
}

export type ProcessorFactory<KIn, VIn, KOut, VOut> = () => Processor<KIn, VIn, KOut, VOut>;
