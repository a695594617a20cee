/** Why bytes could not be turned into a value (or a value into bytes); stable for tests and DLQ headers. */
export type SerdeErrorReason =
  | 'bad-length'
  | 'label-out-of-range'
  | 'empty-value'
  | 'null-value'
  | 'bad-utf8'
  | 'bad-json';

/**
 * A record that a serde cannot read or write. The topology routes these to the dead-letter
 * topic instead of failing the task, so the message says what was wrong and what to fix.
 */
export class SerdeError extends Error {
  override readonly name: string = 'SerdeError';
  readonly reason: SerdeErrorReason;

  constructor(reason: SerdeErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
