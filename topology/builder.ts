import type { Serde } from '../serdes/serde';
import { TopologyError } from './errors';
import { GlobalKeyValueStore } from './global-store';
import type { ProcessorFactory } from './processor';
import type { StateStore } from './state-store';
import { Topology, type StoreSpec, type TopologyNode } from './topology';

export interface SourceOptions<K, V> {
  readonly topics: readonly string[];
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
}

export interface SinkOptions<K, V> {
  readonly topic: string;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
}

export interface StoreOptions {
  readonly factory: () => StateStore;
  /** Processors that may use it. */
  readonly processors: readonly string[];
  /** Where its checkpoints go; omit for a store kept only in memory. */
  readonly changelogTopic?: string;
}

export interface GlobalStoreOptions<K, V> {
  /** The topic it reads whole; the topology may also write it through a sink. */
  readonly topic: string;
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  /** Processors that may read it. */
  readonly processors: readonly string[];
}

/**
 * Declares a topology: sources, processors and sinks by name, each naming its parents.
 * Each method returns the builder. `build()` checks the whole graph and freezes it.
 * Serde and processor types are checked where a node is added; the graph stores them erased.
 */
export class TopologyBuilder {
  private readonly nodes = new Map<string, TopologyNode>();
  private readonly stores = new Map<string, StoreSpec>();
  private readonly storeUsers = new Map<string, readonly string[]>();

  addSource<K, V>(name: string, options: SourceOptions<K, V>): this {
    this.checkName(name);
    if (options.topics.length === 0) {
      throw new TopologyError(name, `source \`${name}\` names no topic. Give it at least one topic.`);
    }
    for (const node of this.nodes.values()) {
      if (node.kind !== 'source') continue;
      const taken = options.topics.find((t) => node.topics.includes(t));
      if (taken !== undefined) {
        throw new TopologyError(name, `topic \`${taken}\` is already read by source \`${node.name}\`, so \`${name}\` would never get its records. Read each topic from one source.`);
      }
    }
    this.nodes.set(name, {
      kind: 'source',
      name,
      topics: [...options.topics],
      keySerde: options.keySerde as Serde<unknown>,
      valueSerde: options.valueSerde as Serde<unknown>,
    });
    return this;
  }

  addProcessor<KIn, VIn, KOut, VOut>(
    name: string,
    factory: ProcessorFactory<KIn, VIn, KOut, VOut>,
    ...parents: string[]
  ): this {
    this.checkName(name);
    if (parents.length === 0) {
      throw new TopologyError(name, `processor \`${name}\` has no parent, so it would never get a record. Name its source or processor parents.`);
    }
    this.checkParents(name, parents);
    this.nodes.set(name, {
      kind: 'processor',
      name,
      factory: factory as unknown as ProcessorFactory<unknown, unknown, unknown, unknown>,
      parents,
      stores: [],
    });
    return this;
  }

  addSink<K, V>(name: string, options: SinkOptions<K, V>, ...parents: string[]): this {
    this.checkName(name);
    if (parents.length === 0) {
      throw new TopologyError(name, `sink \`${name}\` has no parent. Name the processor that feeds it.`);
    }
    this.checkParents(name, parents);
    this.nodes.set(name, {
      kind: 'sink',
      name,
      topic: options.topic,
      keySerde: options.keySerde as Serde<unknown>,
      valueSerde: options.valueSerde as Serde<unknown>,
      parents,
    });
    return this;
  }

  addStateStore(name: string, options: StoreOptions): this {
    if (this.stores.has(name)) {
      throw new TopologyError(name, `a state store named \`${name}\` is already added. Use another name.`);
    }
    this.stores.set(name, { name, factory: options.factory, changelogTopic: options.changelogTopic ?? null });
    this.storeUsers.set(name, [...options.processors]);
    return this;
  }

  /**
   * Kafka Streams' addGlobalStore: a GlobalKeyValueStore of the latest value per key of `topic`,
   * which every instance reads whole (all partitions, read_committed, outside the consumer
   * group, never committed) and keeps current while it runs. A source may not read the topic.
   */
  addGlobalStore<K, V>(name: string, options: GlobalStoreOptions<K, V>): this {
    const { topic, keySerde, valueSerde } = options;
    const source = [...this.nodes.values()].find((n) => n.kind === 'source' && n.topics.includes(topic));
    if (source) {
      throw new TopologyError(name, `topic \`${topic}\` is already read by source \`${source.name}\`; a global store reads its topic itself. Use another topic.`);
    }
    const factory = (): GlobalKeyValueStore<K, V> => new GlobalKeyValueStore(name, topic, keySerde, valueSerde);
    this.addStateStore(name, { factory, processors: options.processors });
    this.stores.set(name, { name, factory, changelogTopic: null, globalTopic: topic });
    return this;
  }

  build(): Topology {
    const nodes = new Map(this.nodes);
    for (const [store, users] of this.storeUsers) {
      for (const user of users) {
        const node = nodes.get(user);
        if (!node || node.kind !== 'processor') {
          throw new TopologyError(user, `store \`${store}\` is connected to \`${user}\`, which is not a processor. Add the processor first.`);
        }
        nodes.set(user, { ...node, stores: [...node.stores, store] });
      }
    }
    if (![...nodes.values()].some((n) => n.kind === 'source')) {
      throw new TopologyError('', 'it has no source. Add one with addSource().');
    }
    checkAcyclic(nodes);
    return new Topology(nodes, new Map(this.stores));
  }

  private checkName(name: string): void {
    if (!name) throw new TopologyError(name, 'a node needs a non-empty name.');
    if (this.nodes.has(name)) {
      throw new TopologyError(name, `a node named \`${name}\` is already added. Node names must be unique.`);
    }
  }

  private checkParents(name: string, parents: readonly string[]): void {
    for (const parent of parents) {
      if (parent === name) {
        throw new TopologyError(name, `\`${name}\` names itself as its parent: cycles are not allowed.`);
      }
      const node = this.nodes.get(parent);
      if (!node) {
        throw new TopologyError(name, `predecessor \`${parent}\` is not added yet for \`${name}\`. Add parents before children.`);
      }
      if (node.kind === 'sink') {
        throw new TopologyError(name, `\`${parent}\` is a sink and cannot be the parent of \`${name}\`.`);
      }
    }
  }
}

/**
 * Parents must exist when a node is added, so a cycle cannot be built through the public API;
 * this check keeps that true if the graph is ever assembled another way.
 */
function checkAcyclic(nodes: ReadonlyMap<string, TopologyNode>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new TopologyError(name, `cycle ${[...path, name].join(' -> ')}. A topology must be acyclic.`);
    }
    state.set(name, 'visiting');
    const node = nodes.get(name);
    if (node && node.kind !== 'source') for (const p of node.parents) visit(p, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of nodes.keys()) visit(name, []);
}
