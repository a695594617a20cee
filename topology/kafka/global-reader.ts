import { randomUUID } from 'node:crypto';
import { KafkaConsumer, type LibrdKafkaError, type Message, type Metadata } from 'node-rdkafka';
import { call, delay } from './callbacks';
import { toInputRecord } from './message';
import { consumerSettings, consumerTopicSettings, type ClientSettings } from './settings';
import type { GlobalTopicFeed } from '../global-store';
import type { Logger } from '../processor';
import type { InputRecord } from '../seam';

const OFFSET_BEGINNING = -2;
const BOOTSTRAP_DEADLINE_MS = 120000;
/**
 * Once bootstrapped, the reader looks for new records this often, without waiting in librdkafka:
 * a blocking consume holds one of libuv's 4 threads, which the producer's transaction calls and
 * the checkpoint's compression need (with it, commits took 10 s instead of 0.5 s).
 */
const POLL_EVERY_MS = 250;

/**
 * A consumer of ours that reads by assignment (never a member of the app's group, never
 * committing): read_committed, with the app's record size limits. `purpose` names it.
 */
export function assignedConsumer(settings: ClientSettings, purpose: string): KafkaConsumer {
  const base = { ...consumerSettings(settings) };
  delete base['group.instance.id'];
  return new KafkaConsumer(
    {
      ...base,
      'group.id': `${settings.appId}-${purpose}-${randomUUID()}`,
      'client.id': `${settings.appId}-${settings.instance}-${purpose}`,
      'enable.partition.eof': true,
    },
    consumerTopicSettings,
  );
}

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
    const atEnd = new Set<number>();
    const onEof = (eof: { partition: number }) => atEnd.add(eof.partition);
    this.consumer.on('partition.eof', onEof);
    this.consumer.assign(partitions.map((partition) => ({ topic: this.topic, partition, offset: OFFSET_BEGINNING })));
    this.consumer.setDefaultConsumeTimeout(200);
    const deadline = Date.now() + BOOTSTRAP_DEADLINE_MS;
    try {
      while (atEnd.size < partitions.length) {
        if (Date.now() > deadline) throw new Error(`global topic ${this.topic} could not be read to its end within ${BOOTSTRAP_DEADLINE_MS / 1000} s; check the broker`);
        for (const m of await this.consumeSome()) {
          atEnd.delete(m.partition);
          this.buffer.push(toInputRecord(m));
        }
      }
    } finally {
      this.consumer.removeListener('partition.eof', onEof);
    }
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
