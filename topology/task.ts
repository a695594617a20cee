import { failure, guard } from './guard';
import { andThen, eachInOrder, isPromise, type MaybePromise } from './maybe-async';
import { RecordRouter, type AnyRecord } from './record-router';
import { openStores } from './open-stores';
import type { Cancellable, Logger, Processor, ProcessorContext, PunctuationType, Punctuator, RecordMetadata } from './processor';
import { StreamRecord } from './record';
import { PunctuationSchedule } from './punctuation-schedule';
import { checkpointKey, checkpointRecord } from './checkpoint-record';
import { formatOffsets, offsetsToCommit, sameOffsets } from './commit-offsets';
import { partitionKey, type InputRecord, type RuntimeIO, type TopicPartition, type TopicPartitionOffset } from './seam';
import { isCheckpointable, type CheckpointableStore, type StateStore } from './state-store';
import type { ProcessorNode, SinkNode, SourceNode, Topology } from './topology';

export interface TaskOptions {
  readonly appId: string;
  /** app.instance: the checkpoints of this instance are keyed by it (default 0). */
  readonly instance?: number;
  readonly log: Logger;
  /**
   * Kafka Streams' commit.interval.ms: a commit is made once this much wall-clock time has
   * passed since the last one, whether records arrive or not and whether a window is open or
   * not. 0: as soon as there is something to commit. null: only when a processor asks
   * (`context.commit()`) and at a graceful stop.
   */
  readonly commitIntervalMs: number | null;
}

/**
 * Runs one instance of a topology over a RuntimeIO: deserializes input at the sources, hands
 * records from node to node, serializes them at the sinks, fires punctuators and commits.
 *
 * A commit is made when the commit interval has passed, when a processor asks, and at a
 * graceful stop; and only when there is something to commit: output produced, or input
 * offsets moved, since the last commit. It commits, per partition, the first offset a
 * processor still holds (`heldOffsets`), or else the position.
 *
 * Commit order (each step only after the one before it succeeded):
 *   1. every processed record's outputs have been handed to the runtime by the sinks;
 *   2. every store with a changelog writes its checkpoint, tagged with the offsets committed;
 *   3. the runtime commits outputs, checkpoints and input offsets together (one transaction
 *      when exactly-once); only then are the offsets taken as committed here.
 */
export class StreamTask {
  private readonly router: RecordRouter;
  private readonly processors: Map<string, Processor<unknown, unknown, unknown, unknown>>;
  private readonly stores = new Map<string, StateStore>();
  private readonly schedule = new PunctuationSchedule();
  private readonly sourceByTopic = new Map<string, SourceNode>();
  private readonly positions = new Map<string, TopicPartitionOffset>();
  /** Where reading began on partitions this task has not committed yet: not a move to commit. */
  private readonly firstRead = new Map<string, TopicPartitionOffset>();
  private committedOffsets: TopicPartitionOffset[] = [];
  private metadata: RecordMetadata | null = null;
  private lastPosition: { readonly topic: string; readonly partition: number; readonly key: string } | null = null;
  private streamTime = -1;
  private commitRequested = false;
  private producedSinceCommit = 0;
  private lastCommitAt: number;
  /** Commits done and the time they took: read by benchmarks and logs. */
  readonly commitStats = { commits: 0, totalMs: 0, lastMs: 0, lastCheckpointBytes: 0 };

  constructor(
    private readonly topology: Topology,
    private readonly io: RuntimeIO,
    private readonly options: TaskOptions,
  ) {
    for (const source of topology.sources()) for (const topic of source.topics) this.sourceByTopic.set(topic, source);
    this.router = new RecordRouter(topology, (node, record) => this.sink(node, record), () => this.metadata);
    this.processors = this.router.processors;
    this.lastCommitAt = io.clock.now();
  }

  /**
   * Creates and restores the stores, then inits processors. A checkpoint's offsets are where
   * reading starts at the earliest (`io.seek`), not what this task has committed: with several
   * instances its partitions may have moved to another instance since, and the group's offsets,
   * committed in the same transactions as every instance's checkpoints, say how far that one got.
   */
  async init(): Promise<void> {
    const { stores, restored } = await openStores(this.topology, this.io, this.options.instance ?? 0, this.options.log);
    for (const [name, store] of stores) this.stores.set(name, store);
    if (restored.length) await this.io.seek(restored);
    for (const node of this.topology.nodes.values()) {
      if (node.kind !== 'processor') continue;
      const processor = node.factory();
      this.processors.set(node.name, processor);
      await guard(node.name, 'in init()', () => processor.init?.(this.contextFor(node)));
    }
  }

  /**
   * Processes one input record through the whole graph, then commits if one is due. Returns a
   * promise only when something on the way did (see maybe-async.ts): await what it returns.
   */
  process(input: InputRecord): MaybePromise {
    const source = this.sourceByTopic.get(input.topic);
    if (!source) throw new Error(`record from topic '${input.topic}', which no source of this topology reads`);
    let record: AnyRecord;
    try {
      record = StreamRecord.of(source.keySerde.deserialize(input.key), source.valueSerde.deserialize(input.value), input.timestamp, input.headers);
    } catch (error) {
      throw failure(source.name, `deserializing ${input.topic}/${input.partition}@${input.offset}`, error);
    }
    this.metadata = { topic: input.topic, partition: input.partition, offset: input.offset, timestamp: input.timestamp, headers: input.headers };
    let dispatched: MaybePromise;
    try {
      dispatched = this.router.toChildren(source.name, record);
    } catch (error) {
      this.metadata = null;
      throw error;
    }
    if (!isPromise(dispatched)) {
      this.metadata = null;
      return this.processed(input);
    }
    return dispatched.then(
      () => {
        this.metadata = null;
        return this.processed(input);
      },
      (error: unknown) => {
        this.metadata = null;
        throw error;
      },
    );
  }

  /** After the graph has handled `input`: its position, stream time, then a commit if due. */
  private processed(input: InputRecord): MaybePromise {
    const key = this.positionKey(input.topic, input.partition);
    if (!this.positions.has(key)) this.firstRead.set(key, { topic: input.topic, partition: input.partition, offset: input.offset });
    this.positions.set(key, { topic: input.topic, partition: input.partition, offset: input.offset + 1 });
    if (input.timestamp <= this.streamTime) return this.commitIfDue();
    this.streamTime = input.timestamp;
    return andThen(this.fire('stream-time', this.streamTime), () => this.commitIfDue());
  }

  /** partitionKey(), remembered for the partition of the last record: most records share it. */
  private positionKey(topic: string, partition: number): string {
    const last = this.lastPosition;
    if (last && last.topic === topic && last.partition === partition) return last.key;
    this.lastPosition = { topic, partition, key: partitionKey(topic, partition) };
    return this.lastPosition.key;
  }

  /** Fires the wall-clock punctuators that are due, then commits if one is due. */
  async punctuate(): Promise<void> {
    await this.fire('wall-clock', this.io.clock.now());
    await this.commitIfDue();
  }

  /** The next wall-clock time something is due (a punctuation or a commit), or null. */
  nextWallClockDue(): number | null {
    const punctuation = this.schedule.nextWallClockDue();
    const interval = this.options.commitIntervalMs;
    if (interval === null || !this.hasUncommitted()) return punctuation;
    const commit = this.lastCommitAt + interval;
    return punctuation === null ? commit : Math.min(punctuation, commit);
  }

  /** True when output was produced, or input offsets moved, since the last commit. */
  hasUncommitted(): boolean {
    if (this.producedSinceCommit > 0) return true;
    const baseline = new Map(this.firstRead);
    for (const o of this.committedOffsets) baseline.set(partitionKey(o.topic, o.partition), o);
    return !sameOffsets(this.offsetsToCommit(), [...baseline.values()]);
  }

  /**
   * Commits now what there is to commit (see the order above); does nothing when nothing was
   * produced and no offset moved since the last commit, so an idle stop writes no checkpoint.
   */
  async commit(): Promise<void> {
    this.commitRequested = false;
    if (!this.hasUncommitted()) return;
    const started = performance.now();
    const offsets = this.offsetsToCommit();
    let checkpointBytes = 0;
    for (const spec of this.topology.stores.values()) {
      const store = this.stores.get(spec.name);
      if (!spec.changelogTopic || !store || !isCheckpointable(store)) continue;
      const bytes = await (store as CheckpointableStore).checkpoint();
      checkpointBytes += bytes.byteLength;
      this.io.produce(checkpointRecord(spec.changelogTopic, checkpointKey(spec.name, this.options.instance ?? 0), bytes, offsets));
    }
    await this.io.commit(offsets);
    this.committedOffsets = offsets;
    this.producedSinceCommit = 0;
    this.lastCommitAt = this.io.clock.now();
    const ms = performance.now() - started;
    Object.assign(this.commitStats, { commits: this.commitStats.commits + 1, totalMs: this.commitStats.totalMs + ms, lastMs: ms, lastCheckpointBytes: checkpointBytes });
    this.options.log.debug(`committed ${formatOffsets(offsets)} with ${checkpointBytes} checkpoint bytes in ${ms.toFixed(0)} ms`);
  }

  /**
   * Rebalance: these partitions are now another instance's. The task no longer commits offsets
   * for them (that would move back what their new owner commits). The runtime makes sure no
   * uncommitted work of theirs is left here (it aborts first, see RebalanceListener).
   */
  forgetPartitions(partitions: readonly TopicPartition[]): void {
    const gone = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    for (const key of gone) {
      this.positions.delete(key);
      this.firstRead.delete(key);
    }
    this.committedOffsets = this.committedOffsets.filter((o) => !gone.has(partitionKey(o.topic, o.partition)));
  }

  /** The input offsets of the last successful commit. */
  lastCommitted(): readonly TopicPartitionOffset[] {
    return this.committedOffsets;
  }

  /**
   * Graceful stop: processors emit what they want to (a time window closes), then one last
   * commit of what there is to commit. Input still held (an open count window) is not
   * committed: the next start reads it again.
   */
  async drainAndCommit(): Promise<void> {
    for (const [name, processor] of this.processors) {
      await guard(name, 'in drain()', () => processor.drain?.());
      await this.router.flushOutbox(name);
    }
    await this.commit();
    const held = this.heldOffsets();
    if (held.length) this.options.log.info(`stopping with input held (read again at the next start): ${formatOffsets(held)}`);
  }

  async close(): Promise<void> {
    for (const [name, processor] of this.processors) await guard(name, 'in close()', () => processor.close?.());
    for (const store of this.stores.values()) await store.close?.();
  }

  getStateStore<S extends StateStore>(name: string): S {
    const store = this.stores.get(name);
    if (!store) throw new Error(`no state store named '${name}'; stores: ${[...this.stores.keys()].join(', ') || 'none'}`);
    return store as S;
  }

  private fire(type: PunctuationType, now: number): MaybePromise {
    const due = this.schedule.due(type, now);
    if (due.length === 0) return undefined;
    return eachInOrder(due, (d) => andThen(guard(d.node, `in a ${type} punctuator`, () => d.punctuator(now)), () => this.router.flushOutbox(d.node)));
  }

  private commitIfDue(): MaybePromise {
    const interval = this.options.commitIntervalMs;
    const due = interval !== null && this.io.clock.now() - this.lastCommitAt >= interval;
    return this.commitRequested || due ? this.commit() : undefined;
  }

  private heldOffsets(): TopicPartitionOffset[] {
    return [...this.processors.values()].flatMap((p) => p.heldOffsets?.() ?? []);
  }

  private offsetsToCommit(): TopicPartitionOffset[] {
    return offsetsToCommit(this.positions.values(), this.heldOffsets());
  }

  private sink(node: SinkNode, record: AnyRecord): void {
    const key = node.keySerde.serialize(record.key);
    const value = node.valueSerde.serialize(record.value);
    this.io.produce({ topic: node.topic, key, value, headers: record.headers, timestamp: record.timestamp });
    this.producedSinceCommit += 1;
  }

  private contextFor(node: ProcessorNode): ProcessorContext<unknown, unknown> {
    const children = this.topology.children(node.name);
    const outbox = this.router.outboxOf(node.name);
    return {
      appId: this.options.appId,
      nodeName: node.name,
      log: this.options.log,
      forward: (record: AnyRecord, childName?: string) => {
        if (childName !== undefined && !children.includes(childName)) {
          throw new Error(`'${node.name}' cannot forward to '${childName}': its children are ${children.join(', ') || 'none'}`);
        }
        outbox.push({ record, child: childName });
      },
      schedule: (intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable =>
        this.schedule.add(node.name, intervalMs, type, punctuator, type === 'wall-clock' ? this.io.clock.now() : this.streamTime >= 0 ? this.streamTime : null),
      getStateStore: <S extends StateStore>(storeName: string): S => {
        if (!node.stores.includes(storeName)) {
          throw new Error(`processor '${node.name}' is not connected to store '${storeName}'; connect it in addStateStore()`);
        }
        return this.getStateStore<S>(storeName);
      },
      recordMetadata: () => this.metadata,
      currentWallClockMs: () => this.io.clock.now(),
      currentStreamTimeMs: () => this.streamTime,
      commit: () => { this.commitRequested = true; },
    };
  }
}
