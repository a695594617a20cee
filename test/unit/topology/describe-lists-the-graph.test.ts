import { TopologyBuilder } from '../../../topology/builder';
import { InMemoryKeyValueStore } from '../../../topology/state-store';
import { textSink, textSource, upper } from './support';

describe('describe()', () => {
  it('lists sources, processors with parents and stores, sinks and stores, in the order added', () => {
    const topology = new TopologyBuilder()
      .addSource('source', textSource(['in', 'in-2']))
      .addProcessor('decode', upper, 'source')
      .addSink('dead-letter', textSink('dlq'), 'decode')
      .addProcessor('train', upper, 'decode')
      .addSink('metrics', textSink('metrics'), 'train')
      .addStateStore('trainer', { factory: () => new InMemoryKeyValueStore('trainer'), processors: ['train'], changelogTopic: 'trainer-changelog' })
      .addStateStore('scratch', { factory: () => new InMemoryKeyValueStore('scratch'), processors: ['decode', 'train'] })
      .build();

    expect(topology.describe()).toBe(
      [
        'Topology:',
        '  Source: source (topics: [in, in-2]) --> decode',
        '  Processor: decode (stores: [scratch]) --> dead-letter, train <-- source',
        '  Sink: dead-letter (topic: dlq) <-- decode',
        '  Processor: train (stores: [trainer, scratch]) --> metrics <-- decode',
        '  Sink: metrics (topic: metrics) <-- train',
        '  Store: trainer (changelog: trainer-changelog)',
        '  Store: scratch (changelog: none)',
      ].join('\n'),
    );
    expect(topology.sourceTopics()).toEqual(['in', 'in-2']);
    expect(topology.sinkTopics()).toEqual(['dlq', 'metrics']);
    expect(topology.changelogTopics()).toEqual(['trainer-changelog']);
  });
});
