import { checkBrokers, ensureTopics, type TopicSpec } from './admin';
import { KafkaIO } from './io';
import type { ClientSettings } from './settings';
import type { Logger } from '../processor';
import { StreamLoop } from '../stream-loop';
import type { Topology } from '../topology';
import type { TopicPartitionOffset } from '../seam';

export interface KafkaAppOptions {
  readonly settings: ClientSettings;
  readonly topology: Topology;
  /** Created at start when missing. */
  readonly topics: readonly TopicSpec[];
  readonly log: Logger;
  readonly maxPollRecords?: number;
  readonly pollTimeoutMs?: number;
  /** Wall-clock ms between commits, busy or idle (see TaskOptions.commitIntervalMs). */
  readonly commitIntervalMs: number | null;
  /** Log once that the app waits for records after this long without any; null = never (default 1000). */
  readonly idleNoticeAfterMs?: number | null;
  /**
   * Where to start reading, after topics exist and before state is restored (a restored
   * checkpoint's offsets win). For a fresh run that must skip what is already in a topic.
   */
  readonly startOffsets?: (brokers: string) => Promise<readonly TopicPartitionOffset[]>;
}

/**
 * A topology running on a Kafka cluster: the StreamLoop over a KafkaIO. `start()` checks the
 * brokers, creates missing topics, connects and restores state; `run()` processes until
 * `stop()`, then drains, commits and disconnects.
 */
export class KafkaStreamsApp {
  private constructor(
    private readonly loop: StreamLoop,
    private readonly io: KafkaIO,
    private readonly log: Logger,
  ) {}

  static async start(options: KafkaAppOptions): Promise<KafkaStreamsApp> {
    const { settings, log } = options;
    await checkBrokers(settings.brokers);
    await ensureTopics(settings.brokers, options.topics, log);
    const io = await KafkaIO.connect(settings, options.topology.sourceTopics(), log);
    if (options.startOffsets) await io.seek(await options.startOffsets(settings.brokers));
    const loop = new StreamLoop(options.topology, io, {
      appId: settings.appId,
      instance: settings.instance,
      log,
      maxPollRecords: options.maxPollRecords ?? 500,
      pollTimeoutMs: options.pollTimeoutMs ?? 200,
      commitIntervalMs: options.commitIntervalMs,
      idleNoticeAfterMs: options.idleNoticeAfterMs,
    });
    try {
      await loop.start();
    } catch (error) {
      await io.close();
      throw error;
    }
    log.info(`${settings.appId} running on ${settings.brokers} (${settings.exactlyOnce ? 'exactly-once' : 'at-least-once'})`);
    return new KafkaStreamsApp(loop, io, log);
  }

  /** Resolves after stop() once the final commit is done and the clients are closed. */
  async run(): Promise<void> {
    try {
      await this.loop.run();
    } finally {
      await this.io.close();
      this.log.info('stopped');
    }
  }

  stop(): void {
    this.loop.stop();
  }

  get task() {
    return this.loop.currentTask();
  }
}
