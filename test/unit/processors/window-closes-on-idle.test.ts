import type { WindowBatch } from '../../../processors/types';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { mnistValue, summary, windowTopology } from './support';

describe('a time window', () => {
  it('closes through its punctuator once the wall clock passes maxMs since it opened, with no record arriving', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 100, maxMs: 1000 }, batches), { startWallClockMs: 50_000 });
    await driver.advanceWallClockTime(300); // the window opens with its first record, not before
    await driver.pipeRaw('in', null, mnistValue(1), { timestamp: 1 }); // record timestamps do not matter
    await driver.advanceWallClockTime(500);
    await driver.pipeRaw('in', null, mnistValue(2), { timestamp: 999_999_999 });
    await driver.advanceWallClockTime(499);
    expect(batches).toEqual([]); // 999 ms open

    await driver.advanceWallClockTime(200); // the punctuator checks every maxMs / 5
    expect(batches.map(summary)).toEqual([
      { count: 2, rejected: 0, labels: [1, 2], offsets: [{ topic: 'in', partition: 0, first: 0, last: 1 }], closedBy: 'time' },
    ]);
    const [batch] = batches;
    expect(batch?.openedAt).toBe(50_300);
    expect(batch?.closedAt).toBeGreaterThanOrEqual(50_300 + 1000);
    expect(batch?.closedAt).toBeLessThanOrEqual(50_300 + 1000 + 200);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);
  });

  it('also closes on count first, and the next window opens with the next record', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 2, maxMs: 1000 }, batches));
    await driver.pipeRaw('in', null, mnistValue(1));
    await driver.pipeRaw('in', null, mnistValue(2));
    await driver.advanceWallClockTime(900);
    await driver.pipeRaw('in', null, mnistValue(3));
    await driver.advanceWallClockTime(900); // 900 ms after the second window opened: still open
    expect(batches.map((b) => b.closedBy)).toEqual(['count']);
    await driver.advanceWallClockTime(300);
    expect(batches.map((b) => [b.closedBy, b.openedAt, [...b.labels]])).toEqual([['count', 0, [1, 2]], ['time', 900, [3]]]);
  });
});
