import type { WindowBatch } from '../../../processors/types';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { mnistValue, windowTopology } from './support';

describe('an empty window', () => {
  it('emits nothing on time, after a window closed, nor on stop', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 2, maxMs: 1000 }, batches));
    await driver.advanceWallClockTime(5000);
    expect(batches).toEqual([]);

    await driver.pipeRaw('in', null, mnistValue(1));
    await driver.pipeRaw('in', null, mnistValue(2)); // closes on count
    await driver.advanceWallClockTime(5000);
    await driver.close();
    expect(batches.map((b) => b.closedBy)).toEqual(['count']);
  });
});
