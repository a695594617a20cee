import { TopologyBuilder } from '../../../topology/builder';
import { ProcessingError } from '../../../topology/errors';
import type { Processor, ProcessorContext } from '../../../topology/processor';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { capture, text, textSink, textSource, values, type Seen, type Text } from './support';

/** Forwards `all:<v>` to every child, then `only:<v>` to the child named in the value after '>'. */
function router(): Processor<Text, Text, Text, Text> {
  let context!: ProcessorContext<Text, Text>;
  return {
    init: (c) => { context = c; },
    process: async (record) => {
      const [value = '', target] = (record.value ?? '').split('>');
      context.forward(record.withValue(`all:${value}`));
      await Promise.resolve(); // children see nothing before process() resolves
      if (target !== undefined) context.forward(record.withValue(`only:${value}`), target);
    },
  };
}

async function setup() {
  const a: Seen[] = [];
  const b: Seen[] = [];
  const topology = new TopologyBuilder()
    .addSource('source', textSource(['in']))
    .addProcessor('router', router, 'source')
    .addProcessor('a', capture(a), 'router')
    .addProcessor('b', capture(b), 'router')
    .addSink('out', textSink('out'), 'router')
    .build();
  const driver = await TopologyTestDriver.create(topology);
  return { a, b, driver, input: driver.createInputTopic('in', text, text), output: driver.createOutputTopic('out', text, text) };
}

describe('the driver forwards', () => {
  it('to every child without a name, to the named child only with one, in the order forwarded', async () => {
    const { a, b, input, output } = await setup();
    await input.pipeInput('k1', 'x>a');
    await input.pipeInput('k2', 'y>out');
    await input.pipeInput('k3', 'z');

    expect(values(a)).toEqual(['all:x', 'only:x', 'all:y', 'all:z']);
    expect(values(b)).toEqual(['all:x', 'all:y', 'all:z']);
    expect(output.readRecordsToList().map((r) => [r.key, r.value])).toEqual([
      ['k1', 'all:x'],
      ['k2', 'all:y'],
      ['k2', 'only:y'],
      ['k3', 'all:z'],
    ]);
    expect(output.isEmpty()).toBe(true);
  });

  it('forwarding to a node that is not a child fails, naming both', async () => {
    const { a, input } = await setup();
    const failure = input.pipeInput('k', 'x>source');
    await expect(failure).rejects.toBeInstanceOf(ProcessingError);
    await expect(failure).rejects.toMatchObject({ node: 'router', where: 'on record in/0@0' });
    await expect(failure).rejects.toThrow("'router' cannot forward to 'source': its children are a, b, out");
    expect(values(a)).toEqual([]); // nothing of the failed record reached a child
  });
});
