/** A Kafka header: a name and raw bytes (Kafka allows repeated names). */
export interface Header {
  readonly key: string;
  readonly value: Buffer;
}

export type Headers = ReadonlyArray<Header>;

/**
 * An immutable record flowing through a topology. The `with*` methods return a new record;
 * `withValue` and `withKey` may change the type, which keeps forwarding type-checked.
 */
export class StreamRecord<K, V> {
  private constructor(
    readonly key: K,
    readonly value: V,
    readonly timestamp: number,
    readonly headers: Headers,
  ) {}

  static of<K, V>(key: K, value: V, timestamp: number, headers: Headers = []): StreamRecord<K, V> {
    return new StreamRecord(key, value, timestamp, headers);
  }

  withKey<K2>(key: K2): StreamRecord<K2, V> {
    return new StreamRecord(key, this.value, this.timestamp, this.headers);
  }

  withValue<V2>(value: V2): StreamRecord<K, V2> {
    return new StreamRecord(this.key, value, this.timestamp, this.headers);
  }

  withTimestamp(timestamp: number): StreamRecord<K, V> {
    return new StreamRecord(this.key, this.value, timestamp, this.headers);
  }

  withHeaders(headers: Headers): StreamRecord<K, V> {
    return new StreamRecord(this.key, this.value, this.timestamp, headers);
  }

  /** The first header of that name, as UTF-8 text. */
  header(name: string): string | undefined {
    return this.headers.find((h) => h.key === name)?.value.toString('utf8');
  }
}

export function textHeader(key: string, value: string): Header {
  return { key, value: Buffer.from(value, 'utf8') };
}
