import { TopologyBuilder } from '../../../topology/builder';
import { OFFSETS_HEADER } from '../../../topology/checkpoint-record';
import { InMemoryKeyValueStore } from '../../../topology/state-store';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { keyCounter, text, textSink, textSource, type Counts } from './support';

/** Counts per key, emits `key:count`, asks for a commit on the value 'commit'. */
const counter = keyCounter({ emit: (_, key, count) => `${key}:${count}`, commitWhen: (value) => value === 'commit', countTotal: false });

function topology(changelogTopic: string | undefined) {
  return new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('counter', counter, 'source')
    .addSink('out', textSink('out'), 'counter')
    .addStateStore('counts', { factory: () => new InMemoryKeyValueStore<number>('counts'), processors: ['counter'], changelogTopic })
    .build();
}

const counts = (driver: TopologyTestDriver) => Object.fromEntries(driver.getStateStore<Counts>('counts').all());

describe('a store with a changelog', () => {
  it('is checkpointed on each commit, tagged with the input offsets it covers', async () => {
    const driver = await TopologyTestDriver.create(topology('counts-changelog'));
    const input = driver.createInputTopic('in', text, text);
    await input.pipeInput('a', 'x');
    await input.pipeInput('b', 'commit');
    await input.pipeInput('a', 'commit');

    const checkpoints = driver.io.read('counts-changelog', { committedOnly: true });
    expect(checkpoints).toHaveLength(2);
    const newest = checkpoints[1];
    expect(newest?.key?.toString('utf8')).toBe('counts/0');
    expect(JSON.parse(newest?.value?.toString('utf8') ?? '')).toEqual([['a', 2], ['b', 1]]);
    expect(JSON.parse(newest?.headers.find((h) => h.key === OFFSETS_HEADER)?.value.toString('utf8') ?? '')).toEqual([
      { topic: 'in', partition: 0, offset: 3 },
    ]);
  });

  it('is restored by a new driver over the same IO, which resumes after the offsets of the checkpoint', async () => {
    const first = await TopologyTestDriver.create(topology('counts-changelog'));
    const input = first.createInputTopic('in', text, text);
    await input.pipeInput('a', 'x');
    await input.pipeInput('b', 'commit');
    await input.pipeInput('a', 'lost in the crash'); // processed, never committed
    expect(counts(first)).toEqual({ a: 2, b: 1 });

    // `first` is dropped without a stop, as in a crash
    const second = await TopologyTestDriver.create(topology('counts-changelog'), { io: first.io });
    expect(counts(second)).toEqual({ a: 1, b: 1 });

    await second.advanceWallClockTime(0); // processes what is in the topics: the uncommitted record again
    await second.createInputTopic('in', text, text).pipeInput('b', 'commit');
    expect(counts(second)).toEqual({ a: 2, b: 2 });
    const output = second.createOutputTopic('out', text, text);
    expect(output.readCommitted().map((r) => r.value)).toEqual(['a:1', 'b:1', 'a:2', 'b:2']);
    expect(second.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 4 }]);
  });

  it('without a changelog, a new driver over the same IO starts empty, from the committed offsets, and the old one\'s open outputs are aborted', async () => {
    const first = await TopologyTestDriver.create(topology(undefined));
    const input = first.createInputTopic('in', text, text);
    await input.pipeInput('a', 'commit');
    await input.pipeInput('a', 'open');

    const second = await TopologyTestDriver.create(topology(undefined), { io: first.io });
    expect(counts(second)).toEqual({});
    await second.advanceWallClockTime(0);
    expect(counts(second)).toEqual({ a: 1 }); // re-read from offset 1, not from where `first` stopped
    const output = second.createOutputTopic('out', text, text);
    expect(output.readRecordsToList().map((r) => r.value)).toEqual(['a:1', 'a:1']); // `first`'s open a:2 is gone
    expect(output.readCommitted().map((r) => r.value)).toEqual(['a:1']);
  });
});
