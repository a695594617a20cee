import { IdleNotice } from './idle-notice';
import { isPromise } from './maybe-async';
import type { Logger } from './processor';
import type { InputRecord, RuntimeIO, TopicPartition } from './seam';
import { StreamTask } from './task';
import type { Topology } from './topology';

/**
 * The runtime signals a failure after which the work since the last commit can be dropped and
 * redone (an aborted transaction, a fenced commit after a broker restart). Anything else that
 * escapes the loop is fatal.
 */
export class AbortableError extends Error {
  override readonly name = 'AbortableError';
}

export interface LoopOptions {
  readonly appId: string;
  /** See TaskOptions.instance. */
  readonly instance?: number;
  readonly log: Logger;
  /** Records asked of the runtime per poll. */
  readonly maxPollRecords: number;
  /** Longest wait for records when nothing is due sooner. */
  readonly pollTimeoutMs: number;
  /** See TaskOptions.commitIntervalMs. */
  readonly commitIntervalMs: number | null;
  /** Log once that the loop waits for records after this long without any; null = never. Default 1000. */
  readonly idleNoticeAfterMs?: number | null;
}

/**
 * The poll loop, shared by the Kafka runtime and the test driver: consume a batch, process it
 * record by record (each awaited, so a slow trainer stops the polling instead of buffering: at
 * most one batch is read ahead), fire wall-clock punctuators, commit when the commit interval
 * has passed or a processor asked.
 * The wait for records never outlasts the next punctuation or commit, so an idle app commits
 * on time too. On an AbortableError it aborts, rebuilds the
 * task from the last committed checkpoint and carries on from the committed offsets.
 */
export class StreamLoop {
  private task: StreamTask;
  private stopping = false;
  /** The next batch, read while the last one was processed (see pollOnce). */
  private prefetched: Promise<InputRecord[]> | null = null;
  private readonly idle: IdleNotice | null;

  constructor(
    private readonly topology: Topology,
    private readonly io: RuntimeIO,
    private readonly options: LoopOptions,
  ) {
    this.task = this.newTask();
    const idleAfter = options.idleNoticeAfterMs === undefined ? 1000 : options.idleNoticeAfterMs;
    this.idle = idleAfter === null ? null : new IdleNotice(topology.sourceTopics(), options.log, io.clock, idleAfter);
  }

  currentTask(): StreamTask {
    return this.task;
  }

  async start(): Promise<void> {
    // A revocation is handled by the runtime, not here: committing now could commit the offsets
    // of records an open window still holds. The runtime raises an AbortableError at the next
    // poll when work was uncommitted, so the task is rebuilt from the last commit.
    const names = (partitions: readonly TopicPartition[]) => partitions.map((p) => `${p.topic}/${p.partition}`).join(' ') || 'none';
    // Cooperative assignment revokes and assigns only the partitions that move: count what is held.
    const held = new Set<string>();
    this.io.setRebalanceListener({
      onRevoked: async (partitions) => {
        this.task.forgetPartitions(partitions);
        for (const p of partitions) held.delete(`${p.topic}/${p.partition}`);
        this.idle?.assigned(held.size);
        this.options.log.info(`partitions revoked: ${names(partitions)}`);
      },
      onAssigned: async (partitions) => {
        for (const p of partitions) held.add(`${p.topic}/${p.partition}`);
        this.idle?.assigned(held.size);
        this.options.log.info(`partitions assigned: ${names(partitions)}`);
      },
    });
    await this.task.init();
  }

  /** One turn of the loop; returns the number of records processed. */
  async pollOnce(): Promise<number> {
    try {
      const max = this.options.maxPollRecords;
      let records = await this.takePrefetched();
      if (records.length === 0) records = await this.io.consume(max, this.waitMs());
      this.idle?.observe(records.length);
      // A full batch says more is waiting: the runtime takes what it already holds of the next
      // one (no waiting) while this one is processed, so the client's work of turning messages
      // into records overlaps ours. One batch ahead at most: memory stays bounded.
      if (records.length >= max && !this.stopping) this.prefetch(max);
      for (const record of records) {
        if (this.stopping) break; // the rest is re-read after the restart: never committed
        const processed = this.task.process(record);
        if (isPromise(processed)) await processed; // a record that met no promise costs no await
      }
      await this.task.punctuate();
      return records.length;
    } catch (error) {
      if (!(error instanceof AbortableError)) throw error;
      await this.recover(error);
      return 0;
    }
  }

  /** Polls until stop() is called; then drains, commits and closes. */
  async run(): Promise<void> {
    while (!this.stopping) await this.pollOnce();
    await this.dropPrefetched();
    try {
      await this.task.drainAndCommit();
    } catch (error) {
      // E.g. partitions revoked with uncommitted work just before the stop: that work is not
      // committed here, whoever owns the partitions next reads it again.
      if (!(error instanceof AbortableError)) throw error;
      this.options.log.warn(`${error.message}; stopping without the last commit`);
      await this.io.abort();
    }
    await this.task.close();
  }

  /** Asks run() to finish after the record in hand. */
  stop(): void {
    this.stopping = true;
  }

  private prefetch(max: number): void {
    const next = this.io.consume(max, 0);
    next.catch(() => undefined); // its failure is raised where it is awaited, not as unhandled
    this.prefetched = next;
  }

  private takePrefetched(): Promise<readonly InputRecord[]> {
    const next = this.prefetched;
    this.prefetched = null;
    return next ?? Promise.resolve([]);
  }

  /** Records read ahead are never processed, so never committed: the next reader reads them. */
  private async dropPrefetched(): Promise<void> {
    await this.takePrefetched().catch(() => undefined);
  }

  private waitMs(): number {
    const due = this.task.nextWallClockDue();
    if (due === null) return this.options.pollTimeoutMs;
    return Math.max(0, Math.min(this.options.pollTimeoutMs, due - this.io.clock.now()));
  }

  private async recover(error: Error): Promise<void> {
    this.options.log.warn(`${error.message}; aborting and resuming from the last commit`);
    await this.dropPrefetched(); // read before the rewind: read again after it
    await this.io.abort();
    await this.task.close();
    this.task = this.newTask();
    await this.task.init();
  }

  private newTask(): StreamTask {
    const { appId, instance, log, commitIntervalMs } = this.options;
    return new StreamTask(this.topology, this.io, { appId, instance, log, commitIntervalMs });
  }
}
