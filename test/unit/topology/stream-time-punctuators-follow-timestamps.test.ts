import { TopologyBuilder } from '../../../topology/builder';
import type { Processor, ProcessorContext } from '../../../topology/processor';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { text, textSource, type Text } from './support';

describe('stream-time punctuators', () => {
  it('fire as record timestamps advance stream time, never on the wall clock nor on late records', async () => {
    const fired: Array<[number, number]> = [];
    const ticker = (): Processor<Text, Text> => {
      let context!: ProcessorContext<never, never>;
      return {
        init: (c) => {
          context = c;
          c.schedule(100, 'stream-time', (at) => { fired.push([at, context.currentStreamTimeMs()]); });
        },
        process: () => undefined,
      };
    };
    const topology = new TopologyBuilder().addSource('source', textSource(['in'])).addProcessor('ticker', ticker, 'source').build();
    const driver = await TopologyTestDriver.create(topology);
    const input = driver.createInputTopic('in', text, text);
    const at = async (timestamp: number) => input.pipeInput('k', 'v', { timestamp });

    await at(1000); // stream time starts here: first punctuation due at 1100
    await at(1099);
    await driver.advanceWallClockTime(10_000);
    expect(fired).toEqual([]);
    await at(1100);
    expect(fired).toEqual([[1100, 1100]]);
    await at(500); // late: stream time does not go back
    await at(1199);
    expect(fired).toEqual([[1100, 1100]]);
    await at(1550); // several intervals at once: one punctuation
    expect(fired).toEqual([[1100, 1100], [1550, 1550]]);
    await at(1649);
    await at(1650);
    expect(fired).toEqual([[1100, 1100], [1550, 1550], [1650, 1650]]);
  });
});
