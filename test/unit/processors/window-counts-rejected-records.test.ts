import type { WindowBatch } from '../../../processors/types';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { mnistValue, summary, windowTopology } from './support';

const bad = Buffer.from('not an image');

describe('rejected records', () => {
  it('are counted in the window open when they arrive, and their offsets are covered by it', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 2, maxMs: 0 }, batches));
    await driver.pipeRaw('in', null, bad); // opens the first window
    await driver.pipeRaw('in', null, mnistValue(1));
    await driver.pipeRaw('in', null, bad);
    await driver.pipeRaw('in', null, mnistValue(2)); // closes it: 4 offsets, 2 examples
    await driver.pipeRaw('in', null, bad);
    await driver.pipeRaw('in', null, mnistValue(3));
    await driver.pipeRaw('in', null, mnistValue(4));

    expect(batches.map(summary)).toEqual([
      { count: 2, rejected: 2, labels: [1, 2], offsets: [{ topic: 'in', partition: 0, first: 0, last: 3 }], closedBy: 'count' },
      { count: 2, rejected: 1, labels: [3, 4], offsets: [{ topic: 'in', partition: 0, first: 4, last: 6 }], closedBy: 'count' },
    ]);
    expect(driver.io.read('dlq')).toHaveLength(3);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 7 }]);
  });

  it('alone make a time window of no examples, which still closes so that their offsets are committed', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 10, maxMs: 100 }, batches));
    await driver.pipeRaw('in', null, bad);
    await driver.pipeRaw('in', null, null);
    await driver.advanceWallClockTime(100);
    expect(batches.map(summary)).toEqual([
      { count: 0, rejected: 2, labels: [], offsets: [{ topic: 'in', partition: 0, first: 0, last: 1 }], closedBy: 'time' },
    ]);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);
    expect(driver.createOutputTopic('dlq', { deserialize: (b) => b }, { deserialize: (b) => b }).readCommitted()).toHaveLength(2);
  });
});
