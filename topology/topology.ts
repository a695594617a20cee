import type { Serde } from '../serdes/serde';
import type { ProcessorFactory } from './processor';
import type { StateStore } from './state-store';

export interface SourceNode {
  readonly kind: 'source';
  readonly name: string;
  readonly topics: readonly string[];
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
}

export interface ProcessorNode {
  readonly kind: 'processor';
  readonly name: string;
  readonly factory: ProcessorFactory<unknown, unknown, unknown, unknown>;
  readonly parents: readonly string[];
  readonly stores: readonly string[];
}

export interface SinkNode {
  readonly kind: 'sink';
  readonly name: string;
  readonly topic: string;
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly parents: readonly string[];
}

export type TopologyNode = SourceNode | ProcessorNode | SinkNode;

export interface StoreSpec {
  readonly name: string;
  readonly factory: () => StateStore;
  /** The topic its checkpoints go to; null for a store kept only in memory. */
  readonly changelogTopic: string | null;
  /** For a global store (GlobalKeyValueStore): the topic it reads whole. */
  readonly globalTopic?: string;
}

/** A checked, immutable graph of sources, processors and sinks. Built by `TopologyBuilder`. */
export class Topology {
  private readonly childrenOf: ReadonlyMap<string, readonly string[]>;

  /** @internal use TopologyBuilder.build() */
  constructor(
    readonly nodes: ReadonlyMap<string, TopologyNode>,
    readonly stores: ReadonlyMap<string, StoreSpec>,
  ) {
    const children = new Map<string, string[]>();
    for (const node of nodes.values()) children.set(node.name, []);
    for (const node of nodes.values()) {
      if (node.kind === 'source') continue;
      for (const parent of node.parents) children.get(parent)?.push(node.name);
    }
    this.childrenOf = children;
    Object.freeze(this);
  }

  children(name: string): readonly string[] {
    return this.childrenOf.get(name) ?? [];
  }

  sources(): SourceNode[] {
    return [...this.nodes.values()].filter((n): n is SourceNode => n.kind === 'source');
  }

  sinks(): SinkNode[] {
    return [...this.nodes.values()].filter((n): n is SinkNode => n.kind === 'sink');
  }

  sourceTopics(): string[] {
    return this.sources().flatMap((s) => [...s.topics]);
  }

  sinkTopics(): string[] {
    return [...new Set(this.sinks().map((s) => s.topic))];
  }

  changelogTopics(): string[] {
    return [...this.stores.values()].flatMap((s) => (s.changelogTopic ? [s.changelogTopic] : []));
  }

  /** The topics global stores read: every instance reads them whole, outside the consumer group. */
  globalTopics(): string[] {
    return [...this.stores.values()].flatMap((s) => (s.globalTopic ? [s.globalTopic] : []));
  }

  /** The graph as text, one node a line, in the order nodes were added. */
  describe(): string {
    const lines = ['Topology:'];
    for (const node of this.nodes.values()) {
      const next = this.children(node.name);
      const arrow = next.length ? ` --> ${next.join(', ')}` : '';
      if (node.kind === 'source') {
        lines.push(`  Source: ${node.name} (topics: [${node.topics.join(', ')}])${arrow}`);
      } else if (node.kind === 'processor') {
        const stores = node.stores.length ? ` (stores: [${node.stores.join(', ')}])` : '';
        lines.push(`  Processor: ${node.name}${stores}${arrow} <-- ${node.parents.join(', ')}`);
      } else {
        lines.push(`  Sink: ${node.name} (topic: ${node.topic}) <-- ${node.parents.join(', ')}`);
      }
    }
    for (const store of this.stores.values()) {
      const from = store.globalTopic ? `global, topic: ${store.globalTopic}` : `changelog: ${store.changelogTopic ?? 'none'}`;
      lines.push(`  Store: ${store.name} (${from})`);
    }
    return lines.join('\n');
  }
}
