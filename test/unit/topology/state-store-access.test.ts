import { TopologyBuilder } from '../../../topology/builder';
import { ProcessingError } from '../../../topology/errors';
import type { Processor, ProcessorContext } from '../../../topology/processor';
import { InMemoryKeyValueStore } from '../../../topology/state-store';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { text, textSource, type Text } from './support';

type Counts = InMemoryKeyValueStore<number>;

/** Counts records per key in the store `counts`. */
function counter(): Processor<Text, Text> {
  let store!: Counts;
  return {
    init: (c: ProcessorContext<never, never>) => { store = c.getStateStore<Counts>('counts'); },
    process: (record) => {
      const key = record.key ?? '';
      store.put(key, (store.get(key) ?? 0) + 1);
    },
  };
}

function topologyWith(intruder: () => Processor<Text, Text>) {
  return new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('counter', counter, 'source')
    .addProcessor('intruder', intruder, 'source')
    .addStateStore('counts', { factory: () => new InMemoryKeyValueStore<number>('counts'), processors: ['counter'] })
    .build();
}

describe('state stores', () => {
  it('a connected processor uses its store, and the test reads it through the driver', async () => {
    const driver = await TopologyTestDriver.create(topologyWith(() => ({ process: () => undefined })));
    const input = driver.createInputTopic('in', text, text);
    await input.pipeInput('a', '1');
    await input.pipeInput('b', '2');
    await input.pipeInput('a', '3');
    expect([...driver.getStateStore<Counts>('counts').all()]).toEqual([['a', 2], ['b', 1]]);
  });

  it('a processor that is not connected to the store gets an error naming both', async () => {
    let context!: ProcessorContext<never, never>;
    const intruder = (): Processor<Text, Text> => ({
      init: (c) => { context = c; },
      process: () => { context.getStateStore<Counts>('counts'); },
    });
    const driver = await TopologyTestDriver.create(topologyWith(intruder));
    const failure = driver.createInputTopic('in', text, text).pipeInput('a', '1');
    await expect(failure).rejects.toBeInstanceOf(ProcessingError);
    await expect(failure).rejects.toMatchObject({ node: 'intruder' });
    await expect(failure).rejects.toThrow("processor 'intruder' is not connected to store 'counts'; connect it in addStateStore()");
  });

  it('asking the driver for a store that does not exist lists the stores there are', async () => {
    const driver = await TopologyTestDriver.create(topologyWith(() => ({ process: () => undefined })));
    expect(() => driver.getStateStore('count')).toThrow("no state store named 'count'; stores: counts");
  });
});
