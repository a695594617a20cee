import type { GlobalKeyValueStore } from '../topology/global-store';
import type { Processor, ProcessorContext } from '../topology/processor';
import { StreamRecord } from '../topology/record';
import type { SyncPublication } from './model-sync-publication';
import type { ModelSyncState, SyncProgress } from './model-sync-state';
import type { HoldoutSet } from './train';
import type { TrainerStore } from './trainer-store';
import type { Learner, WindowMetrics } from './types';

/** A peer's parameters and how much they count: the records it trained since its previous publication. */
export interface PeerParameters {
  readonly parameters: Uint8Array;
  readonly weight: number;
}

/** How the sync reads, averages and writes a learner's parameters (model/parameter-average.ts in the app). */
export interface ParameterAveraging {
  /**
   * Replaces the learner's parameters by the weighted average of its own (`ownWeight`) and the
   * peers'; returns its parameters afterwards as bytes to publish, or null when not `publish`.
   */
  average(learner: Learner, ownWeight: number, peers: readonly PeerParameters[], publish: boolean): Promise<Uint8Array | null>;
}

export interface ModelSyncOptions {
  /** This instance (`app.instance`): the key of its publications, left out of its own averages. */
  readonly instance: string;
  readonly trainerStore: string;
  readonly stateStore: string;
  /** The global store of the sync topic: every instance's latest publication. */
  readonly publications: string;
  /** Sync after this many windows; 0 = not on a window count. */
  readonly everyWindows: number;
  /** Sync once this much wall time passed since the last sync, at a window or idle; 0 = off. */
  readonly intervalMs: number;
  /** A peer whose latest publication is older than this drops out of the average. */
  readonly peerTimeoutMs: number;
  readonly averaging: ParameterAveraging;
  readonly holdout: HoldoutSet;
  readonly metricsChild: string;
  readonly publicationChild: string;
}

/** What a sync did, in the metrics record of the window it followed. */
export interface SyncMetrics {
  /** Peers whose publications were averaged in. */
  readonly peers: number;
  /** Records this instance trained since its previous sync: its weight in the average. */
  readonly records: number;
  /** This instance's publications so far (unchanged when it had trained nothing new to publish). */
  readonly sequence: number;
}

export type SyncedWindowMetrics = WindowMetrics & { readonly sync: SyncMetrics | null };

type Publications = GlobalKeyValueStore<string | null, SyncPublication | null>;

/**
 * Model sync by parameter averaging (DL4J's parameter averaging, FedAvg), between the trainer
 * and the metrics sink. At a sync it averages into its replica the peers' publications that are
 * new since it last averaged them and fresher than `peerTimeoutMs`, each weighted by the records
 * it trained, its own weighted by the records it trained since its last sync (and those of its
 * last publication when a peer has not averaged that one in yet); then publishes the result, keyed by instance, in the same transaction as the window's metrics and checkpoint.
 * Publishing the averaged (not the local) parameters lets an idle replica adopt the latest average.
 *
 * Optimizer state (Adam's moments, the step count) stays per replica: it describes the
 * replica's own gradient history, averaging it would triple the publication (past Kafka's 1 MB
 * default), and FedAvg keeps client optimizers local too.
 */
export class ModelSyncProcessor implements Processor<string, WindowMetrics, string | null, SyncedWindowMetrics | SyncPublication> {
  private context!: ProcessorContext<string | null, SyncedWindowMetrics | SyncPublication>;
  private trainer!: TrainerStore;
  private state!: ModelSyncState;
  private publications!: Publications;

  constructor(private readonly options: ModelSyncOptions) {}

  init(context: ProcessorContext<string | null, SyncedWindowMetrics | SyncPublication>): void {
    this.context = context;
    this.trainer = context.getStateStore<TrainerStore>(this.options.trainerStore);
    this.state = context.getStateStore<ModelSyncState>(this.options.stateStore);
    this.publications = context.getStateStore<Publications>(this.options.publications);
    // Idle, a replica still takes in what its peers publish, so that all end on one average.
    if (this.options.intervalMs > 0) context.schedule(this.options.intervalMs, 'wall-clock', () => this.syncIfDue(false).then(() => undefined));
  }

  async process(record: StreamRecord<string, WindowMetrics>): Promise<void> {
    const progress = this.state.progress;
    progress.records += record.value.records;
    progress.windows += 1;
    const sync = await this.syncIfDue(true);
    const { holdout } = this.options;
    const metrics = sync && holdout.count > 0 ? await this.withHoldout(record.value) : record.value;
    this.context.forward(record.withValue(withSync(metrics, sync)), this.options.metricsChild);
  }

  /** Syncs when due: at a window by count or interval; idle only if there is news. */
  private async syncIfDue(atWindow: boolean): Promise<SyncMetrics | null> {
    const { everyWindows, intervalMs } = this.options;
    const progress = this.state.progress;
    const now = this.context.currentWallClockMs();
    const intervalPassed = intervalMs > 0 && now - progress.lastSyncAt >= intervalMs;
    const due = atWindow ? (everyWindows > 0 && progress.windows >= everyWindows) || intervalPassed : intervalPassed;
    if (!due) return null;
    const peers = this.newPeerPublications(now, progress);
    if (progress.records === 0 && peers.length === 0) return null;
    return this.sync(now, progress, peers);
  }

  private async sync(now: number, progress: SyncProgress, peers: readonly SyncPublication[]): Promise<SyncMetrics> {
    const ownRecords = progress.records;
    const publish = ownRecords > 0;
    const weighted = peers.map((p) => ({ parameters: p.parameters, weight: p.records }));
    const ownWeight = ownRecords + (this.notSeenBy(peers, progress) ? progress.publishedRecords : 0);
    const parameters = await this.options.averaging.average(this.trainer.learner, ownWeight, weighted, publish);
    for (const p of peers) progress.averaged[p.instance] = p.publishedAt;
    if (parameters) {
      Object.assign(progress, { sequence: progress.sequence + 1, publishedAt: now, publishedRecords: ownRecords });
      const { instance } = this.options;
      const publication: SyncPublication = { instance, records: ownRecords, publishedAt: now, sequence: progress.sequence, averaged: { ...progress.averaged }, parameters };
      this.context.forward(StreamRecord.of(this.options.instance, publication, now), this.options.publicationChild);
    }
    Object.assign(progress, { records: 0, windows: 0, lastSyncAt: now });
    // Peers read only committed publications: commit now rather than at the commit interval.
    this.context.commit();
    const metrics = { peers: peers.length, records: ownRecords, sequence: progress.sequence };
    this.context.log.debug(`model sync: averaged ${metrics.peers} peer(s) with ${ownRecords} own records${parameters ? `, published #${progress.sequence}` : ''}`);
    return metrics;
  }

  /**
   * True when a peer's publication does not hold this replica's latest one: they crossed (each
   * published before seeing the other's), so this replica's published records still count, or
   * two idle replicas would each take the other's parameters and swap instead of meeting.
   */
  private notSeenBy(peers: readonly SyncPublication[], progress: SyncProgress): boolean {
    if (progress.publishedAt === 0) return false;
    return peers.some((p) => (p.averaged[this.options.instance] ?? 0) < progress.publishedAt);
  }

  /** Peers' publications not averaged in yet, newer than the peer timeout, with records to count. */
  private newPeerPublications(now: number, progress: SyncProgress): SyncPublication[] {
    return this.publications
      .all()
      .flatMap((entry) => (entry.value ? [entry.value] : []))
      .filter((p) => p.instance !== this.options.instance && p.records > 0)
      .filter((p) => p.publishedAt > (progress.averaged[p.instance] ?? -Infinity))
      .filter((p) => now - p.publishedAt <= this.options.peerTimeoutMs);
  }

  private async withHoldout(metrics: WindowMetrics): Promise<WindowMetrics> {
    const { holdout } = this.options;
    const { accuracy } = await this.trainer.learner.evaluate(holdout.images, holdout.labels, holdout.count);
    return { ...metrics, holdoutAccuracy: accuracy, holdoutSize: holdout.count };
  }
}

/** The metrics with `sync` right after the holdout fields, where a reader looks for accuracy. */
function withSync(metrics: WindowMetrics, sync: SyncMetrics | null): SyncedWindowMetrics {
  const { model, window, loss, prequentialAccuracy, holdoutAccuracy, holdoutSize, ...rest } = metrics;
  return { model, window, loss, prequentialAccuracy, holdoutAccuracy, holdoutSize, sync, ...rest };
}
