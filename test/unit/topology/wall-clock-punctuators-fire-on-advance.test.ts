import { TopologyBuilder } from '../../../topology/builder';
import type { Cancellable, Processor } from '../../../topology/processor';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { text, textSource, type Text } from './support';

async function setup(intervalMs: number) {
  const fired: number[] = [];
  let timer: Cancellable | null = null;
  const ticker = (): Processor<Text, Text> => ({
    init: (c) => { timer = c.schedule(intervalMs, 'wall-clock', (now) => { fired.push(now); }); },
    process: () => undefined,
  });
  const topology = new TopologyBuilder().addSource('source', textSource(['in'])).addProcessor('ticker', ticker, 'source').build();
  const driver = await TopologyTestDriver.create(topology, { startWallClockMs: 10_000 });
  return { driver, fired, input: driver.createInputTopic('in', text, text), cancel: () => timer?.cancel() };
}

describe('wall-clock punctuators', () => {
  it('fire only when the test advances the clock, not as records arrive', async () => {
    const { driver, fired, input } = await setup(100);
    await input.pipeInput('k', 'a', { timestamp: 999_999 }); // record time is not wall time
    await driver.advanceWallClockTime(99);
    expect(fired).toEqual([]);
    await driver.advanceWallClockTime(1);
    expect(fired).toEqual([10_100]);
    await input.pipeInput('k', 'b');
    await driver.advanceWallClockTime(100);
    expect(fired).toEqual([10_100, 10_200]);
  });

  it('fire once for several missed intervals; the next is due an interval after that', async () => {
    const { driver, fired } = await setup(100);
    await driver.advanceWallClockTime(350);
    expect(fired).toEqual([10_350]);
    await driver.advanceWallClockTime(99);
    expect(fired).toEqual([10_350]);
    await driver.advanceWallClockTime(1);
    expect(fired).toEqual([10_350, 10_450]);
  });

  it('stop firing once cancelled', async () => {
    const { driver, fired, cancel } = await setup(100);
    await driver.advanceWallClockTime(100);
    cancel();
    await driver.advanceWallClockTime(1000);
    expect(fired).toEqual([10_100]);
  });

  it('refuse an interval that is not positive', async () => {
    const bad = (): Processor<Text, Text> => ({ init: (c) => { c.schedule(0, 'wall-clock', () => undefined); }, process: () => undefined });
    const topology = new TopologyBuilder().addSource('source', textSource(['in'])).addProcessor('bad', bad, 'source').build();
    await expect(TopologyTestDriver.create(topology)).rejects.toThrow("Processor 'bad' failed in init(): punctuation interval must be > 0 ms, got 0");
  });
});
