/**
 * The engine's per-record path stays synchronous while every processor on it is: awaiting a
 * value that is not a promise still costs a trip through the microtask queue, several per
 * record and node, which made the engine, not Kafka, the limit of a pipeline without training
 * (issue 8). A processor that returns a promise switches the rest of that record's path to
 * promises, so its order and backpressure are exactly those of the all-async engine.
 */
export type MaybePromise = void | Promise<void>;

export function isPromise(value: MaybePromise): value is Promise<void> {
  return value !== undefined && typeof (value as Promise<void>).then === 'function';
}

/** Runs `next` once `step` is done: at once when it returned no promise. */
export function andThen(step: MaybePromise, next: () => MaybePromise): MaybePromise {
  return isPromise(step) ? step.then(next) : next();
}

/** Calls `fn` on each item in order, each after the one before it is done. */
export function eachInOrder<T>(items: readonly T[], fn: (item: T) => MaybePromise, from = 0): MaybePromise {
  for (let i = from; i < items.length; i += 1) {
    const step = fn(items[i] as T);
    if (isPromise(step)) return step.then(() => eachInOrder(items, fn, i + 1));
  }
  return undefined;
}
