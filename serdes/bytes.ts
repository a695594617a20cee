import type { Serde } from './serde';

/** Passes Kafka bytes through untouched (null stays null): for keys and values read as-is. */
export function bytesSerde(): Serde<Buffer | null> {
  return {
    serialize: (value) => value,
    deserialize: (bytes) => bytes,
  };
}
