import { CODES, KafkaConsumer, type LibrdKafkaError, type Message, type TopicPartition as RdTopicPartition, type TopicPartitionOffset as RdOffset } from 'node-rdkafka';
import { asError, call, delay } from './callbacks';
import { ClientErrorLog } from './client-error-log';
import { readNewestCheckpoint } from './changelog-reader';
import { GlobalReader } from './global-reader';
import { toInputRecord } from './message';
import { OutputProducer, TransactionFailure } from './output-producer';
import { consumerSettings, consumerTopicSettings, type ClientSettings } from './settings';
import { TwinInstanceError } from './twin-instance-error';
import type { Logger } from '../processor';
import { partitionKey, type Clock, type InputRecord, type OutputRecord, type RebalanceListener, type RestoredCheckpoint, type RuntimeIO, type TopicPartition, type TopicPartitionOffset } from '../seam';
import { AbortableError } from '../stream-loop';

const E = CODES.ERRORS;
const TIMEOUT_MS = 30000;
/**
 * After a fenced producer, how long to watch the consumer for a fencing of its own: a twin's
 * consumer fences ours at our next heartbeat (heartbeat.interval.ms, 3 s by default).
 */
const TWIN_PROBE_MS = 5000;

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The RuntimeIO on a real cluster, with node-rdkafka. Exactly-once: commit() adds the input
 * offsets to the open transaction (sendOffsetsToTransaction) and commits it (OutputProducer).
 * At-least-once: commit() flushes the producer, checks every delivery report, then commits the
 * offsets. Offsets are never committed any other way.
 *
 * Several instances of one app.id share the source partitions through the consumer group
 * (eager or cooperative assignment). Where an instance starts reading a partition is always the
 * group's committed offset: every instance commits it in the transaction of its own checkpoint,
 * so it is how far whoever trained the partition last got. `seek()` only sets a floor below
 * which records are skipped (a restored checkpoint's offsets, a fresh run's start), for when
 * the group has no offset, or one behind the checkpoint (at-least-once after a crash).
 * A revocation with uncommitted work on a revoked partition makes the next consume() or
 * commit() raise an AbortableError: that work is dropped, never committed, and the partition's
 * new owner reads it again from the committed offset.
 *
 * A fenced producer is recoverable (a transaction the broker aborted): commit() raises an
 * AbortableError saying so and abort() replaces the producer. A fenced consumer is not: only a
 * twin (same app.id and app.instance) does that, and this instance stops (TwinInstanceError).
 */
export class KafkaIO implements RuntimeIO {
  readonly clock = systemClock;
  private listener: RebalanceListener | null = null;
  private assigned: RdTopicPartition[] = [];
  /** Per partition, the offset below which records are skipped (see seek()). */
  private readonly floors = new Map<string, number>();
  /** Partitions with a seek to their floor on its way. */
  private readonly seeking = new Set<string>();
  /**
   * Per partition, the offset after the last record consumed and after the last one committed:
   * where they differ, records are uncommitted (in work, or held by an open window).
   */
  private readonly consumedTo = new Map<string, number>();
  /**
   * Partitions revoked while a consume() was waiting: its batch may carry their records, fetched
   * before the revocation, and (eager assignment) the same partitions may already be assigned
   * again and read from the committed offset. Such a batch is not used: consume() raises an
   * AbortableError, and everything is read again from the committed offsets.
   */
  private readonly revokedDuringConsume = new Set<string>();
  private readonly committedTo = new Map<string, number>();
  private revokedWhileDirty = false;
  private twin: TwinInstanceError | null = null;
  private readonly clientErrors: ClientErrorLog;
  private readonly producer: OutputProducer;

  private constructor(
    private readonly settings: ClientSettings,
    private readonly consumer: KafkaConsumer,
    private readonly log: Logger,
  ) {
    this.clientErrors = new ClientErrorLog(log);
    this.producer = new OutputProducer(settings, log, (err) => this.clientErrors.report(err));
  }

  static async connect(settings: ClientSettings, sourceTopics: readonly string[], log: Logger): Promise<KafkaIO> {
    let io: KafkaIO | null = null;
    const consumer = new KafkaConsumer(
      { ...consumerSettings(settings), rebalance_cb: (err: LibrdKafkaError, assignment: RdTopicPartition[]) => io?.onRebalance(err, assignment) },
      consumerTopicSettings,
    );
    io = new KafkaIO(settings, consumer, log);
    await io.start(sourceTopics);
    return io;
  }

  private async start(sourceTopics: readonly string[]): Promise<void> {
    this.consumer.on('event.error', (err: LibrdKafkaError) => {
      if (err.isFatal) this.twin = new TwinInstanceError(this.settings);
      this.clientErrors.report(err);
    });
    // The consumer joins first: a second instance fences the first one's consumer (static
    // membership) before it fences its producer, so the first one can tell a twin from a
    // transaction the broker aborted.
    await call((cb) => this.consumer.connect({ timeout: TIMEOUT_MS }, (err) => cb(err, undefined)));
    this.consumer.subscribe([...sourceTopics]);
    await this.producer.open();
  }

  async consume(max: number, timeoutMs: number): Promise<InputRecord[]> {
    if (this.twin) throw this.twin;
    this.abortIfRevokedWhileDirty();
    this.consumer.setDefaultConsumeTimeout(Math.max(1, Math.round(timeoutMs)));
    this.revokedDuringConsume.clear();
    let messages: Message[];
    try {
      messages = await call<Message[]>((cb) => this.consumer.consume(max, cb));
    } catch (error) {
      const e = asError(error as Error);
      // librdkafka reports a static member's fencing as a fatal consumer error (ERR__FATAL).
      if (e.isFatal || e.code === E.ERR__FATAL) throw (this.twin = new TwinInstanceError(this.settings));
      this.log.warn(`consume: ${e.message}; retrying`);
      await delay(200);
      return [];
    }
    const records: InputRecord[] = [];
    for (const m of messages) {
      const key = partitionKey(m.topic, m.partition);
      if (this.revokedDuringConsume.has(key)) {
        throw new AbortableError('a batch read across a rebalance carries records of revoked partitions; reading again from the committed offsets');
      }
      if (!this.aboveFloor(m, key)) continue;
      this.consumedTo.set(key, m.offset + 1);
      records.push(toInputRecord(m));
    }
    return records;
  }

  produce(record: OutputRecord): void {
    this.producer.produce(record);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.twin) throw this.twin;
    this.abortIfRevokedWhileDirty();
    const owned = new Set(this.assigned.map((p) => partitionKey(p.topic, p.partition)));
    const foreign = offsets.filter((o) => !owned.has(partitionKey(o.topic, o.partition)));
    // Never move another instance's partition: its owner commits it (defence in depth: the task forgets revoked partitions).
    if (foreign.length) throw new AbortableError(`not committing offsets of partitions no longer assigned to this instance (${foreign.map((o) => `${o.topic}/${o.partition}`).join(' ')})`);
    const rdOffsets: RdOffset[] = offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset }));
    try {
      await this.producer.commit(rdOffsets, this.consumer);
    } catch (error) {
      if (!(error instanceof TransactionFailure)) throw error;
      if (error.fenced) await this.stopIfTwin();
      throw new AbortableError(error.fenced ? `${error.message}; no other instance holds app.instance ${this.settings.instance} (this consumer is still a member of its group), so a new producer carries on` : error.message);
    }
    if (!this.settings.exactlyOnce && offsets.length) this.onConsumer(() => this.consumer.commitSync(rdOffsets));
    for (const o of offsets) this.committedTo.set(partitionKey(o.topic, o.partition), o.offset);
  }

  /**
   * Drops the open transaction and reads every assigned partition again from the group's
   * committed offset (and its floor): for the partitions this task committed, where its last
   * commit left them; for the others, wherever another instance got since.
   */
  async abort(): Promise<void> {
    if (this.twin) throw this.twin;
    this.revokedWhileDirty = false;
    await this.producer.abort();
    this.consumedTo.clear();
    // Re-assigning drops what was prefetched; each partition starts again at its committed offset.
    const partitions = [...this.assigned];
    if (partitions.length === 0) return;
    this.onConsumer(() => {
      if (this.cooperative()) this.consumer.incrementalUnassign(partitions).incrementalAssign(partitions);
      else this.consumer.assign(partitions);
    });
  }

  restoreCheckpoint(topic: string, keys: readonly string[]): Promise<RestoredCheckpoint | null> {
    return readNewestCheckpoint(this.settings, topic, keys, this.log);
  }

  openGlobalTopic(topic: string): Promise<GlobalReader> {
    return GlobalReader.open(this.settings, topic, this.log);
  }

  /** Floors, not positions: see the class comment. */
  async seek(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    for (const o of offsets) {
      const key = partitionKey(o.topic, o.partition);
      this.floors.set(key, Math.max(o.offset, this.floors.get(key) ?? 0));
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.onConsumer(() => this.consumer.pause([...partitions]));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.onConsumer(() => this.consumer.resume([...partitions]));
  }

  setRebalanceListener(listener: RebalanceListener): void {
    this.listener = listener;
  }

  async close(): Promise<void> {
    await this.producer.close();
    await call((cb) => this.consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }

  /**
   * Eager assignment revokes every partition at each rebalance and assigns the new set;
   * cooperative (`partition.assignment.strategy: cooperative-sticky`) revokes and assigns only
   * the partitions that move. Either way a revoked partition with records consumed beyond its
   * last commit here marks the work dirty (see the class comment).
   */
  private onRebalance(err: LibrdKafkaError, assignment: RdTopicPartition[]): void {
    const partitions = assignment.map((p) => ({ topic: p.topic, partition: p.partition }));
    const cooperative = this.cooperative();
    if (err.code === E.ERR__ASSIGN_PARTITIONS) {
      this.assigned = cooperative ? [...this.assigned, ...partitions] : partitions;
      if (cooperative) this.consumer.incrementalAssign(partitions);
      else this.consumer.assign(partitions);
      void this.listener?.onAssigned(partitions);
    } else if (err.code === E.ERR__REVOKE_PARTITIONS) {
      const revoked = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
      for (const key of revoked) {
        if ((this.consumedTo.get(key) ?? -1) > (this.committedTo.get(key) ?? -1)) this.revokedWhileDirty = true;
        this.consumedTo.delete(key);
        this.committedTo.delete(key);
        this.revokedDuringConsume.add(key);
      }
      this.assigned = this.assigned.filter((p) => !revoked.has(partitionKey(p.topic, p.partition)));
      if (cooperative) this.consumer.incrementalUnassign(partitions);
      else this.consumer.unassign();
      void this.listener?.onRevoked(partitions);
    } else {
      this.log.warn(`rebalance: ${err.message}`);
    }
  }

  private cooperative(): boolean {
    return this.consumer.rebalanceProtocol() === 'COOPERATIVE';
  }

  private abortIfRevokedWhileDirty(): void {
    if (!this.revokedWhileDirty) return;
    this.revokedWhileDirty = false;
    throw new AbortableError('partitions were revoked with uncommitted work; dropping it: their new owner reads it again from the committed offsets');
  }

  /** False for a record below its partition's floor; the consumer then seeks to the floor (once). */
  private aboveFloor(m: Message, key: string): boolean {
    const floor = this.floors.get(key);
    if (floor === undefined || m.offset >= floor) return true;
    if (!this.seeking.has(key)) {
      this.seeking.add(key);
      this.consumer.seek({ topic: m.topic, partition: m.partition, offset: floor }, 0, (err) => {
        this.seeking.delete(key);
        // Harmless when it fails (e.g. the partition moved meanwhile): the records are skipped anyway.
        if (err) this.log.debug(`seek ${key} to ${floor}: ${err.message}`);
      });
    }
    return false;
  }

  /**
   * After a fenced producer: watches the consumer (partitions paused; what it returns is
   * dropped, the rewind reads it again) for long enough to see a twin's fencing of it.
   */
  private async stopIfTwin(): Promise<void> {
    const partitions = [...this.assigned];
    const deadline = Date.now() + TWIN_PROBE_MS;
    try {
      if (partitions.length) this.onConsumer(() => this.consumer.pause(partitions));
      while (Date.now() < deadline) await this.consume(100, 250);
    } catch (error) {
      if (error instanceof TwinInstanceError) throw error;
    } finally {
      if (partitions.length && !this.twin) this.onConsumer(() => this.consumer.resume(partitions));
    }
  }

  /** Runs a consumer call; a fatal error there is a twin's fencing of this consumer. */
  private onConsumer<T>(fn: () => T): T {
    if (this.twin) throw this.twin;
    try {
      return fn();
    } catch (error) {
      const e = asError(error as Error);
      if (e.isFatal || e.code === E.ERR__FATAL) throw (this.twin = new TwinInstanceError(this.settings));
      throw error;
    }
  }
}
