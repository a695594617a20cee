// The engine's own commits (Kafka Streams' commit.interval.ms), driven by the wall clock of the
// mock driver: they come on time whether records arrive or not, never commit the offset of a
// record a processor still holds, and are skipped when there is nothing to commit.
import { TopologyBuilder } from '../../../topology/builder';
import { InMemoryKeyValueStore } from '../../../topology/state-store';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { batcher, keyCounter, text, textSink, textSource } from './support';

const INTERVAL = 5000;

async function batching(size: number, partitions = 1, io?: TopologyTestDriver['io']) {
  const topology = new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('batcher', batcher(size), 'source')
    .addSink('out', textSink('out'), 'batcher')
    .build();
  const driver = await TopologyTestDriver.create(topology, { commitIntervalMs: INTERVAL, partitions: { in: partitions }, io });
  return { driver, input: driver.createInputTopic('in', text, text), output: driver.createOutputTopic('out', text, text) };
}

const committedValues = (output: { readCommitted(): Array<{ value: string | null }> }) => output.readCommitted().map((r) => r.value);

describe('commits every commit interval', () => {
  it('with no records at all: no commit, however long the clock runs', async () => {
    const { driver } = await batching(1);
    await driver.advanceWallClockTime(INTERVAL);
    await driver.advanceWallClockTime(10 * INTERVAL);
    expect(driver.io.commits).toBe(0);
  });

  it('commits a burst once the interval has passed since the last commit, though no record comes after it', async () => {
    const { driver, input, output } = await batching(1);
    for (const v of ['a', 'b', 'c']) await input.pipeInput('k', v);
    await driver.advanceWallClockTime(INTERVAL - 1);
    expect(committedValues(output)).toEqual([]);
    expect(driver.io.commits).toBe(0);

    await driver.advanceWallClockTime(1); // idle: only the clock moves
    expect(committedValues(output)).toEqual(['a', 'b', 'c']);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 3 }]);

    await driver.advanceWallClockTime(3 * INTERVAL); // nothing new: no empty commits
    expect(driver.io.commits).toBe(1);
  });

  it('while records keep coming, commits at the first record past the interval, not at every record', async () => {
    const { driver, input, output } = await batching(1);
    await input.pipeInput('k', 'a');
    await driver.advanceWallClockTime(INTERVAL / 2);
    await input.pipeInput('k', 'b');
    expect(driver.io.commits).toBe(0);
    await driver.advanceWallClockTime(INTERVAL / 2);
    expect(committedValues(output)).toEqual(['a', 'b']);
    await input.pipeInput('k', 'c');
    expect(driver.io.commits).toBe(1);
  });

  it('does not wait for an open window: it commits what was emitted, up to the first record still held', async () => {
    const { driver, input, output } = await batching(3);
    for (const v of ['a', 'b', 'c', 'd', 'e']) await input.pipeInput('k', v); // a+b+c out; d, e held
    await driver.advanceWallClockTime(INTERVAL);
    expect(committedValues(output)).toEqual(['a+b+c']);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 3 }]);

    await driver.advanceWallClockTime(INTERVAL); // the held records alone: nothing to commit
    expect(driver.io.commits).toBe(1);

    await input.pipeInput('k', 'f');
    await driver.advanceWallClockTime(INTERVAL);
    expect(committedValues(output)).toEqual(['a+b+c', 'd+e+f']);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 6 }]);
  });

  it('with several partitions: each partition is committed up to its own first held record, or else its position', async () => {
    const { driver, input, output } = await batching(3, 3);
    await input.pipeInput('k', 'a', { partition: 0 });
    await input.pipeInput('k', 'b', { partition: 0 });
    await input.pipeInput('k', 'c', { partition: 1 }); // a+b+c out
    await input.pipeInput('k', 'd', { partition: 1 }); // held from 1@1
    await input.pipeInput('k', 'e', { partition: 2 }); // held from 2@0
    await driver.advanceWallClockTime(INTERVAL);
    expect(committedValues(output)).toEqual(['a+b+c']);
    expect(driver.committedOffsets()).toEqual([
      { topic: 'in', partition: 0, offset: 2 },
      { topic: 'in', partition: 1, offset: 1 },
      { topic: 'in', partition: 2, offset: 0 },
    ]);
  });

  it('a stop commits up to the first held record; the next start reads the held records again, and nothing twice', async () => {
    const first = await batching(3);
    for (const v of ['a', 'b', 'c', 'd']) await first.input.pipeInput('k', v);
    await first.driver.close();
    expect(first.driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 3 }]);

    const second = await batching(3, 1, first.driver.io);
    for (const v of ['e', 'f']) await second.input.pipeInput('k', v);
    await second.driver.close();
    expect(committedValues(second.output)).toEqual(['a+b+c', 'd+e+f']);
    expect(second.driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 6 }]);
  });

  it('a stop with nothing new since the last commit writes no checkpoint', async () => {
    const topology = new TopologyBuilder()
      .addSource('source', textSource(['in']))
      .addProcessor('counter', keyCounter({ emit: (v, k, n) => `${v}@${k}:${n}`, commitWhen: () => false, countTotal: false }), 'source')
      .addSink('out', textSink('out'), 'counter')
      .addStateStore('counts', { factory: () => new InMemoryKeyValueStore<number>('counts'), processors: ['counter'], changelogTopic: 'counts-changelog' })
      .build();
    const driver = await TopologyTestDriver.create(topology, { commitIntervalMs: INTERVAL });
    await driver.createInputTopic('in', text, text).pipeInput('k', 'a');
    await driver.advanceWallClockTime(INTERVAL);
    expect(driver.io.read('counts-changelog')).toHaveLength(1);
    await driver.close();
    expect(driver.io.read('counts-changelog')).toHaveLength(1);
    expect(driver.io.commits).toBe(1);
  });

  it('with an interval of 0, commits as soon as there is something to commit', async () => {
    const topology = new TopologyBuilder()
      .addSource('source', textSource(['in']))
      .addProcessor('batcher', batcher(2), 'source')
      .addSink('out', textSink('out'), 'batcher')
      .build();
    const driver = await TopologyTestDriver.create(topology, { commitIntervalMs: 0 });
    const input = driver.createInputTopic('in', text, text);
    await input.pipeInput('k', 'a');
    expect(driver.io.commits).toBe(0); // held: nothing to commit
    await input.pipeInput('k', 'b');
    expect(driver.io.commits).toBe(1);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);
  });
});
