// A small topology around decode and window, without a model: source -> decode -> window ->
// trainer and window -> dead-letter (sink), where `trainer` is a stub that keeps the batches and
// asks for a commit after each, as the real trainer does with commit.everyWindows = 1.
import { DecodeProcessor } from '../../../processors/decode';
import type { DecodeOutcome, WindowBatch } from '../../../processors/types';
import { WindowProcessor, type WindowOptions } from '../../../processors/window';
import { bytesSerde, mnistRecordSerde, stringSerde } from '../../../serdes';
import type { Serde } from '../../../serdes/serde';
import { TopologyBuilder } from '../../../topology/builder';
import type { Processor, ProcessorContext } from '../../../topology/processor';
import type { Topology } from '../../../topology/topology';

export const IMAGE_SIZE = 2;
export const CLASSES = 10;

/** The wire format: IMAGE_SIZE^2 pixel bytes then the label byte. */
export function mnistValue(label: number, fill = label): Buffer {
  return Buffer.from([...new Array<number>(IMAGE_SIZE * IMAGE_SIZE).fill(fill), label]);
}

/** Writes the rejected record's original value, as the MNIST topology's dead-letter sink does. */
export const deadLetterValue: Serde<DecodeOutcome> = {
  serialize: (outcome) => (outcome.kind === 'rejected' ? outcome.rejection.value : null),
  deserialize: () => {
    throw new Error('write only');
  },
};

export function decode(): DecodeProcessor {
  return new DecodeProcessor({
    keyDeserializer: stringSerde(),
    valueDeserializer: mnistRecordSerde({ classes: CLASSES, imageSize: IMAGE_SIZE }),
    deadLetterTopic: 'dlq',
  });
}

/** Keeps the batches (copied: the window hands its buffers over) and asks for a commit after each. */
export function trainerStub(batches: WindowBatch[]): () => Processor<string, WindowBatch> {
  return () => {
    let context!: ProcessorContext<never, never>;
    return {
      init: (c) => { context = c; },
      process: (record) => {
        const b = record.value;
        batches.push({ ...b, images: b.images.slice(), labels: b.labels.slice() });
        context.commit();
      },
    };
  };
}

export function windowTopology(window: Pick<WindowOptions, 'maxRecords' | 'maxMs'>, batches: WindowBatch[]): Topology {
  return new TopologyBuilder()
    .addSource('source', { topics: ['in'], keySerde: bytesSerde(), valueSerde: bytesSerde() })
    .addProcessor('decode', decode, 'source')
    .addProcessor('window', () => new WindowProcessor({ ...window, imageSize: IMAGE_SIZE, trainChild: 'trainer', deadLetterChild: 'dead-letter' }), 'decode')
    .addProcessor('trainer', trainerStub(batches), 'window')
    .addSink('dead-letter', { topic: 'dlq', keySerde: bytesSerde(), valueSerde: deadLetterValue }, 'window')
    .build();
}

/** A batch's shape without its buffers, for comparing. */
export function summary(b: WindowBatch) {
  return { count: b.count, rejected: b.rejected, labels: [...b.labels], offsets: b.offsets, closedBy: b.closedBy };
}
