import { CODES, Producer, type KafkaConsumer, type LibrdKafkaError, type MessageHeader, type TopicPartitionOffset as RdOffset } from 'node-rdkafka';
import { asError, call, delay, type KafkaClientError } from './callbacks';
import { producerSettings, transactionTimeoutMs, type ClientSettings } from './settings';
import type { Logger } from '../processor';
import type { OutputRecord } from '../seam';

const E = CODES.ERRORS;
const TIMEOUT_MS = 30000;
/** How long a commit keeps retrying retriable errors (a broker restart) before giving up. */
const COMMIT_RETRY_MS = 120000;

/**
 * The error after which this producer can do nothing more: it must be replaced. (An error
 * event carries no code, code -1: it is known by its message.)
 */
export function isProducerFenced(e: KafkaClientError): boolean {
  const codes: number[] = [E.ERR__FATAL, E.ERR__FENCED, E.ERR_PRODUCER_FENCED, E.ERR_INVALID_PRODUCER_EPOCH];
  return e.isFatal || codes.includes(e.code) || /\bfenced\b/i.test(e.message);
}

/** A transaction that cannot commit: the work since the last commit is to be dropped and redone. */
export class TransactionFailure extends Error {
  override readonly name = 'TransactionFailure';
  constructor(
    message: string,
    /** True when the producer was fenced: it must be replaced (`reopen`) before anything else. */
    readonly fenced: boolean,
  ) {
    super(message);
  }
}

/**
 * The producer of a KafkaIO. Exactly-once: a transaction is begun after each commit or abort;
 * beginning one is local to librdkafka, and the broker starts its clock
 * (transaction.timeout.ms) only at the first record, so an idle app holds no transaction open
 * on the broker. A fenced producer (the broker aborted its transaction, or another producer
 * with the same transactional id started) is closed and replaced by `reopen`.
 * At-least-once: commit flushes and checks every delivery report.
 */
export class OutputProducer {
  private producer: Producer;
  private deliveryFailures: string[] = [];
  /** Set when the producer failed for good: what was produced since is dropped with the transaction. */
  private failure: KafkaClientError | null = null;
  /** When the first record of the open transaction was produced (the broker's clock starts then). */
  private firstRecordAt: number | null = null;

  constructor(
    private readonly settings: ClientSettings,
    private readonly log: Logger,
    private readonly onError: (err: LibrdKafkaError) => void,
  ) {
    this.producer = this.create();
  }

  async open(): Promise<void> {
    await call((cb) => this.producer.connect({ timeout: TIMEOUT_MS }, (err) => cb(err, undefined)));
    if (this.settings.exactlyOnce) {
      // Fences any older producer with the same transactional id and aborts what it left open.
      await call((cb) => this.producer.initTransactions(TIMEOUT_MS, cb));
      await this.begin();
    }
  }

  produce(record: OutputRecord): void {
    if (this.failure) return; // its transaction is lost anyway: the next commit says so
    const headers: MessageHeader[] = record.headers.map((h) => ({ [h.key]: h.value }));
    try {
      this.producer.produce(record.topic, record.partition ?? null, record.value, record.key, record.timestamp ?? Date.now(), null, headers);
      this.firstRecordAt ??= Date.now();
    } catch (error) {
      const e = asError(error as Error);
      if (!isProducerFenced(e)) throw e;
      this.failure = e;
    }
  }

  /** Commits the open transaction with the consumer's `offsets` (or flushes, at-least-once). */
  async commit(offsets: readonly RdOffset[], consumer: KafkaConsumer): Promise<void> {
    if (this.settings.exactlyOnce) await this.commitTransaction([...offsets], consumer);
    else await this.flushAndCheck();
  }

  /** Drops the open transaction and begins the next; a fenced producer is replaced first. */
  async abort(): Promise<void> {
    this.deliveryFailures = [];
    if (!this.settings.exactlyOnce) return;
    if (this.failure) return this.reopen();
    try {
      await call((cb) => this.producer.abortTransaction(TIMEOUT_MS, cb));
    } catch (error) {
      const e = asError(error as Error);
      if (isProducerFenced(e)) return this.reopen();
      this.log.warn(`abort: ${e.message}`);
    }
    await this.begin();
  }

  async close(): Promise<void> {
    if (this.settings.exactlyOnce && !this.failure) {
      await call((cb) => this.producer.abortTransaction(5000, cb)).catch(() => undefined); // holds nothing committed
    }
    await call((cb) => this.producer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }

  /** Why the producer was fenced, as far as this instance can tell. */
  describeFencing(e: KafkaClientError): string {
    const timeout = transactionTimeoutMs(this.settings);
    const age = this.firstRecordAt === null ? null : Date.now() - this.firstRecordAt;
    if (age !== null && age >= timeout) {
      return `the broker aborted this instance's transaction: it was open ${(age / 1000).toFixed(1)} s, longer than transaction.timeout.ms (${timeout} ms), and the producer was fenced (${e.message})`;
    }
    return `the broker aborted this instance's transaction and fenced its producer (${e.message})`;
  }

  private create(): Producer {
    const producer = new Producer(producerSettings(this.settings));
    producer.on('delivery-report', (err, report) => {
      if (err) this.deliveryFailures.push(`${report.topic}/${report.partition}: ${err.message}`);
    });
    producer.on('event.error', (err: LibrdKafkaError) => {
      const e = asError(err);
      // librdkafka calls every fencing "fenced by a newer instance", also when the broker aborted
      // a transaction for its age: the commit that fails says what happened instead.
      if (isProducerFenced(e)) this.failure ??= e;
      else this.onError(err);
    });
    producer.setPollInterval(50);
    return producer;
  }

  private async reopen(): Promise<void> {
    await call((cb) => this.producer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
    this.producer = this.create();
    this.failure = null;
    await this.open();
  }

  private async begin(): Promise<void> {
    await call((cb) => this.producer.beginTransaction(cb));
    this.firstRecordAt = null;
  }

  private async commitTransaction(offsets: RdOffset[], consumer: KafkaConsumer): Promise<void> {
    try {
      if (this.failure) throw this.failure;
      if (offsets.length) await this.retrying('send offsets', () => call((cb) => this.producer.sendOffsetsToTransaction(offsets, consumer, TIMEOUT_MS, cb)));
      await this.retrying('commit', () => call((cb) => this.producer.commitTransaction(TIMEOUT_MS, cb)));
    } catch (error) {
      const e = asError(error as Error);
      if (isProducerFenced(e)) {
        this.failure = e;
        throw new TransactionFailure(this.describeFencing(e), true);
      }
      throw new TransactionFailure(`transaction failed: ${e.message}`, false);
    }
    await this.begin();
  }

  private async flushAndCheck(): Promise<void> {
    await call((cb) => this.producer.flush(TIMEOUT_MS, (err) => cb(err, undefined)));
    // flush() returns once every report was served; failures were recorded by the listener.
    if (this.deliveryFailures.length) {
      const failures = this.deliveryFailures.splice(0);
      throw new TransactionFailure(`${failures.length} output record(s) were not delivered (${failures[0]})`, false);
    }
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
}
