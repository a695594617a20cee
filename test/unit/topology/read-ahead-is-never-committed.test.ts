import { TopologyBuilder } from '../../../topology/builder';
import { memoryLogger } from '../../../topology/logger';
import { ManualClock, MemoryIO } from '../../../topology/memory-io';
import { StreamLoop } from '../../../topology/stream-loop';
import { capture, textSource, values, type Seen } from './support';

// After a full batch the loop reads the next one while it processes this one. What it read
// ahead and never processed must not be committed: a stop leaves it for the next reader.
describe('records read ahead of processing', () => {
  it('are not committed at a stop, and the next run starts with them', async () => {
    const io = new MemoryIO(new ManualClock(0), ['in']);
    io.createTopic('in', 1);
    for (const v of ['a', 'b', 'c', 'd']) io.append('in', 0, null, Buffer.from(v), 0);
    const run = (seen: Seen[]) => {
      const topology = new TopologyBuilder().addSource('source', textSource(['in'])).addProcessor('capture', capture(seen), 'source').build();
      return new StreamLoop(topology, io, { appId: 'app', log: memoryLogger(), maxPollRecords: 2, pollTimeoutMs: 0, commitIntervalMs: null, idleNoticeAfterMs: null });
    };

    const first: Seen[] = [];
    const loop = run(first);
    await loop.start();
    expect(await loop.pollOnce()).toBe(2); // a full batch: c and d are read ahead
    loop.stop();
    await loop.run();
    expect(values(first)).toEqual(['a', 'b']);
    expect(io.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 2 }]);

    await io.abort(); // a new consumer: reads from the committed offsets
    const second: Seen[] = [];
    const next = run(second);
    await next.start();
    while ((await next.pollOnce()) > 0);
    expect(values(second)).toEqual(['c', 'd']);
  });
});
