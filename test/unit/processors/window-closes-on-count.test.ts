import type { WindowBatch } from '../../../processors/types';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { mnistValue, summary, windowTopology } from './support';

describe('a count window', () => {
  it('closes when it holds maxRecords examples, with their pixels, labels and offsets', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 3, maxMs: 0 }, batches));
    for (let i = 0; i < 7; i += 1) await driver.pipeRaw('in', null, mnistValue(i));

    expect(batches.map(summary)).toEqual([
      { count: 3, rejected: 0, labels: [0, 1, 2], offsets: [{ topic: 'in', partition: 0, first: 0, last: 2 }], closedBy: 'count' },
      { count: 3, rejected: 0, labels: [3, 4, 5], offsets: [{ topic: 'in', partition: 0, first: 3, last: 5 }], closedBy: 'count' },
    ]);
    expect([...(batches[1]?.images ?? [])]).toEqual([3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]);
    // the trainer committed after each window: the seventh record, still in the open window, is not
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 6 }]);
  });

  it('does not close on time, however long it waits', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 3, maxMs: 0 }, batches));
    await driver.pipeRaw('in', null, mnistValue(1));
    await driver.advanceWallClockTime(24 * 3600 * 1000);
    expect(batches).toEqual([]);
  });

  it('covers the offsets of every partition it read, by partition', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 4, maxMs: 0 }, batches), { partitions: { in: 2 } });
    await driver.pipeRaw('in', null, mnistValue(1), { partition: 1 });
    await driver.pipeRaw('in', null, mnistValue(2), { partition: 0 });
    await driver.pipeRaw('in', null, mnistValue(3), { partition: 1 });
    await driver.pipeRaw('in', null, mnistValue(4), { partition: 1 });
    expect(batches.map((b) => b.offsets)).toEqual([
      [
        { topic: 'in', partition: 0, first: 0, last: 0 },
        { topic: 'in', partition: 1, first: 0, last: 2 },
      ],
    ]);
  });
});
