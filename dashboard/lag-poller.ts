import { KafkaConsumer, type Metadata } from 'node-rdkafka';
import { call } from '../topology/kafka/callbacks';
import type { Logger } from '../topology/processor';
import type { LagRow } from './protocol';
import type { DashboardState } from './state';

export interface LagPollerOptions {
  readonly brokers: string;
  readonly sourceTopic: string;
  readonly consumer: Readonly<Record<string, string | number | boolean>>;
  readonly state: DashboardState;
  readonly log: Logger;
  readonly intervalMs: number;
}

/** Lag is shown for the models that wrote a window last: each one is a consumer group to ask. */
const MODELS_WITH_LAG = 4;
const TIMEOUT_MS = 3000;

/**
 * Every `intervalMs`: asks the broker for the source topic's end offsets and, for the most
 * recent models, their group's committed offsets (a model's name is its app id, which is its
 * consumer group). This is also the dashboard's health check: a failed poll marks the broker
 * away on the page and in the log, the next good one marks it back. Read-only: the group
 * consumers only fetch committed offsets; they never subscribe, join or commit.
 */
export class LagPoller {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private readonly groups = new Map<string, KafkaConsumer>();
  private probe: KafkaConsumer | undefined;

  constructor(private readonly options: LagPollerOptions) {}

  start(): void {
    const tick = (): void => {
      this.polling = this.poll().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.options.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    await Promise.all([...this.groups.values(), ...(this.probe ? [this.probe] : [])].map(disconnect));
    this.groups.clear();
  }

  private async poll(): Promise<void> {
    const { brokers, state, log } = this.options;
    try {
      const rows = await this.lagRows();
      state.setLag(rows);
      if (state.setBroker(true, `connected to Kafka at ${brokers}`)) log.info(`dashboard: Kafka at ${brokers} answers`);
    } catch (error) {
      const message = `Kafka at ${brokers} does not answer (${(error as Error).message}); the dashboard retries every ${this.options.intervalMs / 1000} s and shows what it read so far`;
      if (state.setBroker(false, message)) log.warn(`dashboard: ${message}`);
    }
  }

  private async lagRows(): Promise<LagRow[]> {
    const { sourceTopic: topic } = this.options;
    const probe = await this.client('streamtrain-dashboard-probe', () => this.probe, (c) => (this.probe = c));
    const metadata = await call<Metadata>((cb) => probe.getMetadata({ topic, timeout: TIMEOUT_MS }, cb));
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions.map((p) => p.id) ?? [];
    const ends = await Promise.all(
      partitions.map((partition) => call<{ highOffset: number }>((cb) => probe.queryWatermarkOffsets(topic, partition, TIMEOUT_MS, cb))),
    );
    const rows: LagRow[] = [];
    for (const model of this.options.state.modelsByRecency().slice(0, MODELS_WITH_LAG)) {
      const group = await this.client(model, () => this.groups.get(model), (c) => this.groups.set(model, c));
      const tps = partitions.map((partition) => ({ topic, partition }));
      const committed = await call<Array<{ partition: number; offset?: number }>>((cb) => group.committed(tps, TIMEOUT_MS, cb));
      partitions.forEach((partition, i) => {
        const end = ends[i]?.highOffset ?? 0;
        const offset = committed.find((c) => c.partition === partition)?.offset;
        const known = offset !== undefined && offset >= 0 ? offset : null;
        rows.push({ model, topic, partition, committed: known, end, lag: known === null ? null : Math.max(0, end - known) });
      });
    }
    return rows;
  }

  private async client(group: string, get: () => KafkaConsumer | undefined, set: (c: KafkaConsumer) => void): Promise<KafkaConsumer> {
    let consumer = get();
    if (consumer === undefined) {
      consumer = new KafkaConsumer({ ...this.options.consumer, 'bootstrap.servers': this.options.brokers, 'group.id': group, 'enable.auto.commit': false }, {});
      // Outages surface as failed polls, reported once; librdkafka's own error events would repeat them.
      consumer.on('event.error', () => undefined);
      set(consumer);
    }
    if (!consumer.isConnected()) {
      const connecting = consumer;
      await call<Metadata>((cb) => connecting.connect({ timeout: TIMEOUT_MS }, cb));
    }
    return consumer;
  }
}

function disconnect(consumer: KafkaConsumer): Promise<void> {
  return call((cb) => consumer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
}
