import { ProcessingError } from './errors';
import { isPromise, type MaybePromise } from './maybe-async';
import type { RecordMetadata } from './processor';

/**
 * Runs a processor's code (process, a punctuator, init...): what it throws or rejects with
 * becomes a ProcessingError naming the node and where. A record's metadata is formatted only
 * when something failed, not for every record.
 */
export function guard(node: string, where: string | RecordMetadata | null, fn: () => MaybePromise): MaybePromise {
  let result: MaybePromise;
  try {
    result = fn();
  } catch (error) {
    throw failure(node, where, error);
  }
  return isPromise(result) ? result.catch((error: unknown) => Promise.reject(failure(node, where, error))) : result;
}

/** The error to raise: a ProcessingError from further down the graph is passed on as it is. */
export function failure(node: string, where: string | RecordMetadata | null, error: unknown): ProcessingError {
  if (error instanceof ProcessingError) return error;
  const place = typeof where === 'string' ? where : where ? `on record ${where.topic}/${where.partition}@${where.offset}` : 'in a punctuator';
  return new ProcessingError(node, place, error);
}
