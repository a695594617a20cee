import type { Processor, ProcessorContext } from '../topology/processor';
import { StreamRecord } from '../topology/record';
import type { TrainerStore } from './trainer-store';
import type { WindowBatch, WindowMetrics } from './types';
import { windowMetrics } from './window-metrics';

export interface HoldoutSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface TrainOptions {
  /** The key of every metrics record: names the model. */
  readonly modelName: string;
  /** app.instance: every metrics record names the instance whose replica trained the window. */
  readonly instance: number;
  readonly storeName: string;
  readonly holdout: HoldoutSet;
  /** Evaluate the holdout every this many windows (after the last window of each run of them). */
  readonly evaluateEveryWindows: number;
  /** Ask for a commit after this many windows (0 = off), on top of the engine's commit interval. */
  readonly commitEveryWindows: number;
}

/**
 * Learns from each window (prequential: each record is predicted before the model learns from
 * it), evaluates the holdout on schedule and emits one metrics record a window. Its state is
 * the `TrainerStore`, checkpointed with every commit (the engine commits on its interval; the
 * offsets committed stop at the open window's first record, which the model has not learnt).
 */
export class TrainProcessor implements Processor<string, WindowBatch, string, WindowMetrics> {
  private context!: ProcessorContext<string, WindowMetrics>;
  private store!: TrainerStore;
  private windowsSinceCommit = 0;

  constructor(private readonly options: TrainOptions) {}

  init(context: ProcessorContext<string, WindowMetrics>): void {
    this.context = context;
    this.store = context.getStateStore<TrainerStore>(this.options.storeName);
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
    const metrics = windowMetrics({
      model: this.options.modelName,
      instance: this.options.instance,
      window: sequence,
      batch,
      result,
      holdoutAccuracy,
      holdoutSize: evaluate ? holdout.count : 0,
      trainedTotal: counters.trainedTotal,
      rejectedTotal: counters.rejectedTotal,
      backend: learner.backendName,
      trainMs,
      now,
    });
    this.context.forward(StreamRecord.of(this.options.modelName, metrics, now));
    this.windowsSinceCommit += 1;
    if (this.options.commitEveryWindows > 0 && this.windowsSinceCommit >= this.options.commitEveryWindows) {
      this.context.commit();
      this.windowsSinceCommit = 0;
    }
  }
}
