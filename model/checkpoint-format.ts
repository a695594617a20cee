// The checkpoint file: self-describing, independent of TensorFlow.js and of the backend.
//
//   offset 0   4 bytes  magic "STCK"
//          4   u32 LE   format version (2; version 1, without architecture, training state
//                       and byte blobs, is still read)
//          8   u32 LE   header length H in bytes
//         12   H bytes  header, UTF-8 JSON (CheckpointHeader), then zero padding to a multiple of 4
//          D   ...      data: the tensors' float32 values, little-endian, at the header's offsets,
//                       then the blobs' bytes (e.g. a replay buffer's images)
//
// The header carries a CRC-32 of the data, so a flipped bit fails the restore instead of
// silently training on from damaged weights.
import { crc32 } from './crc32';
import { CheckpointFormatError } from './errors';
import type { JsonValue } from './json';

const MAGIC = 'STCK';
const VERSION = 2;
const READABLE_VERSIONS = [1, 2];
const PREFIX_BYTES = 12;

export interface CheckpointTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Raw bytes stored beside the tensors, 4 times smaller than as float32. */
export interface CheckpointBlob {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface CheckpointContents {
  /** The network (see architecture.ts); absent in version 1, whose checkpoints are all CNNs. */
  readonly architecture?: string;
  readonly optimizer: { readonly type: string; readonly iterations: number };
  /** Model weights, in the model's weight order. */
  readonly weights: readonly CheckpointTensor[];
  /** Optimizer state tensors (e.g. Adam's moments), in the optimizer's getWeights() order. */
  readonly slots: readonly CheckpointTensor[];
  /** The classifier's own training state beyond the optimizer (schedules, replay, drift). */
  readonly training?: JsonValue;
  readonly blobs?: readonly CheckpointBlob[];
  readonly extra: JsonValue;
}

interface TensorEntry {
  readonly group: 'weights' | 'slots' | 'blobs';
  readonly name: string;
  readonly shape: number[];
  /** float32 for weights and slots, uint8 for blobs. */
  readonly dtype: 'float32' | 'uint8';
  readonly offset: number;
  readonly byteLength: number;
}

interface CheckpointHeader {
  readonly architecture: string;
  readonly training: JsonValue;
  readonly optimizer: { readonly type: string; readonly iterations: number };
  readonly tensors: TensorEntry[];
  readonly dataByteLength: number;
  readonly crc32: number;
  readonly extra: JsonValue;
}

/** The file's numbers are little-endian: on such a host (x86, ARM) the floats are copied as bytes. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

export function encodeCheckpoint(contents: CheckpointContents): Uint8Array {
  const tensors: TensorEntry[] = [];
  let offset = 0;
  const groups = [
    ['weights', contents.weights],
    ['slots', contents.slots],
  ] as const;
  for (const [group, list] of groups) {
    for (const t of list) {
      if (t.values.length !== elementCount(t.shape)) {
        throw new Error(`checkpoint tensor ${t.name}: ${t.values.length} values for shape [${t.shape.join(', ')}]`);
      }
      tensors.push({ group, name: t.name, shape: [...t.shape], dtype: 'float32', offset, byteLength: t.values.length * 4 });
      offset += t.values.length * 4;
    }
  }
  const blobs = contents.blobs ?? [];
  const blobsStart = offset;
  for (const b of blobs) {
    tensors.push({ group: 'blobs', name: b.name, shape: [b.bytes.length], dtype: 'uint8', offset, byteLength: b.bytes.length });
    offset += b.bytes.length;
  }
  const data = new Uint8Array(offset);
  const view = new DataView(data.buffer);
  let at = 0;
  for (const t of [...contents.weights, ...contents.slots]) {
    if (LITTLE_ENDIAN) {
      data.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.length * 4), at);
      at += t.values.length * 4;
      continue;
    }
    for (let i = 0; i < t.values.length; i++, at += 4) {
      view.setFloat32(at, t.values[i], true);
    }
  }
  let blobAt = blobsStart;
  for (const b of blobs) {
    data.set(b.bytes, blobAt);
    blobAt += b.bytes.length;
  }
  const header: CheckpointHeader = {
    architecture: contents.architecture ?? 'cnn',
    training: contents.training ?? null,
    optimizer: { type: contents.optimizer.type, iterations: contents.optimizer.iterations },
    tensors,
    dataByteLength: data.length,
    crc32: crc32(data),
    extra: contents.extra,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = PREFIX_BYTES + Math.ceil(headerBytes.length / 4) * 4;
  const out = new Uint8Array(dataStart + data.length);
  const prefix = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  prefix.setUint32(4, VERSION, true);
  prefix.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, PREFIX_BYTES);
  out.set(data, dataStart);
  return out;
}

// ---- decoding: every field is checked, since the bytes may come from anywhere ----

function fail(reason: string): CheckpointFormatError {
  return new CheckpointFormatError(reason);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(`${what} is not an object`);
  }
  const entries: Array<[string, unknown]> = Object.entries(value);
  return Object.fromEntries(entries);
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw fail(`${what} is not a non-negative integer`);
  }
  return value;
}

function json(value: unknown, what: string): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    return items.map((item, i) => json(item, `${what}[${i}]`));
  }
  const fields = record(value, what);
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, json(v, `${what}.${k}`)]));
}

function tensorEntry(value: unknown, index: number): TensorEntry {
  const what = `header.tensors[${index}]`;
  const entry = record(value, what);
  const { group, name, shape, dtype } = entry;
  if (group !== 'weights' && group !== 'slots' && group !== 'blobs') {
    throw fail(`${what}.group is not weights, slots or blobs`);
  }
  if (typeof name !== 'string') {
    throw fail(`${what}.name is not a string`);
  }
  const expected = group === 'blobs' ? 'uint8' : 'float32';
  if ((dtype !== 'float32' && dtype !== 'uint8') || dtype !== expected) {
    throw fail(`${what}.dtype ${String(dtype)} is not ${expected}`);
  }
  if (!Array.isArray(shape)) {
    throw fail(`${what}.shape is not an array`);
  }
  const dims: unknown[] = shape;
  const checkedShape = dims.map((d, i) => count(d, `${what}.shape[${i}]`));
  const offset = count(entry.offset, `${what}.offset`);
  const byteLength = count(entry.byteLength, `${what}.byteLength`);
  const itemBytes = dtype === 'uint8' ? 1 : 4;
  if (offset % itemBytes !== 0 || byteLength !== elementCount(checkedShape) * itemBytes) {
    throw fail(`${what} has an offset or length that does not fit its ${dtype} shape`);
  }
  return { group, name, shape: checkedShape, dtype, offset, byteLength };
}

function parseHeader(text: string, version: number): CheckpointHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw fail('the header is not valid JSON');
  }
  const header = record(raw, 'header');
  const optimizer = record(header.optimizer, 'header.optimizer');
  if (typeof optimizer.type !== 'string') {
    throw fail('header.optimizer.type is not a string');
  }
  if (!Array.isArray(header.tensors)) {
    throw fail('header.tensors is not an array');
  }
  const entries: unknown[] = header.tensors;
  const crc = count(header.crc32, 'header.crc32');
  const architecture = version === 1 ? 'cnn' : header.architecture;
  if (typeof architecture !== 'string') {
    throw fail('header.architecture is not a string');
  }
  return {
    architecture,
    training: version === 1 ? null : json(header.training, 'header.training'),
    optimizer: { type: optimizer.type, iterations: count(optimizer.iterations, 'header.optimizer.iterations') },
    tensors: entries.map(tensorEntry),
    dataByteLength: count(header.dataByteLength, 'header.dataByteLength'),
    crc32: crc,
    extra: json(header.extra, 'header.extra'),
  };
}

function readTensor(data: Uint8Array, entry: TensorEntry): CheckpointTensor {
  if (entry.offset + entry.byteLength > data.length) {
    throw fail(`tensor ${entry.name} lies beyond the end of the data`);
  }
  const values = new Float32Array(entry.byteLength / 4);
  if (LITTLE_ENDIAN) {
    new Uint8Array(values.buffer).set(data.subarray(entry.offset, entry.offset + entry.byteLength));
    return { name: entry.name, shape: entry.shape, values };
  }
  const view = new DataView(data.buffer, data.byteOffset + entry.offset, entry.byteLength);
  for (let i = 0; i < values.length; i++) {
    values[i] = view.getFloat32(i * 4, true);
  }
  return { name: entry.name, shape: entry.shape, values };
}

function readBlob(data: Uint8Array, entry: TensorEntry): CheckpointBlob {
  if (entry.offset + entry.byteLength > data.length) {
    throw fail(`blob ${entry.name} lies beyond the end of the data`);
  }
  return { name: entry.name, bytes: data.slice(entry.offset, entry.offset + entry.byteLength) };
}

export function decodeCheckpoint(bytes: Uint8Array): CheckpointContents {
  if (bytes.length < PREFIX_BYTES) {
    throw fail(`${bytes.length} bytes is shorter than the ${PREFIX_BYTES}-byte prefix`);
  }
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw fail(`it does not start with the magic "${MAGIC}"`);
  }
  const prefix = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES);
  const version = prefix.getUint32(4, true);
  if (!READABLE_VERSIONS.includes(version)) {
    throw fail(`format version ${version} is not supported (this build reads versions ${READABLE_VERSIONS.join(' and ')})`);
  }
  const headerLength = prefix.getUint32(8, true);
  const dataStart = PREFIX_BYTES + Math.ceil(headerLength / 4) * 4;
  if (dataStart > bytes.length) {
    throw fail(`the header needs ${headerLength} bytes but only ${bytes.length - PREFIX_BYTES} follow`);
  }
  const headerText = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = headerText.decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength));
  } catch {
    throw fail('the header is not valid UTF-8');
  }
  const header = parseHeader(text, version);
  const data = bytes.subarray(dataStart);
  if (data.length !== header.dataByteLength) {
    throw fail(`expected ${header.dataByteLength} data bytes, found ${data.length}`);
  }
  if (crc32(data) !== header.crc32) {
    throw fail('the data does not match its CRC-32');
  }
  const weights = header.tensors.filter((t) => t.group === 'weights').map((t) => readTensor(data, t));
  const slots = header.tensors.filter((t) => t.group === 'slots').map((t) => readTensor(data, t));
  const blobs = header.tensors.filter((t) => t.group === 'blobs').map((t) => readBlob(data, t));
  return { architecture: header.architecture, optimizer: header.optimizer, weights, slots, training: header.training, blobs, extra: header.extra };
}
