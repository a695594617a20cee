import { SerdeError } from './errors';
import type { Serde } from './serde';

// fatal: a lenient decoder would turn bad bytes into U+FFFD and a corrupt key would pass unseen.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes strict UTF-8, throwing SerdeError 'bad-utf8'; shared by the string and JSON serdes. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new SerdeError(
      'bad-utf8',
      `${what} of ${bytes.length} bytes is not valid UTF-8; the producer must write UTF-8 text ` +
        '(e.g. a key like "00042"), or read this topic with the bytes serde',
      { cause },
    );
  }
}

/** UTF-8 strings, as Kafka's StringSerializer writes them; a Kafka null stays null. */
export function stringSerde(): Serde<string | null> {
  return {
    serialize: (value) => (value === null ? null : Buffer.from(value, 'utf8')),
    deserialize: (bytes) => (bytes === null ? null : decodeUtf8(bytes, 'string')),
  };
}
