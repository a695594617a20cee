import { TopologyBuilder } from '../../../topology/builder';
import type { Processor, ProcessorContext } from '../../../topology/processor';
import { StreamRecord } from '../../../topology/record';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { text, textSink, textSource, type Text } from './support';

/**
 * Forwards every value; asks for a commit on the value 'commit'; on each wall-clock tick emits
 * 'tick' and asks for a commit; on drain emits 'drained'.
 */
function committer(events: string[]): () => Processor<Text, Text, Text, Text> {
  return () => {
    let context!: ProcessorContext<Text, Text>;
    return {
      init: (c) => {
        context = c;
        c.schedule(1000, 'wall-clock', (now) => {
          context.forward(StreamRecord.of('tick', 'tick', now));
          context.commit();
        });
      },
      process: (record) => {
        context.forward(record);
        if (record.value === 'commit') context.commit();
      },
      drain: () => {
        events.push('drain');
        context.forward(StreamRecord.of('drain', 'drained', context.currentWallClockMs()));
      },
      close: () => { events.push('close'); },
    };
  };
}

async function setup(events: string[] = []) {
  const topology = new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('committer', committer(events), 'source')
    .addSink('out', textSink('out'), 'committer')
    .build();
  const driver = await TopologyTestDriver.create(topology, { partitions: { in: 2 } });
  return { driver, input: driver.createInputTopic('in', text, text), output: driver.createOutputTopic('out', text, text) };
}

describe('a commit asked for with context.commit()', () => {
  it('commits the outputs and the input offsets of every partition, together, once the record is done', async () => {
    const { driver, input, output } = await setup();
    await input.pipeInput('k', 'a', { partition: 0 });
    await input.pipeInput('k', 'b', { partition: 1 });
    await input.pipeInput('k', 'c', { partition: 1 });

    expect(output.readRecordsToList().map((r) => r.value)).toEqual(['a', 'b', 'c']); // produced, not committed
    expect(output.readCommitted()).toEqual([]);
    expect(driver.committedOffsets()).toEqual([]);

    await input.pipeInput('k', 'commit', { partition: 0 });
    expect(output.readCommitted().map((r) => r.value)).toEqual(['a', 'b', 'c', 'commit']);
    expect(driver.committedOffsets()).toEqual([
      { topic: 'in', partition: 0, offset: 2 },
      { topic: 'in', partition: 1, offset: 2 },
    ]);

    await input.pipeInput('k', 'd', { partition: 1 });
    expect(output.readCommitted().map((r) => r.value)).toEqual(['a', 'b', 'c', 'commit']);
    expect(driver.io.commits).toBe(1);
  });

  it('in a punctuator commits what the punctuator produced, even with no new input since the last commit', async () => {
    const { driver, input, output } = await setup();
    await input.pipeInput('k', 'commit');
    expect(driver.io.commits).toBe(1);

    await driver.advanceWallClockTime(1000);
    expect(output.readCommitted().map((r) => r.value)).toEqual(['commit', 'tick']);
    expect(driver.io.commits).toBe(2);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 1 }]);
  });

  it('is not made without asking: a record that does not ask stays uncommitted', async () => {
    const { driver, input, output } = await setup();
    await input.pipeInput('k', 'a');
    await driver.advanceWallClockTime(999);
    expect(output.readCommitted()).toEqual([]);
    expect(driver.io.commits).toBe(0);
  });
});

describe('a graceful stop (close)', () => {
  it('drains the processors, makes a final commit, then closes them', async () => {
    const events: string[] = [];
    const { driver, input, output } = await setup(events);
    await input.pipeInput('k', 'a');
    await driver.close();
    expect(events).toEqual(['drain', 'close']);
    expect(output.readCommitted().map((r) => r.value)).toEqual(['a', 'drained']);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 1 }]);
  });
});
