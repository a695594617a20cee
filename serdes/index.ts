// The serdes folder's public surface: the Serde contract, its errors and the serdes we ship.
export type { Serde, Serializer, Deserializer } from './serde';
export { SerdeError } from './errors';
export type { SerdeErrorReason } from './errors';
export { bytesSerde } from './bytes';
export { stringSerde, decodeUtf8 } from './string';
export { jsonSerde } from './json';
export type { JsonSerdeOptions } from './json';
export { encodeMnistRecords, mnistRecordSerde, mnistRecordKey, MnistDecodeError, MnistEncodeError } from './mnist-record';
export type { MnistRecord, MnistRecordSerdeOptions } from './mnist-record';
