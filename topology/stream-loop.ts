import { IdleNotice } from './idle-notice';
import type { Logger } from './processor';
import type { RuntimeIO, TopicPartition } from './seam';
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
 * record by record (each awaited, so a slow trainer stops the polling instead of buffering),
 * fire wall-clock punctuators, commit when the commit interval has passed or a processor asked.
 * The wait for records never outlasts the next punctuation or commit, so an idle app commits
 * on time too. On an AbortableError it aborts, rebuilds the
 * task from the last committed checkpoint and carries on from the committed offsets.
 */
export class StreamLoop {
  private task: StreamTask;
  private stopping = false;
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
    this.io.setRebalanceListener({
      onRevoked: async (partitions) => {
        this.task.forgetPartitions(partitions);
        this.idle?.assigned(0);
        this.options.log.info(`partitions revoked: ${names(partitions)}`);
      },
      onAssigned: async (partitions) => {
        this.idle?.assigned(partitions.length);
        this.options.log.info(`partitions assigned: ${names(partitions)}`);
      },
    });
    await this.task.init();
  }

  /** One turn of the loop; returns the number of records processed. */
  async pollOnce(): Promise<number> {
    try {
      const records = await this.io.consume(this.options.maxPollRecords, this.waitMs());
      this.idle?.observe(records.length);
      for (const record of records) {
        if (this.stopping) break; // the rest is re-read after the restart: never committed
        await this.task.process(record);
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
    try {
      await this.task.drainAndCommit();
    } catch (error) {
      // E.g. partitions revoked with uncommitted work just before the stop: that work is not
      // committed here, whoever owns the partitions next reads it again.
      if (!(error instanceof AbortableError)) throw error;
      this.options.log.warn(`${error.message}; stopping without the last commit`);
      await this.io.abort(this.task.lastCommitted());
    }
    await this.task.close();
  }

  /** Asks run() to finish after the record in hand. */
  stop(): void {
    this.stopping = true;
  }

  private waitMs(): number {
    const due = this.task.nextWallClockDue();
    if (due === null) return this.options.pollTimeoutMs;
    return Math.max(0, Math.min(this.options.pollTimeoutMs, due - this.io.clock.now()));
  }

  private async recover(error: Error): Promise<void> {
    const rewindTo = this.task.lastCommitted();
    this.options.log.warn(`${error.message}; aborting and resuming from the last commit`);
    await this.io.abort(rewindTo);
    await this.task.close();
    this.task = this.newTask();
    await this.task.init();
  }

  private newTask(): StreamTask {
    const { appId, instance, log, commitIntervalMs } = this.options;
    return new StreamTask(this.topology, this.io, { appId, instance, log, commitIntervalMs });
  }
}
