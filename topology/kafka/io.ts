import { CODES, KafkaConsumer, type LibrdKafkaError, type Message, type TopicPartition as RdTopicPartition, type TopicPartitionOffset as RdOffset } from 'node-rdkafka';
import { asError, call, delay } from './callbacks';
import { readNewestCheckpoint } from './changelog-reader';
import { GlobalReader } from './global-reader';
import { toInputRecord } from './message';
import { OutputProducer, TransactionFailure } from './output-producer';
import { consumerSettings, consumerTopicSettings, type ClientSettings } from './settings';
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
 * Another live instance with the same app.id and app.instance has taken this one's place: the
 * group coordinator fenced this consumer (static member `group.instance.id`). This instance
 * must stop; nothing it has not committed is kept.
 */
export class TwinInstanceError extends Error {
  override readonly name = 'TwinInstanceError';
  constructor(settings: ClientSettings) {
    super(
      `another live instance with app.id ${settings.appId} and app.instance ${settings.instance} has taken this one's place ` +
        `(the group coordinator fenced this consumer, static member ${settings.appId}-${settings.instance}); this instance stops. ` +
        'Give every live instance its own app.instance.',
    );
  }
}

/**
 * The RuntimeIO on a real cluster, with node-rdkafka. Exactly-once: commit() adds the input
 * offsets to the open transaction (sendOffsetsToTransaction) and commits it (OutputProducer).
 * At-least-once: commit() flushes the producer, checks every delivery report, then commits the
 * offsets. Offsets are never committed any other way.
 *
 * A fenced producer is recoverable (a transaction the broker aborted): commit() raises an
 * AbortableError saying so and abort() replaces the producer. A fenced consumer is not: only a
 * twin (same app.id and app.instance) does that, and this instance stops (TwinInstanceError).
 */
export class KafkaIO implements RuntimeIO {
  readonly clock = systemClock;
  private listener: RebalanceListener | null = null;
  private assigned: RdTopicPartition[] = [];
  private readonly pendingSeeks = new Map<string, number>();
  /** The first seek of each partition: where a rewind goes before anything was committed. */
  private readonly startPositions = new Map<string, number>();
  /**
   * Per partition, the offset after the last record consumed and after the last one committed:
   * where they differ, records are uncommitted (in work, or held by an open window).
   */
  private readonly consumedTo = new Map<string, number>();
  private readonly committedTo = new Map<string, number>();
  private revokedWhileDirty = false;
  private twin: TwinInstanceError | null = null;
  private readonly lastLogged = new Map<string, { at: number; repeats: number }>();
  private readonly producer: OutputProducer;

  private constructor(
    private readonly settings: ClientSettings,
    private readonly consumer: KafkaConsumer,
    private readonly log: Logger,
  ) {
    this.producer = new OutputProducer(settings, log, (err) => this.logClientError(err));
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
      this.logClientError(err);
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
    if (this.revokedWhileDirty) {
      this.revokedWhileDirty = false;
      throw new AbortableError('partitions were revoked with uncommitted work; their new owner reads it again');
    }
    this.consumer.setDefaultConsumeTimeout(Math.max(1, Math.round(timeoutMs)));
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
    for (const m of messages) this.consumedTo.set(partitionKey(m.topic, m.partition), m.offset + 1);
    return messages.map(toInputRecord);
  }

  produce(record: OutputRecord): void {
    this.producer.produce(record);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.twin) throw this.twin;
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

  async abort(rewindTo: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.twin) throw this.twin;
    await this.producer.abort();
    this.consumedTo.clear();
    for (const [key, offset] of this.startPositions) this.pendingSeeks.set(key, offset);
    for (const o of rewindTo) this.pendingSeeks.set(partitionKey(o.topic, o.partition), o.offset);
    // Re-assigning drops what was prefetched; partitions without a seek start at their committed offset.
    if (this.assigned.length) this.onConsumer(() => this.consumer.assign(this.withPendingSeeks(this.assigned)));
  }

  restoreCheckpoint(topic: string, key: string): Promise<RestoredCheckpoint | null> {
    return readNewestCheckpoint(this.settings, topic, key, this.log);
  }

  openGlobalTopic(topic: string): Promise<GlobalReader> {
    return GlobalReader.open(this.settings, topic, this.log);
  }

  async seek(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    for (const o of offsets) {
      const key = partitionKey(o.topic, o.partition);
      this.pendingSeeks.set(key, o.offset);
      if (!this.startPositions.has(key)) this.startPositions.set(key, o.offset);
    }
    if (this.assigned.length) this.onConsumer(() => this.consumer.assign(this.withPendingSeeks(this.assigned)));
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

  private onRebalance(err: LibrdKafkaError, assignment: RdTopicPartition[]): void {
    if (err.code === E.ERR__ASSIGN_PARTITIONS) {
      this.assigned = assignment.map((p) => ({ topic: p.topic, partition: p.partition }));
      this.consumer.assign(this.withPendingSeeks(this.assigned));
      void this.listener?.onAssigned(this.assigned);
    } else if (err.code === E.ERR__REVOKE_PARTITIONS) {
      if ([...this.consumedTo].some(([key, offset]) => offset > (this.committedTo.get(key) ?? -1))) this.revokedWhileDirty = true;
      const revoked = this.assigned;
      this.assigned = [];
      this.consumer.unassign();
      void this.listener?.onRevoked(revoked);
    } else {
      this.log.warn(`rebalance: ${err.message}`);
    }
  }

  private withPendingSeeks(partitions: RdTopicPartition[]): Array<RdTopicPartition | RdOffset> {
    return partitions.map((p) => {
      const key = partitionKey(p.topic, p.partition);
      const offset = this.pendingSeeks.get(key);
      if (offset === undefined) return p;
      this.pendingSeeks.delete(key);
      return { ...p, offset };
    });
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

  /**
   * librdkafka repeats a transport error for every connection and retry while a broker is
   * away: each message is logged once per 10 s, with how often it came meanwhile.
   */
  private logClientError(err: LibrdKafkaError): void {
    const seen = this.lastLogged.get(err.message);
    const now = Date.now();
    if (seen && now - seen.at < 10000 && !err.isFatal) {
      seen.repeats += 1;
      return;
    }
    const repeats = seen?.repeats ? ` (${seen.repeats} more since the last report)` : '';
    this.lastLogged.set(err.message, { at: now, repeats: 0 });
    // Fatal errors are reported once, with what they mean, by commit() or consume().
    if (!err.isFatal) this.log.warn(`kafka: ${err.message}${repeats}; retrying`);
  }
}
