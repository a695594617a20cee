import { TopologyBuilder } from '../../../topology/builder';
import type { Processor, ProcessorContext } from '../../../topology/processor';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { capture, text, textSink, textSource, upper, values, type Seen, type Text } from './support';

/** Forwards one record per word of the value: "a b c" -> "a", "b", "c". */
function splitter(): Processor<Text, Text, Text, Text> {
  let context!: ProcessorContext<Text, Text>;
  return {
    init: (c) => { context = c; },
    process: (record) => { for (const word of (record.value ?? '').split(' ')) context.forward(record.withValue(word)); },
  };
}

/** Passes records on, after a real wait (a timer) for words starting with "slow", at once otherwise. */
function sometimesSlow(): Processor<Text, Text, Text, Text> {
  let context!: ProcessorContext<Text, Text>;
  return {
    init: (c) => { context = c; },
    process: (record) => {
      if (!record.value?.startsWith('slow')) return context.forward(record);
      return new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() => context.forward(record));
    },
  };
}

// The engine runs a record's path without promises while every processor returns none, and
// switches to promises where one does: the order of records, the metadata and the errors must
// be the same on both paths.
describe('processors that return a promise for some records and not for others', () => {
  const topology = (seen: Seen[]) =>
    new TopologyBuilder()
      .addSource('source', textSource(['in']))
      .addProcessor('split', splitter, 'source')
      .addProcessor('maybe-slow', sometimesSlow, 'split')
      .addProcessor('upper', upper, 'maybe-slow')
      .addProcessor('capture', capture(seen), 'upper')
      .addSink('out', textSink('out'), 'upper')
      .build();

  it('keep the order of records, across inputs, and every record sees its own metadata', async () => {
    const seen: Seen[] = [];
    const driver = await TopologyTestDriver.create(topology(seen));
    const input = driver.createInputTopic('in', text, text);
    await input.pipeInput('k', 'a slow-b c');
    await input.pipeInput('k', 'slow-d e');
    await input.pipeInput('k', 'f');

    expect(values(seen)).toEqual(['A', 'SLOW-B', 'C', 'SLOW-D', 'E', 'F']);
    expect(seen.map((s) => s.metadata?.offset)).toEqual([0, 0, 0, 1, 1, 2]);
    expect(driver.createOutputTopic('out', text, text).readValuesToList()).toEqual(['A', 'SLOW-B', 'C', 'SLOW-D', 'E', 'F']);
  });

  it('name the failing node and record whether it failed at once or after a wait', async () => {
    const failing = (): Processor<Text, Text> => ({
      process: (record) => {
        if (record.value === 'BAD') throw new Error('at once');
        if (record.value === 'SLOW-BAD') return Promise.reject(new Error('after a wait'));
        return undefined;
      },
    });
    const build = () =>
      new TopologyBuilder()
        .addSource('source', textSource(['in']))
        .addProcessor('split', splitter, 'source')
        .addProcessor('maybe-slow', sometimesSlow, 'split')
        .addProcessor('upper', upper, 'maybe-slow')
        .addProcessor('failing', failing, 'upper')
        .build();
    const atOnce = await TopologyTestDriver.create(build());
    await atOnce.createInputTopic('in', text, text).pipeInput('k', 'ok');
    await expect(atOnce.createInputTopic('in', text, text).pipeInput('k', 'fine bad')).rejects.toMatchObject({ node: 'failing', where: 'on record in/0@1', message: expect.stringContaining('at once') });

    const later = await TopologyTestDriver.create(build());
    await expect(later.createInputTopic('in', text, text).pipeInput('k', 'slow-bad')).rejects.toMatchObject({ node: 'failing', where: 'on record in/0@0', message: expect.stringContaining('after a wait') });
  });
});
