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

  it('are dead-lettered when their window closes: exactly once across a commit with the window open and a crash', async () => {
    const batches: WindowBatch[] = [];
    const topology = windowTopology({ maxRecords: 2, maxMs: 0 }, []);
    const first = await TopologyTestDriver.create(topology, { commitIntervalMs: 1000 });
    for (const label of [1, 2, 3]) await first.pipeRaw('in', null, mnistValue(label)); // window 0 closes; 3 opens window 1
    await first.pipeRaw('in', null, bad); // rides in the open window
    await first.advanceWallClockTime(1000); // a commit while the window is open
    expect(first.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);
    expect(first.io.read('dlq')).toEqual([]);

    // a crash: the next start reads the open window's records again
    const second = await TopologyTestDriver.create(windowTopology({ maxRecords: 2, maxMs: 0 }, batches), { io: first.io, commitIntervalMs: 1000 });
    await second.pipeRaw('in', null, mnistValue(4)); // closes the window
    await second.advanceWallClockTime(1000);
    expect(batches.map(summary)).toEqual([
      { count: 2, rejected: 1, labels: [3, 4], offsets: [{ topic: 'in', partition: 0, first: 2, last: 4 }], closedBy: 'count' },
    ]);
    expect(second.io.read('dlq', { committedOnly: true }).map((r) => r.value)).toEqual([bad]);
    expect(second.io.read('dlq')).toHaveLength(1);
  });
});
