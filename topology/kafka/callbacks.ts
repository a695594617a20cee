import type { LibrdKafkaError } from 'node-rdkafka';

/** Turns a node-rdkafka callback API into a promise. */
export function call<T = void>(fn: (cb: (err: LibrdKafkaError | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn((err, value) => (err ? reject(asError(err)) : resolve(value)));
  });
}

/** A librdkafka error as an Error, keeping its code and the transaction flags. */
export class KafkaClientError extends Error {
  override readonly name = 'KafkaClientError';
  constructor(
    message: string,
    readonly code: number,
    readonly isFatal: boolean,
    readonly isRetriable: boolean,
    readonly requiresAbort: boolean,
  ) {
    super(message);
  }
}

export function asError(err: LibrdKafkaError | Error): KafkaClientError {
  if (err instanceof KafkaClientError) return err;
  const e = err as Partial<LibrdKafkaError> & { message: string };
  return new KafkaClientError(e.message || String(err), e.code ?? -1, Boolean(e.isFatal), Boolean(e.isRetriable), Boolean(e.isTxnRequiresAbort));
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
