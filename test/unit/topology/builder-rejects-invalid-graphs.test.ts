import { TopologyBuilder } from '../../../topology/builder';
import { TopologyError } from '../../../topology/errors';
import { InMemoryKeyValueStore } from '../../../topology/state-store';
import { textSink, textSource, upper } from './support';

function rejection(build: () => unknown): TopologyError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(TopologyError);
    return error as TopologyError;
  }
  throw new Error('expected the topology to be rejected');
}

const withSource = () => new TopologyBuilder().addSource('source', textSource(['in']));

describe('builder rejects invalid graphs, naming the node', () => {
  it('an unknown parent', () => {
    const error = rejection(() => withSource().addProcessor('train', upper, 'decode'));
    expect(error.node).toBe('train');
    expect(error.name).toBe('TopologyError');
    expect(error.message).toBe('Invalid topology: predecessor `decode` is not added yet for `train`. Add parents before children.');
  });

  it('a node that names itself as parent (a cycle)', () => {
    const error = rejection(() => withSource().addProcessor('loop', upper, 'loop'));
    expect(error.node).toBe('loop');
    expect(error.message).toMatch(/^Invalid topology: `loop` names itself as its parent: cycles are not allowed/);
  });

  it('a duplicate node name, whatever the kinds', () => {
    const processor = rejection(() => withSource().addProcessor('map', upper, 'source').addProcessor('map', upper, 'source'));
    expect(processor.node).toBe('map');
    expect(processor.message).toMatch(/a node named `map` is already added/);
    const sourceVsSink = rejection(() => withSource().addSink('source', textSink('out'), 'source'));
    expect(sourceVsSink.node).toBe('source');
  });

  it('a sink with no parent', () => {
    const error = rejection(() => withSource().addSink('out', textSink('out')));
    expect(error.node).toBe('out');
    expect(error.message).toMatch(/sink `out` has no parent/);
  });

  it('a processor with no parent (it would never get a record)', () => {
    const error = rejection(() => withSource().addProcessor('orphan', upper));
    expect(error.node).toBe('orphan');
    expect(error.message).toMatch(/processor `orphan` has no parent/);
  });

  it('a sink as a parent', () => {
    const error = rejection(() => withSource().addSink('out', textSink('out'), 'source').addProcessor('after', upper, 'out'));
    expect(error.node).toBe('after');
    expect(error.message).toMatch(/`out` is a sink and cannot be the parent of `after`/);
  });

  it('a store connected to an unknown processor, or to a node that is not a processor', () => {
    const store = (processors: string[]) => ({ factory: () => new InMemoryKeyValueStore<number>('counts'), processors });
    const unknown = rejection(() => withSource().addProcessor('map', upper, 'source').addStateStore('counts', store(['mapp'])).build());
    expect(unknown.node).toBe('mapp');
    expect(unknown.message).toMatch(/store `counts` is connected to `mapp`, which is not a processor/);
    const source = rejection(() => withSource().addStateStore('counts', store(['source'])).build());
    expect(source.node).toBe('source');
  });

  it('a duplicate store name', () => {
    const store = { factory: () => new InMemoryKeyValueStore<number>('counts'), processors: [] };
    const error = rejection(() => withSource().addStateStore('counts', store).addStateStore('counts', store));
    expect(error.node).toBe('counts');
    expect(error.message).toMatch(/a state store named `counts` is already added/);
  });

  it('no source', () => {
    const error = rejection(() => new TopologyBuilder().build());
    expect(error.message).toBe('Invalid topology: it has no source. Add one with addSource().');
  });

  it('a source with no topic', () => {
    const error = rejection(() => new TopologyBuilder().addSource('source', textSource([])));
    expect(error.node).toBe('source');
    expect(error.message).toMatch(/source `source` names no topic/);
  });

  it('two sources reading one topic (one of them would never get a record)', () => {
    const error = rejection(() => withSource().addSource('again', textSource(['other', 'in'])));
    expect(error.node).toBe('again');
    expect(error.message).toMatch(/topic `in` is already read by source `source`/);
  });

  it('a valid graph builds, and the built topology is frozen', () => {
    const topology = withSource().addProcessor('map', upper, 'source').addSink('out', textSink('out'), 'map').build();
    expect(topology.children('source')).toEqual(['map']);
    expect(Object.isFrozen(topology)).toBe(true);
  });
});
