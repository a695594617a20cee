import { TopologyBuilder } from '../../../topology/builder';
import { memoryLogger } from '../../../topology/logger';
import { InMemoryKeyValueStore } from '../../../topology/state-store';
import { AbortableError } from '../../../topology/stream-loop';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { keyCounter, text, textSink, textSource, type Counts } from './support';

/** Counts records per key and in all; emits `value@key:count`; asks for a commit every second record. */
const counter = keyCounter({ emit: (value, key, count) => `${value}@${key}:${count}`, commitWhen: (_, total) => total % 2 === 0, countTotal: true });

async function setup() {
  const topology = new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('counter', counter, 'source')
    .addSink('out', textSink('out'), 'counter')
    .addStateStore('counts', { factory: () => new InMemoryKeyValueStore<number>('counts'), processors: ['counter'], changelogTopic: 'counts-changelog' })
    .build();
  const log = memoryLogger();
  const driver = await TopologyTestDriver.create(topology, { log });
  return { driver, log, input: driver.createInputTopic('in', text, text), output: driver.createOutputTopic('out', text, text) };
}

const everything = ['v0@a:1', 'v1@b:1', 'v2@a:2', 'v3@b:2', 'v4@a:3', 'v5@b:3'];

describe('an AbortableError from a commit', () => {
  it('aborts the open outputs; the records since the last commit are redone from the restored state, exactly once', async () => {
    const { driver, log, input, output } = await setup();
    await input.pipeInput('a', 'v0');
    await input.pipeInput('b', 'v1'); // commit 1
    await input.pipeInput('a', 'v2');
    driver.io.failNextCommit = new AbortableError('transaction aborted by the broker');
    await input.pipeInput('b', 'v3'); // its commit fails: v2 and v3 are redone

    expect(output.readCommitted().map((r) => r.value)).toEqual(everything.slice(0, 4));
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 4 }]);
    expect(Object.fromEntries(driver.getStateStore<Counts>('counts').all())).toEqual({ a: 2, b: 2, '*': 4 });
    expect(log.lines).toContain('warn transaction aborted by the broker; aborting and resuming from the last commit');

    await input.pipeInput('a', 'v4');
    await input.pipeInput('b', 'v5');
    expect(output.readCommitted().map((r) => r.value)).toEqual(everything);
    // nothing of the aborted transaction is visible, even to a read_uncommitted reader
    expect(output.readRecordsToList().map((r) => r.value)).toEqual(everything);
    expect(driver.io.read('counts-changelog', { committedOnly: true })).toHaveLength(3);
  });

  it('before anything was committed, starts again from the beginning with empty state', async () => {
    const { driver, input, output } = await setup();
    await input.pipeInput('a', 'v0');
    driver.io.failNextCommit = new AbortableError('fenced');
    await input.pipeInput('b', 'v1');
    await input.pipeInput('a', 'v2');
    await input.pipeInput('b', 'v3');
    expect(output.readCommitted().map((r) => r.value)).toEqual(everything.slice(0, 4));
    expect(driver.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 4 }]);
  });

  it('any other error from a commit is fatal', async () => {
    const { driver, input } = await setup();
    await input.pipeInput('a', 'v0');
    driver.io.failNextCommit = new Error('disk full');
    await expect(input.pipeInput('b', 'v1')).rejects.toThrow('disk full');
  });
});
