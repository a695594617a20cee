import { SerdeError } from './errors';
import type { Serde } from './serde';
import { decodeUtf8 } from './string';

export interface JsonSerdeOptions<T> {
  /**
   * Checks the parsed value's shape. Without it the parsed value is trusted to be a `T`; pass
   * one for topics written by other programs.
   */
  readonly validate?: (value: unknown) => value is T;
}

/**
 * UTF-8 JSON values (the metrics topic). A Kafka null or empty value is an error here, not a
 * `null` value: every record this serde reads or writes carries a document.
 */
export function jsonSerde<T>(options: JsonSerdeOptions<T> = {}): Serde<T> {
  return {
    serialize: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
    deserialize: (bytes) => {
      if (bytes === null) {
        throw new SerdeError(
          'null-value',
          'JSON value is a Kafka null (tombstone); produce a JSON document, or skip tombstones before decoding',
        );
      }
      if (bytes.length === 0) {
        throw new SerdeError('empty-value', 'JSON value is empty (0 bytes); produce a JSON document such as {}');
      }
      const text = decodeUtf8(bytes, 'JSON value');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        const detail = cause instanceof Error ? cause.message : String(cause);
        throw new SerdeError(
          'bad-json',
          `value of ${bytes.length} bytes is not JSON (${detail}); the producer must write UTF-8 JSON`,
          { cause },
        );
      }
      if (options.validate !== undefined && !options.validate(parsed)) {
        throw new SerdeError(
          'bad-json',
          `value is JSON but not of the expected shape (starts ${JSON.stringify(text.slice(0, 80))}); ` +
            'fix the producer or the validate guard',
        );
      }
      // Without a guard the caller's type is trusted, as documented on `validate`.
      return parsed as T;
    },
  };
}
