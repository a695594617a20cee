// Small processors and serdes shared by the topology tests (not a test file: no `.test.ts`).
import { stringSerde } from '../../../serdes';
import type { Processor, ProcessorContext, RecordMetadata } from '../../../topology/processor';
import type { StreamRecord } from '../../../topology/record';
import { InMemoryKeyValueStore } from '../../../topology/state-store';

export const text = stringSerde();
export const textSource = (topics: string[]) => ({ topics, keySerde: text, valueSerde: text });
export const textSink = (topic: string) => ({ topic, keySerde: text, valueSerde: text });

export type Text = string | null;

/** What a capturing processor saw: the record and the metadata at the time. */
export interface Seen {
  readonly record: StreamRecord<Text, Text>;
  readonly metadata: RecordMetadata | null;
}

/** Keeps every record it is given; the array outlives the processor (the engine may rebuild it). */
export function capture(into: Seen[]): () => Processor<Text, Text> {
  return () => {
    let context: ProcessorContext<never, never> | null = null;
    return {
      init: (c) => { context = c; },
      process: (record) => { into.push({ record, metadata: context?.recordMetadata() ?? null }); },
    };
  };
}

/** Upper-cases the value and forwards it to all children. */
export function upper(): Processor<Text, Text, Text, Text> {
  let context!: ProcessorContext<Text, Text>;
  return {
    init: (c) => { context = c; },
    process: (record) => context.forward(record.withValue(record.value?.toUpperCase() ?? null)),
  };
}

export const values = (seen: readonly Seen[]): Text[] => seen.map((s) => s.record.value);

export type Counts = InMemoryKeyValueStore<number>;

export interface KeyCounterOptions {
  /** The forwarded value, from the record's value, its key and the key's new count. */
  readonly emit: (value: Text, key: string, count: number) => string;
  /** Asks for a commit after this record; `total` counts every record (kept under '*' when `countTotal`). */
  readonly commitWhen: (value: Text, total: number) => boolean;
  readonly countTotal: boolean;
}

/** Counts records per key in the store 'counts' (state that must survive a restore). */
export function keyCounter(options: KeyCounterOptions): () => Processor<Text, Text, Text, Text> {
  return () => {
    let context!: ProcessorContext<Text, Text>;
    let store!: Counts;
    return {
      init: (c) => {
        context = c;
        store = c.getStateStore<Counts>('counts');
      },
      process: (record) => {
        const key = record.key ?? '';
        const count = (store.get(key) ?? 0) + 1;
        store.put(key, count);
        const total = options.countTotal ? (store.get('*') ?? 0) + 1 : count;
        if (options.countTotal) store.put('*', total);
        context.forward(record.withValue(options.emit(record.value, key, count)));
        if (options.commitWhen(record.value, total)) context.commit();
      },
    };
  };
}

/**
 * Holds records until it has `size` of them, then forwards one record whose value joins theirs
 * ('a+b+c'); reports the first held offset of each partition, as a window does.
 */
export function batcher(size: number): () => Processor<Text, Text, Text, Text> {
  return () => {
    let context!: ProcessorContext<Text, Text>;
    let held: Array<{ value: Text; meta: RecordMetadata }> = [];
    return {
      init: (c) => { context = c; },
      process: (record) => {
        const meta = context.recordMetadata();
        if (meta) held.push({ value: record.value, meta });
        if (held.length < size) return;
        context.forward(record.withValue(held.map((h) => h.value).join('+')));
        held = [];
      },
      heldOffsets: () => {
        const first = new Map<string, { topic: string; partition: number; offset: number }>();
        for (const { meta } of held) {
          const key = `${meta.topic}/${meta.partition}`;
          if (!first.has(key)) first.set(key, { topic: meta.topic, partition: meta.partition, offset: meta.offset });
        }
        return [...first.values()];
      },
    };
  };
}
