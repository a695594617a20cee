import { TopologyBuilder } from '../../../topology/builder';
import type { Processor, ProcessorContext, RecordMetadata } from '../../../topology/processor';
import { textHeader } from '../../../topology/record';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { capture, text, textSource, upper, type Seen, type Text } from './support';

describe('record metadata', () => {
  it('is the input record\'s topic, partition, offset, timestamp and headers, down the whole graph', async () => {
    const seen: Seen[] = [];
    const topology = new TopologyBuilder()
      .addSource('source', textSource(['in', 'other']))
      .addProcessor('map', upper, 'source')
      .addProcessor('capture', capture(seen), 'map')
      .build();
    const driver = await TopologyTestDriver.create(topology, { partitions: { in: 3 } });
    const input = driver.createInputTopic('in', text, text);
    const headers = [textHeader('trace', 'abc')];

    await input.pipeInput('k', 'a', { partition: 2, timestamp: 1000, headers });
    await input.pipeInput('k', 'b', { partition: 2, timestamp: 1500 });
    await driver.createInputTopic('other', text, text).pipeInput(null, 'c', { timestamp: 1200 });

    expect(seen.map((s) => s.metadata)).toEqual<RecordMetadata[]>([
      { topic: 'in', partition: 2, offset: 0, timestamp: 1000, headers },
      { topic: 'in', partition: 2, offset: 1, timestamp: 1500, headers: [] },
      { topic: 'other', partition: 0, offset: 0, timestamp: 1200, headers: [] },
    ]);
    // the record itself carries the timestamp and headers on, through `map`
    expect(seen[0]?.record).toMatchObject({ key: 'k', value: 'A', timestamp: 1000 });
    expect(seen[0]?.record.header('trace')).toBe('abc');
  });

  it('is null inside wall-clock and stream-time punctuators', async () => {
    const inPunctuators: Array<[string, RecordMetadata | null]> = [];
    const inProcess: Array<RecordMetadata | null> = [];
    const watcher = (): Processor<Text, Text> => {
      let context!: ProcessorContext<never, never>;
      return {
        init: (c) => {
          context = c;
          c.schedule(100, 'wall-clock', () => { inPunctuators.push(['wall-clock', context.recordMetadata()]); });
          c.schedule(100, 'stream-time', () => { inPunctuators.push(['stream-time', context.recordMetadata()]); });
        },
        process: () => { inProcess.push(context.recordMetadata()); },
      };
    };
    const topology = new TopologyBuilder().addSource('source', textSource(['in'])).addProcessor('watcher', watcher, 'source').build();
    const driver = await TopologyTestDriver.create(topology);
    const input = driver.createInputTopic('in', text, text);

    await input.pipeInput('k', 'a', { timestamp: 0 });
    await input.pipeInput('k', 'b', { timestamp: 100 }); // stream time reaches the first punctuation
    await driver.advanceWallClockTime(100);

    expect(inPunctuators).toEqual([['stream-time', null], ['wall-clock', null]]);
    expect(inProcess.map((m) => m?.offset)).toEqual([0, 1]);
  });
});
