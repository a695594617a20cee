import { randomUUID } from 'node:crypto';
import { KafkaConsumer, type Message, type Metadata } from 'node-rdkafka';
import { DLQ_HEADERS } from '../processors/decode';
import { call, delay } from '../topology/kafka/callbacks';
import { toInputRecord } from '../topology/kafka/message';
import type { InputRecord } from '../topology/seam';
import type { Logger } from '../topology/processor';
import type { MetricsRecord } from './protocol';
import type { DashboardState } from './state';

export interface TopicReaderOptions {
  readonly brokers: string;
  readonly metricsTopic: string;
  readonly deadLetterTopic: string;
  /** The app's librdkafka consumer settings (security and the like) pass through. */
  readonly consumer: Readonly<Record<string, string | number | boolean>>;
  readonly state: DashboardState;
  readonly log: Logger;
}

const RETRY_MS = 2000;

/**
 * Reads the metrics topic and the dead-letter topic from their beginning, read_committed, and
 * follows them: the page gets the history at load, then each window once its transaction
 * commits. Read-only: partitions are assigned, never subscribed, and no offset is committed, so
 * it joins no group. A topic that does not exist yet is picked up once it does.
 */
export class TopicReader {
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private readonly assigned = new Set<string>();
  private unreadable = 0;
  private lastConnectError = '';

  constructor(private readonly options: TopicReaderOptions) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    const consumer = new KafkaConsumer(
      {
        ...this.options.consumer,
        'bootstrap.servers': this.options.brokers,
        'group.id': `streamtrain-dashboard-${randomUUID()}`,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'isolation.level': 'read_committed',
        // A dead-lettered record is kept byte for byte and may be as large as a checkpoint.
        'fetch.message.max.bytes': 20 * 1024 * 1024,
      },
      {},
    );
    // Broker outages are reported by the lag poller; librdkafka reconnects by itself.
    consumer.on('event.error', () => undefined);
    while (!this.stopped && !(await this.connect(consumer))) await delay(RETRY_MS);
    let lastTopicCheck = 0;
    while (!this.stopped) {
      if (this.assigned.size < 2 && Date.now() - lastTopicCheck > RETRY_MS) {
        lastTopicCheck = Date.now();
        await this.assignNewTopics(consumer);
      }
      const messages = await call<Message[]>((cb) => consumer.consume(200, cb)).catch(() => [] as Message[]);
      for (const message of messages) this.handle(toInputRecord(message));
      if (messages.length === 0 && this.assigned.size === 0) await delay(200);
    }
    await call((cb) => consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }

  private async connect(consumer: KafkaConsumer): Promise<boolean> {
    try {
      await call<Metadata>((cb) => consumer.connect({ timeout: 10000 }, cb));
      consumer.setDefaultConsumeTimeout(500);
      return true;
    } catch (error) {
      const message = (error as Error).message;
      // Once per distinct cause: a broker that stays away is one line, not one every retry.
      if (message !== this.lastConnectError) this.options.log.warn(`dashboard: cannot read the topics at ${this.options.brokers} yet (${message}); retrying every ${RETRY_MS / 1000} s`);
      this.lastConnectError = message;
      return false;
    }
  }

  private async assignNewTopics(consumer: KafkaConsumer): Promise<void> {
    for (const topic of [this.options.metricsTopic, this.options.deadLetterTopic]) {
      if (this.assigned.has(topic)) continue;
      const metadata = await call<Metadata>((cb) => consumer.getMetadata({ topic, timeout: 5000 }, cb)).catch(() => undefined);
      const found = metadata?.topics.find((t) => t.name === topic && t.partitions.length > 0);
      // A missing topic comes back with an error and no partitions (auto-creation is off for us).
      if (found === undefined) continue;
      consumer.incrementalAssign(found.partitions.map((p) => ({ topic, partition: p.id, offset: -2 })));
      this.assigned.add(topic);
      this.options.log.info(`dashboard: reading ${topic} (${found.partitions.length} partition(s)) from its beginning, read_committed`);
    }
  }

  private handle(record: InputRecord): void {
    if (record.topic === this.options.deadLetterTopic) {
      const code = record.headers.find((h) => h.key === DLQ_HEADERS.code)?.value.toString('utf8') ?? 'no code header';
      this.options.state.addDeadLetter(code);
      return;
    }
    const metrics = parseMetrics(record.value);
    if (metrics === undefined) {
      this.unreadable += 1;
      this.options.log.warn(`dashboard: ${record.topic}/${record.partition}@${record.offset} is not a metrics record (JSON with a window number); skipped (${this.unreadable} so far)`);
      return;
    }
    const model = record.key?.toString('utf8') || metrics.model;
    this.options.state.addWindow(model, metrics);
  }
}

function parseMetrics(value: Buffer | null): MetricsRecord | undefined {
  if (value === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'window' in parsed && typeof parsed.window === 'number') {
      return parsed as MetricsRecord;
    }
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}
