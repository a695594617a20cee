/**
 * A serde turns a typed value into the bytes of a Kafka key or value and back.
 * `null` stands for a Kafka null (a tombstone or a missing key). Deserializers throw a
 * `SerdeError` (see ./errors) on bytes they cannot read; they never return a half-read value.
 */
export interface Serializer<T> {
  serialize(value: T): Buffer | null;
}

export interface Deserializer<T> {
  deserialize(bytes: Buffer | null): T;
}

export interface Serde<T> extends Serializer<T>, Deserializer<T> {}
