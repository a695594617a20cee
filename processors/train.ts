import type { Processor, ProcessorContext } from '../topology/processor';
import { StreamRecord } from '../topology/record';
import type { TrainerStore } from './trainer-store';
import type { OffsetRange, WindowBatch, WindowMetrics } from './types';

export interface HoldoutSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface TrainOptions {
  /** The key of every metrics record: names the model. */
  readonly modelName: string;
  readonly storeName: string;
  readonly holdout: HoldoutSet;
  /** Evaluate the holdout every this many windows (after the last window of each run of them). */
  readonly evaluateEveryWindows: number;
  /** Ask for a commit after this many windows (0 = off) ... */
  readonly commitEveryWindows: number;
  /** ... or after this much wall time since the last commit (0 = off); both 0: every window. */
  readonly commitIntervalMs: number;
  /** Write the model in tfjs format here at each commit and at stop; '' = off. */
  readonly exportDir: string;
}

/**
 * Learns from each window (prequential: each record is predicted before the model learns from
 * it), evaluates the holdout on schedule and emits one metrics record a window. Its state is
 * the `TrainerStore`, checkpointed with every commit; commits happen only between windows,
 * when no input is held anywhere upstream.
 */
export class TrainProcessor implements Processor<string, WindowBatch, string, WindowMetrics> {
  private context!: ProcessorContext<string, WindowMetrics>;
  private store!: TrainerStore;
  private windowsSinceCommit = 0;
  private lastCommitAt = 0;

  constructor(private readonly options: TrainOptions) {}

  init(context: ProcessorContext<string, WindowMetrics>): void {
    this.context = context;
    this.store = context.getStateStore<TrainerStore>(this.options.storeName);
    this.lastCommitAt = context.currentWallClockMs();
  }

  async process(record: StreamRecord<string, WindowBatch>): Promise<void> {
    const batch = record.value;
    const { learner, counters } = this.store;
    const started = performance.now();
    const result = batch.count > 0 ? await learner.learn(batch.images, batch.labels, batch.count) : null;
    const trainMs = performance.now() - started;
    const sequence = counters.window;
    counters.window += 1;
    counters.trainedTotal += batch.count;
    counters.rejectedTotal += batch.rejected;

    const { holdout, evaluateEveryWindows } = this.options;
    const evaluate = holdout.count > 0 && (sequence + 1) % evaluateEveryWindows === 0;
    const holdoutAccuracy = evaluate ? (await learner.evaluate(holdout.images, holdout.labels, holdout.count)).accuracy : null;

    const now = this.context.currentWallClockMs();
    const elapsedSeconds = Math.max(now - batch.openedAt, 1) / 1000;
    const metrics: WindowMetrics = {
      model: this.options.modelName,
      window: sequence,
      records: batch.count,
      rejected: batch.rejected,
      firstOffset: offsetsBy(batch.offsets, 'first'),
      lastOffset: offsetsBy(batch.offsets, 'last'),
      offsets: batch.offsets,
      loss: result ? result.loss : null,
      prequentialAccuracy: result ? result.accuracy : null,
      holdoutAccuracy,
      holdoutSize: evaluate ? holdout.count : 0,
      drift: result?.drift ?? null,
      trainedTotal: counters.trainedTotal,
      rejectedTotal: counters.rejectedTotal,
      backend: learner.backendName,
      recordsPerSecond: round((batch.count + batch.rejected) / elapsedSeconds),
      trainMs: round(trainMs),
      closedBy: batch.closedBy,
      windowOpenedAt: new Date(batch.openedAt).toISOString(),
      emittedAt: new Date(now).toISOString(),
    };
    this.context.forward(StreamRecord.of(this.options.modelName, metrics, now));
    this.windowsSinceCommit += 1;
    if (this.commitDue(now)) await this.requestCommit(now);
  }

  async drain(): Promise<void> {
    if (this.options.exportDir) await this.store.learner.exportTo(this.options.exportDir);
  }

  private commitDue(now: number): boolean {
    const { commitEveryWindows, commitIntervalMs } = this.options;
    if (commitEveryWindows <= 0 && commitIntervalMs <= 0) return true;
    if (commitEveryWindows > 0 && this.windowsSinceCommit >= commitEveryWindows) return true;
    return commitIntervalMs > 0 && now - this.lastCommitAt >= commitIntervalMs;
  }

  private async requestCommit(now: number): Promise<void> {
    this.context.commit();
    this.windowsSinceCommit = 0;
    this.lastCommitAt = now;
    if (this.options.exportDir) await this.store.learner.exportTo(this.options.exportDir);
  }
}

function offsetsBy(ranges: readonly OffsetRange[], which: 'first' | 'last'): number | Record<string, number> | null {
  if (ranges.length === 0) return null;
  const [only] = ranges;
  if (ranges.length === 1 && only) return only[which];
  const out: Record<string, number> = {};
  for (const r of ranges) out[`${r.topic}/${r.partition}`] = r[which];
  return out;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
