import { TopologyBuilder } from '../../../topology/builder';
import { ProcessingError } from '../../../topology/errors';
import type { Processor } from '../../../topology/processor';
import { jsonSerde } from '../../../serdes';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { text, textSource, upper, type Text } from './support';

function topologyWith(failing: () => Processor<Text, Text>) {
  return new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('map', upper, 'source')
    .addProcessor('failing', failing, 'map')
    .build();
}

describe('a processor that throws', () => {
  it('in process() becomes a ProcessingError naming the node and the record', async () => {
    const boom = new Error('boom');
    const driver = await TopologyTestDriver.create(topologyWith(() => ({ process: (r) => { if (r.value === 'BAD') throw boom; } })));
    const input = driver.createInputTopic('in', text, text);
    await input.pipeInput('k', 'good');
    const failure = input.pipeInput('k', 'bad', { timestamp: 5 });
    await expect(failure).rejects.toBeInstanceOf(ProcessingError);
    await expect(failure).rejects.toMatchObject({ name: 'ProcessingError', node: 'failing', where: 'on record in/0@1', cause: boom });
    await expect(failure).rejects.toThrow(
      "Processor 'failing' failed on record in/0@1: boom. Fix the processor, or route bad input to a dead-letter sink instead of throwing.",
    );
  });

  it('in an async process() (a rejected promise) too', async () => {
    const driver = await TopologyTestDriver.create(topologyWith(() => ({ process: async () => Promise.reject(new Error('later')) })));
    await expect(driver.createInputTopic('in', text, text).pipeInput('k', 'v')).rejects.toMatchObject({ node: 'failing', message: expect.stringContaining('later') });
  });

  it('in init()', async () => {
    const failing = (): Processor<Text, Text> => ({ init: () => { throw new Error('no model'); }, process: () => undefined });
    await expect(TopologyTestDriver.create(topologyWith(failing))).rejects.toMatchObject({ node: 'failing', where: 'in init()' });
  });

  it('in a punctuator', async () => {
    const failing = (): Processor<Text, Text> => ({
      init: (c) => { c.schedule(10, 'wall-clock', () => { throw new Error('tick'); }); },
      process: () => undefined,
    });
    const driver = await TopologyTestDriver.create(topologyWith(failing));
    const failure = driver.advanceWallClockTime(10);
    await expect(failure).rejects.toMatchObject({ node: 'failing', where: 'in a wall-clock punctuator' });
    await expect(failure).rejects.toThrow("Processor 'failing' failed in a wall-clock punctuator: tick.");
  });

  it('a source whose serde cannot read the record names the source', async () => {
    const topology = new TopologyBuilder()
      .addSource('json-source', { topics: ['in'], keySerde: text, valueSerde: jsonSerde<{ n: number }>() })
      .addProcessor('sink-less', () => ({ process: () => undefined }), 'json-source')
      .build();
    const driver = await TopologyTestDriver.create(topology);
    const failure = driver.pipeRaw('in', null, Buffer.from('{not json'));
    await expect(failure).rejects.toMatchObject({ node: 'json-source', where: 'deserializing in/0@0' });
  });
});
