import { TopologyBuilder } from '../../../topology/builder';
import { checkpointRecord } from '../../../topology/checkpoint-record';
import { memoryLogger } from '../../../topology/logger';
import { InMemoryKeyValueStore } from '../../../topology/state-store';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { keyCounter, text, textSink, textSource, type Counts } from './support';

/** Counts per key, emits `key:count`, asks for a commit on the value 'commit'. */
const counter = keyCounter({ emit: (_, key, count) => `${key}:${count}`, commitWhen: (value) => value === 'commit', countTotal: false });

function topology() {
  return new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('counter', counter, 'source')
    .addSink('out', textSink('out'), 'counter')
    .addStateStore('counts', { factory: () => new InMemoryKeyValueStore<number>('counts'), processors: ['counter'], changelogTopic: 'counts-changelog' })
    .build();
}

const counts = (driver: TopologyTestDriver) => Object.fromEntries(driver.getStateStore<Counts>('counts').all());
const keysOf = (driver: TopologyTestDriver) => driver.io.read('counts-changelog', { committedOnly: true }).map((r) => r.key?.toString('utf8'));

describe('checkpoints of several instances of one app', () => {
  it('are keyed by instance in the shared changelog: each instance restores its own, never the other\'s', async () => {
    const one = await TopologyTestDriver.create(topology(), { instance: 1 });
    await one.createInputTopic('in', text, text).pipeInput('a', 'commit');
    const two = await TopologyTestDriver.create(topology(), { instance: 2, io: one.io });
    await two.createInputTopic('in', text, text).pipeInput('b', 'commit');
    expect(keysOf(two)).toEqual(['counts/1', 'counts/2']);
    expect(counts(two)).toEqual({ b: 1 }); // started fresh, not from instance 1's checkpoint

    const oneAgain = await TopologyTestDriver.create(topology(), { instance: 1, io: one.io });
    expect(counts(oneAgain)).toEqual({ a: 1 });
    const twoAgain = await TopologyTestDriver.create(topology(), { instance: 2, io: one.io });
    expect(counts(twoAgain)).toEqual({ b: 1 });
  });

  it('start where the group committed, not at an older checkpoint\'s offsets: the records another instance trained since are not trained again', async () => {
    const zero = await TopologyTestDriver.create(topology(), { instance: 0 });
    await zero.createInputTopic('in', text, text).pipeInput('a', 'commit'); // checkpoint of instance 0 at offset 1
    const one = await TopologyTestDriver.create(topology(), { instance: 1, io: zero.io });
    const input = one.createInputTopic('in', text, text);
    await input.pipeInput('b', 'x');
    await input.pipeInput('b', 'commit'); // the group's offset moves to 3, with instance 1's checkpoint

    const zeroAgain = await TopologyTestDriver.create(topology(), { instance: 0, io: zero.io });
    await zeroAgain.createInputTopic('in', text, text).pipeInput('c', 'commit');
    expect(counts(zeroAgain)).toEqual({ a: 1, c: 1 }); // b's two records are instance 1's, trained once
    expect(zeroAgain.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 4 }]);
  });

  it('of a release before instances (keyed by the store name alone) are taken by instance 0, with a line saying so, and by no other instance', async () => {
    const log = memoryLogger();
    const legacy = await TopologyTestDriver.create(topology());
    legacy.io.produce(checkpointRecord('counts-changelog', 'counts', Buffer.from(JSON.stringify([['old', 7]])), [{ topic: 'in', partition: 0, offset: 0 }]));
    await legacy.io.commit([]);

    const one = await TopologyTestDriver.create(topology(), { instance: 1, io: legacy.io });
    expect(counts(one)).toEqual({});
    const zero = await TopologyTestDriver.create(topology(), { instance: 0, io: legacy.io, log });
    expect(counts(zero)).toEqual({ old: 7 });
    expect(log.lines.join('\n')).toContain("store 'counts' restored from counts-changelog (key counts, written before instances had checkpoints of their own: from now on under key counts/0");

    await zero.createInputTopic('in', text, text).pipeInput('old', 'commit');
    expect(keysOf(zero).slice(-1)).toEqual(['counts/0']);
    const zeroAgain = await TopologyTestDriver.create(topology(), { instance: 0, io: legacy.io });
    expect(counts(zeroAgain)).toEqual({ old: 8 });
  });
});
