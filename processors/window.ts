import type { Cancellable, Processor, ProcessorContext } from '../topology/processor';
import { StreamRecord } from '../topology/record';
import type { TopicPartitionOffset } from '../topology/seam';
import type { DecodeOutcome, OffsetRange, WindowBatch } from './types';

export interface WindowOptions {
  /** Examples per window; the window closes when it holds this many. */
  readonly maxRecords: number;
  /** Wall time since the window opened after which it closes; 0 = count only. */
  readonly maxMs: number;
  readonly imageSize: number;
  /** The child that trains on a closed window. */
  readonly trainChild: string;
  /** The child that receives the window's rejected records (the dead-letter sink). */
  readonly deadLetterChild: string;
}

type Rejected = StreamRecord<Buffer | null, DecodeOutcome>;
/** What the window forwards: a closed batch to the trainer, its rejected records to the dead-letter sink. */
export type WindowOutput = WindowBatch | DecodeOutcome;

interface Range { topic: string; partition: number; first: number; last: number }

/**
 * Groups decoded records into micro-batch windows that close on `maxRecords` examples or
 * `maxMs` of wall time since the first record, whichever comes first. Rejected records ride in
 * the window that is open when they arrive, so every input offset belongs to exactly one
 * window, and go to the dead-letter sink when it closes: until then their offsets are held
 * (uncommitted), so a dead letter is written exactly once, in the transaction that commits
 * them. An empty window emits nothing.
 */
export class WindowProcessor implements Processor<Buffer | null, DecodeOutcome, Buffer | string | null, WindowOutput> {
  private context!: ProcessorContext<Buffer | string | null, WindowOutput>;
  private readonly pixelsPerImage: number;
  private images: Uint8Array;
  private labels: Uint8Array;
  private count = 0;
  private rejected: Rejected[] = [];
  private ranges = new Map<string, Range>();
  private lastRange: Range | null = null;
  private openedAt: number | null = null;
  private timer: Cancellable | null = null;

  constructor(private readonly options: WindowOptions) {
    this.pixelsPerImage = options.imageSize * options.imageSize;
    this.images = new Uint8Array(options.maxRecords * this.pixelsPerImage);
    this.labels = new Uint8Array(options.maxRecords);
  }

  init(context: ProcessorContext<Buffer | string | null, WindowOutput>): void {
    this.context = context;
    if (this.options.maxMs > 0) {
      // Checked often enough that a window closes within a fifth of maxMs of its deadline.
      const every = Math.max(10, Math.min(1000, Math.floor(this.options.maxMs / 5)));
      this.timer = context.schedule(every, 'wall-clock', (now) => {
        if (this.openedAt !== null && now - this.openedAt >= this.options.maxMs) this.emit('time');
      });
    }
  }

  process(record: StreamRecord<Buffer | null, DecodeOutcome>): void {
    const meta = this.context.recordMetadata();
    if (this.openedAt === null) this.openedAt = this.context.currentWallClockMs();
    if (meta) this.cover(meta.topic, meta.partition, meta.offset);
    const outcome = record.value;
    if (outcome.kind === 'rejected') {
      this.rejected.push(record);
      return;
    }
    const { pixels, label } = outcome.example;
    if (pixels.length !== this.pixelsPerImage) {
      throw new Error(`example has ${pixels.length} pixels; this window expects ${this.pixelsPerImage} (imageSize ${this.options.imageSize})`);
    }
    this.images.set(pixels, this.count * this.pixelsPerImage);
    this.labels[this.count] = label;
    this.count += 1;
    if (this.count >= this.options.maxRecords) this.emit('count');
  }

  /**
   * A count window is defined by its count: a stop leaves it open, its records uncommitted, and
   * the next start reads them again, so a stopped-and-resumed stream trains the same windows
   * as an uninterrupted one. A time window ends with time, and a stop is the end of time.
   */
  drain(): void {
    if (this.options.maxMs > 0) this.emit('stop');
  }

  /** The open window's first offset on each partition: not committed until the window closes. */
  heldOffsets(): TopicPartitionOffset[] {
    return [...this.ranges.values()].map((r) => ({ topic: r.topic, partition: r.partition, offset: r.first }));
  }

  close(): void {
    this.timer?.cancel();
  }

  private cover(topic: string, partition: number, offset: number): void {
    // Most records come from the partition of the record before: no key to build for them.
    const previous = this.lastRange;
    if (previous && previous.partition === partition && previous.topic === topic) {
      previous.last = offset;
      return;
    }
    const key = `${topic}/${partition}`;
    const range = this.ranges.get(key) ?? { topic, partition, first: offset, last: offset };
    range.last = offset;
    this.ranges.set(key, range);
    this.lastRange = range;
  }

  private emit(closedBy: WindowBatch['closedBy']): void {
    if (this.openedAt === null || (this.count === 0 && this.rejected.length === 0)) return;
    const offsets: OffsetRange[] = [...this.ranges.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const batch: WindowBatch = {
      count: this.count,
      // Handed over, not copied: the window starts fresh buffers below.
      images: this.images.subarray(0, this.count * this.pixelsPerImage),
      labels: this.labels.subarray(0, this.count),
      rejected: this.rejected.length,
      offsets,
      openedAt: this.openedAt,
      closedAt: this.context.currentWallClockMs(),
      closedBy,
    };
    for (const r of this.rejected) this.context.forward(r, this.options.deadLetterChild);
    this.context.forward(StreamRecord.of('window', batch, batch.closedAt), this.options.trainChild);
    this.images = new Uint8Array(this.options.maxRecords * this.pixelsPerImage);
    this.labels = new Uint8Array(this.options.maxRecords);
    this.count = 0;
    this.rejected = [];
    this.ranges = new Map();
    this.lastRange = null;
    this.openedAt = null;
  }
}
