import { failure } from './guard';
import { eachInOrder, isPromise, type MaybePromise } from './maybe-async';
import type { Processor, RecordMetadata } from './processor';
import type { StreamRecord } from './record';
import type { SinkNode, Topology } from './topology';

export type AnyRecord = StreamRecord<unknown, unknown>;
export interface Outgoing { readonly record: AnyRecord; readonly child: string | undefined }

/**
 * Hands records from node to node within one task: what a processor forwards goes to its
 * children once its `process` (or punctuator) is done, in the order forwarded, depth first;
 * a sink node's records go to `toSink`. Without a single promise while no processor returns
 * one (see maybe-async.ts). What a processor throws names it and the record (`current`).
 */
export class RecordRouter {
  readonly processors = new Map<string, Processor<unknown, unknown, unknown, unknown>>();
  private readonly outboxes = new Map<string, Outgoing[]>();

  constructor(
    private readonly topology: Topology,
    private readonly toSink: (node: SinkNode, record: AnyRecord) => void,
    private readonly current: () => RecordMetadata | null,
  ) {}

  /** Where a processor's `context.forward()` puts its records until they are delivered. */
  outboxOf(name: string): Outgoing[] {
    const outbox = this.outboxes.get(name) ?? [];
    this.outboxes.set(name, outbox);
    return outbox;
  }

  dispatch(name: string, record: AnyRecord): MaybePromise {
    const node = this.topology.nodes.get(name);
    if (!node || node.kind === 'source') return undefined;
    if (node.kind === 'sink') return this.toSink(node, record);
    const processor = this.processors.get(name);
    if (!processor) return undefined;
    const where = this.current();
    let step: MaybePromise;
    try {
      step = processor.process(record);
    } catch (error) {
      throw failure(name, where, error);
    }
    if (!isPromise(step)) return this.flushOutbox(name);
    return step.then(
      () => this.flushOutbox(name),
      (error: unknown) => Promise.reject(failure(name, where, error)),
    );
  }

  /** Hands what `name` forwarded to its children, in order. */
  flushOutbox(name: string): MaybePromise {
    const outbox = this.outboxes.get(name);
    if (!outbox || outbox.length === 0) return undefined;
    if (outbox.length === 1) {
      // The common case (one record forwarded): no copy of the outbox.
      const only = outbox[0] as Outgoing;
      outbox.length = 0;
      return this.deliver(name, only);
    }
    const pending = outbox.splice(0, outbox.length);
    return eachInOrder(pending, (outgoing) => this.deliver(name, outgoing));
  }

  private deliver(name: string, { record, child }: Outgoing): MaybePromise {
    return child === undefined ? this.toChildren(name, record) : this.dispatch(child, record);
  }

  /** Dispatches `record` to each child of `name` in order; each after the one before is done. */
  toChildren(name: string, record: AnyRecord, from = 0): MaybePromise {
    const children = this.topology.children(name);
    for (let i = from; i < children.length; i += 1) {
      const step = this.dispatch(children[i] as string, record);
      if (isPromise(step)) return step.then(() => this.toChildren(name, record, i + 1));
    }
    return undefined;
  }
}
