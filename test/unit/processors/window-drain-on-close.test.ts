import type { WindowBatch } from '../../../processors/types';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { mnistValue, summary, windowTopology } from './support';

describe('a graceful stop', () => {
  it('emits the partial window of a time window, and commits it', async () => {
    const batches: WindowBatch[] = [];
    const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 3, maxMs: 60_000 }, batches));
    for (let i = 0; i < 5; i += 1) await driver.pipeRaw('in', null, mnistValue(i));
    await driver.close();
    expect(batches.map(summary)).toEqual([
      { count: 3, rejected: 0, labels: [0, 1, 2], offsets: [{ topic: 'in', partition: 0, first: 0, last: 2 }], closedBy: 'count' },
      { count: 2, rejected: 0, labels: [3, 4], offsets: [{ topic: 'in', partition: 0, first: 3, last: 4 }], closedBy: 'stop' },
    ]);
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 5 }]);
  });

  it('leaves the partial window of a count-only window open and its records uncommitted; the restart reads them again', async () => {
    const batches: WindowBatch[] = [];
    const first = await TopologyTestDriver.create(windowTopology({ maxRecords: 3, maxMs: 0 }, batches));
    for (let i = 0; i < 5; i += 1) await first.pipeRaw('in', null, mnistValue(i));
    await first.close();
    expect(batches.map((b) => b.closedBy)).toEqual(['count']);
    expect(first.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 3 }]);

    const second = await TopologyTestDriver.create(windowTopology({ maxRecords: 3, maxMs: 0 }, batches), { io: first.io });
    await second.pipeRaw('in', null, mnistValue(5));
    // the same windows as a stream that never stopped
    expect(batches.map(summary)).toEqual([
      { count: 3, rejected: 0, labels: [0, 1, 2], offsets: [{ topic: 'in', partition: 0, first: 0, last: 2 }], closedBy: 'count' },
      { count: 3, rejected: 0, labels: [3, 4, 5], offsets: [{ topic: 'in', partition: 0, first: 3, last: 5 }], closedBy: 'count' },
    ]);
    expect(second.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 6 }]);
  });
});
