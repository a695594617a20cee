import type { CheckpointableStore } from '../topology/state-store';
import type { JsonValue, Learner } from './types';

/** Counters that travel with the model in every checkpoint. */
export interface TrainerCounters {
  /** The sequence number the next window gets. */
  window: number;
  trainedTotal: number;
  rejectedTotal: number;
}

/**
 * The trainer's state: the model (weights and optimizer state) and its counters. One
 * checkpoint holds all of it, so a restore brings back exactly the state after the last
 * committed window. With an export folder, every checkpoint (one a commit) also writes the
 * model there in TensorFlow.js format.
 */
export class TrainerStore implements CheckpointableStore {
  private learnerInstance: Learner | null = null;
  readonly counters: TrainerCounters = { window: 0, trainedTotal: 0, rejectedTotal: 0 };

  constructor(
    readonly name: string,
    private readonly createLearner: () => Promise<Learner>,
    private readonly exportDir = '',
  ) {}

  async init(): Promise<void> {
    this.learnerInstance = await this.createLearner();
  }

  get learner(): Learner {
    if (!this.learnerInstance) throw new Error(`store '${this.name}' is not initialised yet`);
    return this.learnerInstance;
  }

  async checkpoint(): Promise<Uint8Array> {
    if (this.exportDir) await this.learner.exportTo(this.exportDir);
    return this.learner.checkpoint({ ...this.counters });
  }

  async restore(bytes: Uint8Array): Promise<void> {
    const extra = await this.learner.restore(bytes);
    const counters = parseCounters(extra);
    Object.assign(this.counters, counters);
  }

  close(): void {
    this.learnerInstance?.dispose();
    this.learnerInstance = null;
  }
}

function parseCounters(extra: JsonValue | undefined): TrainerCounters {
  const fail = (): never => {
    throw new Error('the checkpoint carries no trainer counters (window, trainedTotal, rejectedTotal); it was not written by the trainer. Delete the changelog topic to start fresh.');
  };
  if (!extra || typeof extra !== 'object' || Array.isArray(extra)) return fail();
  const { window, trainedTotal, rejectedTotal } = extra;
  if (typeof window !== 'number' || typeof trainedTotal !== 'number' || typeof rejectedTotal !== 'number') return fail();
  return { window, trainedTotal, rejectedTotal };
}
