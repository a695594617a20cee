// A global store: every instance reads its topic whole, read_committed, outside the consumer
// group, and processors read the latest value per key while the task runs.
import type { GlobalKeyValueStore } from '../../../topology/global-store';
import { TopologyBuilder } from '../../../topology/builder';
import type { Processor, ProcessorContext } from '../../../topology/processor';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { text, textSink, textSource, type Text } from './support';

/** Looks the record's value up in the global store 'prices' and forwards `value=price`. */
function lookup(): Processor<Text, Text, Text, Text> {
  let context!: ProcessorContext<Text, Text>;
  let prices!: GlobalKeyValueStore<Text, Text>;
  return {
    init: (c) => {
      context = c;
      prices = c.getStateStore<GlobalKeyValueStore<Text, Text>>('prices');
    },
    process: (record) => context.forward(record.withValue(`${record.value}=${prices.get(record.value)?.value ?? 'none'}`)),
  };
}

/** in -> lookup -> out, with the global store of topic 'prices'. */
function topology() {
  return new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('lookup', lookup, 'source')
    .addSink('out', textSink('out'), 'lookup')
    .addGlobalStore('prices', { topic: 'prices', keySerde: text, valueSerde: text, processors: ['lookup'] })
    .build();
}

/** Another app's instance: price-updates -> prices (topic), in transactions. */
function writerTopology() {
  return new TopologyBuilder()
    .addSource('updates', textSource(['price-updates']))
    .addProcessor('pass', (): Processor<Text, Text, Text, Text> => {
      let context!: ProcessorContext<Text, Text>;
      return { init: (c) => { context = c; }, process: (r) => context.forward(r) };
    }, 'updates')
    .addSink('prices-sink', textSink('prices'), 'pass')
    .build();
}

const price = (driver: TopologyTestDriver, key: string, value: string | null) =>
  driver.io.append('prices', 0, Buffer.from(key), value === null ? null : Buffer.from(value), driver.io.clock.now());

describe('a global store', () => {
  it('holds at start what its topic held, and the latest value per key as records arrive', async () => {
    const first = await TopologyTestDriver.create(topology());
    price(first, 'apple', '1');
    price(first, 'pear', '2');
    const driver = await TopologyTestDriver.create(topology(), { topicsOf: first.io });
    const input = driver.createInputTopic('in', text, text);
    const out = driver.createOutputTopic('out', text, text);

    await input.pipeInput(null, 'apple');
    price(driver, 'apple', '3');
    price(driver, 'pear', null); // a tombstone
    await input.pipeInput(null, 'apple');
    await input.pipeInput(null, 'pear');

    expect(out.readValuesToList()).toEqual(['apple=1', 'apple=3', 'pear=none']);
    expect(driver.getStateStore<GlobalKeyValueStore<Text, Text>>('prices').all().map((e) => [e.key, e.value])).toEqual([['apple', '3']]);
  });

  it('sees another instance\'s writes only once its transaction commits, and never commits offsets of its topic', async () => {
    const reader = await TopologyTestDriver.create(topology());
    const writer = await TopologyTestDriver.create(writerTopology(), { topicsOf: reader.io });
    const input = reader.createInputTopic('in', text, text);
    const out = reader.createOutputTopic('out', text, text);

    await writer.createInputTopic('price-updates', text, text).pipeInput('apple', '5');
    await input.pipeInput(null, 'apple');
    await writer.close(); // its final commit
    await input.pipeInput(null, 'apple');

    expect(out.readValuesToList()).toEqual(['apple=none', 'apple=5']);
    await reader.close();
    expect(reader.committedOffsets().map((o) => o.topic)).toEqual(['in']);
  });

  it('is refused on a topic that a source reads', () => {
    const builder = new TopologyBuilder().addSource('source', textSource(['in'])).addProcessor('lookup', lookup, 'source');
    expect(() => builder.addGlobalStore('prices', { topic: 'in', keySerde: text, valueSerde: text, processors: ['lookup'] })).toThrow(
      'topic `in` is already read by source `source`; a global store reads its topic itself',
    );
  });

  it('is described with its topic', () => {
    expect(topology().describe()).toContain('Store: prices (global, topic: prices)');
  });
});
