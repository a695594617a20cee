import { TopologyBuilder } from '../../../topology/builder';
import { IdleNotice } from '../../../topology/idle-notice';
import { ManualClock } from '../../../topology/memory-io';
import { memoryLogger } from '../../../topology/logger';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { capture, textSource, type Seen } from './support';

async function setup(partitions: Record<string, number> = {}) {
  const seen: Seen[] = [];
  const topology = new TopologyBuilder().addSource('in', textSource(['digits', 'letters'])).addProcessor('keep', capture(seen), 'in').build();
  const log = memoryLogger();
  const driver = await TopologyTestDriver.create(topology, { log, partitions });
  const waiting = () => log.lines.filter((l) => l.includes('waiting for records'));
  return { driver, waiting };
}

describe('a loop with nothing to read', () => {
  it('says once, after a second without records, that it waits for records on its source topics', async () => {
    const { driver, waiting } = await setup();
    await driver.advanceWallClockTime(999);
    expect(waiting()).toEqual([]);
    await driver.advanceWallClockTime(1);
    expect(waiting()).toEqual(['info no new records on digits, letters: waiting for records']);
    await driver.advanceWallClockTime(60_000);
    expect(waiting()).toHaveLength(1);
  });

  it('stays quiet while records keep coming', async () => {
    const { driver, waiting } = await setup();
    for (let i = 0; i < 5; i += 1) {
      await driver.advanceWallClockTime(900);
      await driver.pipeRaw('digits', null, Buffer.from(String(i)));
    }
    expect(waiting()).toEqual([]);
  });

  it('waits for its group before it counts: no line while no partition is assigned', () => {
    const clock = new ManualClock(0);
    const log = memoryLogger();
    const notice = new IdleNotice(['mnist'], log, clock, 1000);
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1000);
      notice.observe(0); // before the first assignment: the group is still forming
    }
    notice.assigned(1);
    clock.advance(999);
    notice.observe(0);
    expect(log.lines).toEqual([]);
    notice.assigned(0); // revoked
    clock.advance(5000);
    notice.observe(0);
    expect(log.lines).toEqual([]);
    notice.assigned(1);
    clock.advance(1000);
    notice.observe(0);
    expect(log.lines).toEqual(['info no new records on mnist: waiting for records']);
  });

  it('still counts when a cooperative rebalance takes some partitions and leaves others', async () => {
    const { driver, waiting } = await setup({ digits: 2 });
    await driver.io.revoke([{ topic: 'digits', partition: 1 }]);
    await driver.advanceWallClockTime(1000);
    expect(waiting()).toEqual(['info no new records on digits, letters: waiting for records']);
  });

  it('stops counting when every partition is revoked', async () => {
    const { driver, waiting } = await setup({ digits: 2 });
    await driver.io.revoke([{ topic: 'digits', partition: 0 }, { topic: 'digits', partition: 1 }, { topic: 'letters', partition: 0 }]);
    await driver.advanceWallClockTime(5000);
    expect(waiting()).toEqual([]);
  });
});
