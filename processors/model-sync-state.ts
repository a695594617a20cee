import type { CheckpointableStore } from '../topology/state-store';

/** Where the sync stands; checkpointed with the trainer, so a restart resumes its schedule. */
export interface SyncProgress {
  /** Records and windows trained since the last sync. */
  records: number;
  windows: number;
  /** Wall clock of the last sync (0: none yet). */
  lastSyncAt: number;
  /** Publications made so far; the time of the last one and the records it counted (0: none). */
  sequence: number;
  publishedAt: number;
  publishedRecords: number;
  /** Per peer instance, the `publishedAt` of its newest publication already averaged in. */
  averaged: Record<string, number>;
}

/** The sync's state store: its checkpoint is `SyncProgress` as JSON, in the trainer's changelog. */
export class ModelSyncState implements CheckpointableStore {
  progress: SyncProgress = fresh();

  constructor(readonly name: string) {}

  async checkpoint(): Promise<Uint8Array> {
    return Buffer.from(JSON.stringify(this.progress), 'utf8');
  }

  async restore(bytes: Uint8Array): Promise<void> {
    const p = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<SyncProgress>;
    const numbers = [p.records, p.windows, p.lastSyncAt, p.sequence];
    if (numbers.some((n) => typeof n !== 'number') || typeof p.averaged !== 'object' || p.averaged === null) {
      throw new Error(`store '${this.name}': its checkpoint is not the model sync's progress (records, windows, lastSyncAt, sequence, averaged)`);
    }
    this.progress = { ...fresh(), ...p } as SyncProgress;
  }
}

function fresh(): SyncProgress {
  return { records: 0, windows: 0, lastSyncAt: 0, sequence: 0, publishedAt: 0, publishedRecords: 0, averaged: {} };
}
