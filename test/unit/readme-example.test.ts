// The README's mock-driver example, verbatim: it must compile and pass.
import { stringSerde } from '../../serdes';
import { StreamRecord, TopologyBuilder, TopologyTestDriver, type Processor, type ProcessorContext } from '../../topology';

/** Upper-cases each value and counts records in a punctuation every second of wall time. */
class Shout implements Processor<string | null, string | null, string | null, string> {
  private context!: ProcessorContext<string | null, string>;
  private seen = 0;

  init(context: ProcessorContext<string | null, string>): void {
    this.context = context;
    context.schedule(1000, 'wall-clock', (now) => {
      context.forward(StreamRecord.of('count', `${this.seen} records`, now));
    });
  }

  process(record: StreamRecord<string | null, string | null>): void {
    this.seen += 1;
    this.context.forward(record.withValue((record.value ?? '').toUpperCase()));
  }
}

test('a processor, tested with the mock driver', async () => {
  const topology = new TopologyBuilder()
    .addSource('in', { topics: ['words'], keySerde: stringSerde(), valueSerde: stringSerde() })
    .addProcessor('shout', () => new Shout(), 'in')
    .addSink('out', { topic: 'loud', keySerde: stringSerde(), valueSerde: stringSerde() }, 'shout')
    .build();
  const driver = await TopologyTestDriver.create(topology);
  const input = driver.createInputTopic('words', stringSerde(), stringSerde());
  const output = driver.createOutputTopic('loud', stringSerde(), stringSerde());

  await input.pipeInput('k1', 'hello');
  await input.pipeInput('k2', 'kafka');
  expect(output.readValuesToList()).toEqual(['HELLO', 'KAFKA']);

  await driver.advanceWallClockTime(1000); // fires the punctuator
  expect(output.readValuesToList()).toEqual(['2 records']);
  await driver.close();
});
