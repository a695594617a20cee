import type { Serializer, Deserializer } from '../serdes/serde';
import { memoryLogger } from './logger';
import type { Logger } from './processor';
import type { Headers } from './record';
import { ManualClock, MemoryIO, type StoredRecord } from './memory-io';
import type { TopicPartitionOffset } from './seam';
import type { StateStore } from './state-store';
import { StreamLoop } from './stream-loop';
import type { Topology } from './topology';

export interface TestDriverOptions {
  readonly appId?: string;
  /** app.instance: keys the checkpoints (default 0). */
  readonly instance?: number;
  /** Wall-clock time at start (ms since epoch); it moves only by advanceWallClockTime(). */
  readonly startWallClockMs?: number;
  readonly log?: Logger;
  /** Partitions of each source topic, default 1. */
  readonly partitions?: Readonly<Record<string, number>>;
  /**
   * The topics of an earlier driver (`driver.io`), to test a restart: the new driver starts as
   * a restarted application would. What the earlier one left uncommitted is aborted (as a new
   * transactional producer fences the old one), stores are restored from their changelogs and
   * reading resumes at the committed offsets. Records already in the topics are processed at
   * the next pipe or clock advance (`advanceWallClockTime(0)`). `startWallClockMs` is ignored:
   * the clock is the earlier driver's.
   */
  readonly io?: MemoryIO;
  /**
   * Another driver's IO whose topics this driver shares, with a consumer and transactions of its
   * own: a second live instance of an app (give each its own source topics, as a consumer group
   * would give each its own partitions).
   */
  readonly topicsOf?: MemoryIO;
  /**
   * The engine's commit interval in wall-clock ms (see `advanceWallClockTime`); 0 = commit as
   * soon as there is something to commit. Default: none, commits happen only when a processor
   * asks (`context.commit()`) and at `close()`.
   */
  readonly commitIntervalMs?: number;
}

export interface TestRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly headers: Headers;
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Runs a topology with the real engine (StreamLoop, StreamTask) over in-memory topics: the
 * project's TopologyTestDriver. Each piped record is processed at once, together with every
 * record it causes on topics the topology also reads. Wall-clock punctuators fire only when
 * the test advances the clock.
 */
export class TopologyTestDriver {
  readonly io: MemoryIO;
  private readonly loop: StreamLoop;

  private constructor(topology: Topology, options: TestDriverOptions) {
    this.io = options.io ?? new MemoryIO(options.topicsOf?.clock ?? new ManualClock(options.startWallClockMs ?? 0), topology.sourceTopics(), options.topicsOf?.sharedTopics());
    for (const topic of topology.sourceTopics()) this.io.createTopic(topic, options.partitions?.[topic] ?? 1);
    this.loop = new StreamLoop(topology, this.io, {
      appId: options.appId ?? 'test-app',
      instance: options.instance,
      log: options.log ?? memoryLogger(),
      maxPollRecords: 1,
      pollTimeoutMs: 0,
      commitIntervalMs: options.commitIntervalMs ?? null,
    });
  }

  static async create(topology: Topology, options: TestDriverOptions = {}): Promise<TopologyTestDriver> {
    const driver = new TopologyTestDriver(topology, options);
    if (options.io) await options.io.abort(); // fences the earlier driver, back to the committed offsets
    await driver.loop.start();
    return driver;
  }

  createInputTopic<K, V>(topic: string, keySerializer: Serializer<K>, valueSerializer: Serializer<V>): TestInputTopic<K, V> {
    return new TestInputTopic(this, topic, keySerializer, valueSerializer);
  }

  createOutputTopic<K, V>(topic: string, keyDeserializer: Deserializer<K>, valueDeserializer: Deserializer<V>): TestOutputTopic<K, V> {
    return new TestOutputTopic(this.io, topic, keyDeserializer, valueDeserializer);
  }

  /** Appends raw bytes to a topic and processes until nothing is left to read. */
  async pipeRaw(topic: string, key: Buffer | null, value: Buffer | null, options: { timestamp?: number; partition?: number; headers?: Headers } = {}): Promise<void> {
    this.io.append(topic, options.partition ?? 0, key, value, options.timestamp ?? this.io.clock.now(), options.headers ?? []);
    await this.processAvailable();
  }

  /** Moves the wall clock; fires the punctuators and makes the commit that come due. */
  async advanceWallClockTime(ms: number): Promise<void> {
    this.io.clock.advance(ms);
    await this.processAvailable();
  }

  getStateStore<S extends StateStore>(name: string): S {
    return this.loop.currentTask().getStateStore<S>(name);
  }

  committedOffsets(): TopicPartitionOffset[] {
    return this.io.committedOffsets();
  }

  /** A graceful stop, as on SIGTERM: processors drain, a final commit, then close. */
  async close(): Promise<void> {
    this.loop.stop();
    await this.loop.run();
  }

  /**
   * Polls until nothing is left to read. Records just produced may feed another sub-topology;
   * after an AbortableError the loop has rebuilt its task (pollOnce returned 0) and the records
   * since the last commit are to be read again.
   */
  private async processAvailable(): Promise<void> {
    for (;;) {
      const task = this.loop.currentTask();
      const processed = await this.loop.pollOnce();
      if (processed === 0 && this.loop.currentTask() === task) return;
    }
  }
}

export class TestInputTopic<K, V> {
  constructor(
    private readonly driver: TopologyTestDriver,
    readonly topic: string,
    private readonly keySerializer: Serializer<K>,
    private readonly valueSerializer: Serializer<V>,
  ) {}

  async pipeInput(key: K, value: V, options: { timestamp?: number; partition?: number; headers?: Headers } = {}): Promise<void> {
    await this.driver.pipeRaw(this.topic, this.keySerializer.serialize(key), this.valueSerializer.serialize(value), options);
  }
}

export class TestOutputTopic<K, V> {
  private readonly seen = new WeakSet<StoredRecord>();

  constructor(
    private readonly io: MemoryIO,
    readonly topic: string,
    private readonly keyDeserializer: Deserializer<K>,
    private readonly valueDeserializer: Deserializer<V>,
  ) {}

  /** Records not read yet, oldest first (as a read_uncommitted reader sees them). */
  readRecordsToList(): TestRecord<K, V>[] {
    const fresh = this.io.read(this.topic).filter((r) => !this.seen.has(r));
    for (const r of fresh) this.seen.add(r);
    return fresh.map((r) => this.decode(r));
  }

  readValuesToList(): V[] {
    return this.readRecordsToList().map((r) => r.value);
  }

  /** Only what committed transactions wrote, from the start of the topic. */
  readCommitted(): TestRecord<K, V>[] {
    return this.io.read(this.topic, { committedOnly: true }).map((r) => this.decode(r));
  }

  isEmpty(): boolean {
    return this.io.read(this.topic).every((r) => this.seen.has(r));
  }

  private decode(r: StoredRecord): TestRecord<K, V> {
    return {
      key: this.keyDeserializer.deserialize(r.key),
      value: this.valueDeserializer.deserialize(r.value),
      headers: r.headers,
      timestamp: r.timestamp,
      partition: r.partition,
      offset: r.offset,
    };
  }
}

