// Several instances: when the group moves a partition to another instance, this one's task must
// never commit an offset for it again: that would move back what the new owner committed, and
// whoever reads the partition next would train those records a second time.
import { TopologyBuilder } from '../../../topology/builder';
import { memoryLogger } from '../../../topology/logger';
import { ManualClock, MemoryIO } from '../../../topology/memory-io';
import { StreamTask } from '../../../topology/task';
import { capture, textSource, type Seen } from './support';

async function runTask() {
  const io = new MemoryIO(new ManualClock(0), ['in']);
  io.createTopic('in', 2);
  const seen: Seen[] = [];
  const topology = new TopologyBuilder().addSource('source', textSource(['in'])).addProcessor('seen', capture(seen), 'source').build();
  const task = new StreamTask(topology, io, { appId: 'app', instance: 0, log: memoryLogger(), commitIntervalMs: 0 });
  await task.init();
  const put = (partition: number, value: string) => io.append('in', partition, Buffer.from('k'), Buffer.from(value), 0);
  const processAll = async () => {
    for (const record of await io.consume(100)) await task.process(record);
  };
  return { io, task, put, processAll, seen };
}

describe('a task after its partitions were revoked', () => {
  it('commits only the partitions it still owns, never a revoked one\'s old position', async () => {
    const { io, task, put, processAll } = await runTask();
    put(0, 'a');
    put(1, 'b');
    await processAll();
    expect(io.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 1 }, { topic: 'in', partition: 1, offset: 1 }]);

    // The group gives partition 1 to another instance, which trains two more records of it and commits.
    task.forgetPartitions([{ topic: 'in', partition: 1 }]);
    io.pause([{ topic: 'in', partition: 1 }]);
    put(1, 'c');
    put(1, 'd');
    await io.commit([{ topic: 'in', partition: 1, offset: 3 }]);

    put(0, 'e');
    await processAll(); // MemoryIO refuses an offset that goes back: the old position 1 of partition 1 would
    expect(io.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 2 }, { topic: 'in', partition: 1, offset: 3 }]);
    expect(task.lastCommitted()).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);
  });
});
