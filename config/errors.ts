/** Why a configuration could not be loaded. */
export type ConfigErrorReason = 'invalid-values' | 'file-not-found' | 'file-unparsable' | 'bad-arguments';

export type ConfigProblemKind = 'invalid' | 'unknown-key' | 'missing';

/** One bad key: what it held and what it should hold. */
export interface ConfigProblem {
  readonly kind: ConfigProblemKind;
  readonly key: string;
  readonly value: unknown;
  readonly expected: string;
  /** Where a value came from when it was not the file, e.g. "env KAFKA_BROKERS". */
  readonly source?: string;
}

/**
 * A configuration that cannot be used. For 'invalid-values' the message has one line per
 * problem ("window.maxRecords = -1: expected a whole number >= 1"), and `problems` the same
 * as data; for file errors it names the file. Every message ends with what to do.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly reason: ConfigErrorReason;
  readonly problems: readonly ConfigProblem[];
  /** The absolute path of the config file involved, if any. */
  readonly file: string | undefined;

  constructor(
    reason: ConfigErrorReason,
    message: string,
    details: { readonly problems?: readonly ConfigProblem[]; readonly file?: string; readonly cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.problems = details.problems ?? [];
    this.file = details.file;
  }
}
