import { CODES, KafkaConsumer, Producer, type LibrdKafkaError, type Message, type MessageHeader, type TopicPartition as RdTopicPartition, type TopicPartitionOffset as RdOffset } from 'node-rdkafka';
import { asError, call, delay } from './callbacks';
import { readNewestCheckpoint } from './changelog-reader';
import { toInputRecord } from './message';
import { consumerSettings, consumerTopicSettings, producerSettings, type ClientSettings } from './settings';
import type { Logger } from '../processor';
import { partitionKey, type Clock, type InputRecord, type OutputRecord, type RebalanceListener, type RestoredCheckpoint, type RuntimeIO, type TopicPartition, type TopicPartitionOffset } from '../seam';
import { AbortableError } from '../stream-loop';

const E = CODES.ERRORS;
const TIMEOUT_MS = 30000;
/** How long a commit keeps retrying retriable errors (a broker restart) before giving up. */
const COMMIT_RETRY_MS = 120000;

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The RuntimeIO on a real cluster, with node-rdkafka. Exactly-once: one producer transaction is
 * always open; commit() adds the input offsets to it (sendOffsetsToTransaction) and commits it,
 * then opens the next. At-least-once: commit() flushes the producer, checks every delivery
 * report, then commits the offsets. Offsets are never committed any other way.
 */
export class KafkaIO implements RuntimeIO {
  readonly clock = systemClock;
  private listener: RebalanceListener | null = null;
  private assigned: RdTopicPartition[] = [];
  private readonly pendingSeeks = new Map<string, number>();
  /** The first seek of each partition: where a rewind goes before anything was committed. */
  private readonly startPositions = new Map<string, number>();
  private consumedSinceCommit = 0;
  private revokedWhileDirty = false;
  private deliveryFailures: string[] = [];
  private fatal: Error | null = null;

  private constructor(
    private readonly settings: ClientSettings,
    private readonly consumer: KafkaConsumer,
    private readonly producer: Producer,
    private readonly log: Logger,
  ) {}

  static async connect(settings: ClientSettings, sourceTopics: readonly string[], log: Logger): Promise<KafkaIO> {
    let io: KafkaIO | null = null;
    const consumer = new KafkaConsumer(
      { ...consumerSettings(settings), rebalance_cb: (err: LibrdKafkaError, assignment: RdTopicPartition[]) => io?.onRebalance(err, assignment) },
      consumerTopicSettings,
    );
    const producer = new Producer(producerSettings(settings));
    io = new KafkaIO(settings, consumer, producer, log);
    await io.start(sourceTopics);
    return io;
  }

  private async start(sourceTopics: readonly string[]): Promise<void> {
    this.producer.on('delivery-report', (err, report) => {
      if (err) this.deliveryFailures.push(`${report.topic}/${report.partition}: ${err.message}`);
    });
    // librdkafka repeats a transport error for every connection and retry while a broker is
    // away: log each message once per 10 s, with how often it came meanwhile.
    const lastLogged = new Map<string, { at: number; repeats: number }>();
    const onError = (err: LibrdKafkaError) => {
      if (err.isFatal) this.fatal = asError(err);
      const seen = lastLogged.get(err.message);
      const now = Date.now();
      if (seen && now - seen.at < 10000 && !err.isFatal) {
        seen.repeats += 1;
        return;
      }
      const repeats = seen?.repeats ? ` (${seen.repeats} more since the last report)` : '';
      lastLogged.set(err.message, { at: now, repeats: 0 });
      this.log.warn(`kafka: ${err.message}${repeats}; retrying`);
    };
    this.producer.on('event.error', onError);
    this.consumer.on('event.error', onError);
    this.producer.setPollInterval(50);
    await call((cb) => this.producer.connect({ timeout: TIMEOUT_MS }, (err) => cb(err, undefined)));
    if (this.settings.exactlyOnce) {
      // Fences any older instance with the same transactional id and aborts what it left open.
      await call((cb) => this.producer.initTransactions(TIMEOUT_MS, cb));
      await call((cb) => this.producer.beginTransaction(cb));
    }
    await call((cb) => this.consumer.connect({ timeout: TIMEOUT_MS }, (err) => cb(err, undefined)));
    this.consumer.subscribe([...sourceTopics]);
  }

  async consume(max: number, timeoutMs: number): Promise<InputRecord[]> {
    this.throwIfFatal();
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
      if (e.isFatal) throw e;
      this.log.warn(`consume: ${e.message}; retrying`);
      await delay(200);
      return [];
    }
    this.consumedSinceCommit += messages.length;
    return messages.map(toInputRecord);
  }

  produce(record: OutputRecord): void {
    this.throwIfFatal();
    const headers: MessageHeader[] = record.headers.map((h) => ({ [h.key]: h.value }));
    this.producer.produce(record.topic, record.partition ?? null, record.value, record.key, record.timestamp ?? Date.now(), null, headers);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.throwIfFatal();
    const rdOffsets: RdOffset[] = offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset }));
    if (this.settings.exactlyOnce) await this.commitTransaction(rdOffsets);
    else await this.commitAtLeastOnce(rdOffsets);
    this.consumedSinceCommit = 0;
  }

  private async commitTransaction(offsets: RdOffset[]): Promise<void> {
    try {
      if (offsets.length) await this.retrying('send offsets', () => call((cb) => this.producer.sendOffsetsToTransaction(offsets, this.consumer, TIMEOUT_MS, cb)));
      await this.retrying('commit', () => call((cb) => this.producer.commitTransaction(TIMEOUT_MS, cb)));
    } catch (error) {
      const e = asError(error as Error);
      if (e.requiresAbort || !e.isFatal) throw new AbortableError(`transaction failed: ${e.message}`);
      throw e;
    }
    await call((cb) => this.producer.beginTransaction(cb));
  }

  private async commitAtLeastOnce(offsets: RdOffset[]): Promise<void> {
    await call((cb) => this.producer.flush(TIMEOUT_MS, (err) => cb(err, undefined)));
    // flush() returns once every report was served; failures were recorded by the listener.
    if (this.deliveryFailures.length) {
      const failures = this.deliveryFailures.splice(0);
      throw new AbortableError(`${failures.length} output record(s) were not delivered (${failures[0]})`);
    }
    if (offsets.length) this.consumer.commitSync(offsets);
  }

  async abort(rewindTo: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.settings.exactlyOnce) {
      try {
        await call((cb) => this.producer.abortTransaction(TIMEOUT_MS, cb));
      } catch (error) {
        const e = asError(error as Error);
        if (e.isFatal) throw e;
        this.log.warn(`abort: ${e.message}`);
      }
      await call((cb) => this.producer.beginTransaction(cb));
    }
    this.deliveryFailures = [];
    this.consumedSinceCommit = 0;
    for (const [key, offset] of this.startPositions) this.pendingSeeks.set(key, offset);
    for (const o of rewindTo) this.pendingSeeks.set(partitionKey(o.topic, o.partition), o.offset);
    // Re-assigning drops what was prefetched; partitions without a seek start at their committed offset.
    if (this.assigned.length) this.consumer.assign(this.withPendingSeeks(this.assigned));
  }

  restoreCheckpoint(topic: string, key: string): Promise<RestoredCheckpoint | null> {
    return readNewestCheckpoint(this.settings, topic, key, this.log);
  }

  async seek(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    for (const o of offsets) {
      const key = partitionKey(o.topic, o.partition);
      this.pendingSeeks.set(key, o.offset);
      if (!this.startPositions.has(key)) this.startPositions.set(key, o.offset);
    }
    if (this.assigned.length) this.consumer.assign(this.withPendingSeeks(this.assigned));
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.consumer.pause([...partitions]);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.consumer.resume([...partitions]);
  }

  setRebalanceListener(listener: RebalanceListener): void {
    this.listener = listener;
  }

  async close(): Promise<void> {
    if (this.settings.exactlyOnce) {
      await call((cb) => this.producer.abortTransaction(5000, cb)).catch(() => undefined); // the open one is empty
    }
    await call((cb) => this.consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
    await call((cb) => this.producer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }

  private onRebalance(err: LibrdKafkaError, assignment: RdTopicPartition[]): void {
    if (err.code === E.ERR__ASSIGN_PARTITIONS) {
      this.assigned = assignment.map((p) => ({ topic: p.topic, partition: p.partition }));
      this.consumer.assign(this.withPendingSeeks(this.assigned));
      void this.listener?.onAssigned(this.assigned);
    } else if (err.code === E.ERR__REVOKE_PARTITIONS) {
      if (this.consumedSinceCommit > 0) this.revokedWhileDirty = true;
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

  /** Retries what librdkafka says may succeed later (a broker restarting), within a bound. */
  private async retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + COMMIT_RETRY_MS;
    for (;;) {
      try {
        return await fn();
      } catch (error) {
        const e = asError(error as Error);
        if (!e.isRetriable || e.requiresAbort || e.isFatal || Date.now() > deadline) throw e;
        this.log.warn(`${what}: ${e.message}; retrying`);
        await delay(500);
      }
    }
  }

  private throwIfFatal(): void {
    if (this.fatal) throw this.fatal;
  }
}
