import type { KafkaConsumer, LibrdKafkaError, Message, Metadata } from 'node-rdkafka';
import { call, delay } from './callbacks';
import { toInputRecord } from './message';
import { assignedConsumer, OFFSET_BEGINNING, readToEnd } from './read-to-end';
import type { ClientSettings } from './settings';
import type { GlobalTopicFeed } from '../global-store';
import type { Logger } from '../processor';
import type { InputRecord } from '../seam';

/**
 * Once bootstrapped, the reader looks for new records this often, without waiting in librdkafka:
 * a blocking consume holds one of libuv's 4 threads, which the producer's transaction calls and
 * the checkpoint's compression need (with it, commits took 10 s instead of 0.5 s).
 */
const POLL_EVERY_MS = 250;

/**
 * Reads a global topic (see GlobalKeyValueStore) on a real cluster: its own consumer, assigned
 * every partition from the beginning. `open` resolves once the topic is read to its end; then a
 * background loop keeps reading, and `take()` hands over what arrived, until `close()`.
 */
export class GlobalReader implements GlobalTopicFeed {
  private buffer: InputRecord[] = [];
  private closed = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly consumer: KafkaConsumer,
    private readonly topic: string,
    private readonly log: Logger,
  ) {}

  static async open(settings: ClientSettings, topic: string, log: Logger): Promise<GlobalReader> {
    const consumer = assignedConsumer(settings, 'global');
    await call<Metadata>((cb) => consumer.connect({ topic, timeout: 30000 }, cb));
    const reader = new GlobalReader(consumer, topic, log);
    try {
      await reader.bootstrap();
    } catch (error) {
      await reader.close();
      throw error;
    }
    reader.loop = reader.keepReading();
    return reader;
  }

  take(): InputRecord[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loop;
    await call((cb) => this.consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }

  private async bootstrap(): Promise<void> {
    const metadata = await call<Metadata>((cb) => this.consumer.getMetadata({ topic: this.topic, timeout: 30000 }, cb));
    const partitions = metadata.topics.find((t) => t.name === this.topic)?.partitions.map((p) => p.id) ?? [];
    if (partitions.length === 0) throw new Error(`global topic ${this.topic} does not exist; create it before the app starts`);
    const starts = partitions.map(() => OFFSET_BEGINNING);
    await readToEnd(this.consumer, this.topic, partitions, starts, 64, (m) => this.buffer.push(toInputRecord(m)));
  }

  /** Reads until closed; a failed read is logged and retried, so the store lags but stays. */
  private async keepReading(): Promise<void> {
    this.consumer.setDefaultConsumeTimeout(0);
    while (!this.closed) {
      try {
        const messages = await this.consumeSome();
        for (const m of messages) this.buffer.push(toInputRecord(m));
        if (messages.length === 0) await delay(POLL_EVERY_MS);
      } catch (error) {
        this.log.warn(`global topic ${this.topic}: ${(error as LibrdKafkaError).message}; retrying`);
        await delay(POLL_EVERY_MS);
      }
    }
  }

  private consumeSome(): Promise<Message[]> {
    return call<Message[]>((cb) => this.consumer.consume(64, cb));
  }
}
