/**
 * The wire format of the reference producer (cmhh/kafkatrain, "Online Learning with Apache
 * Kafka"), byte for byte:
 *
 *   key   = the record's index in the training set, zero-padded to 5 digits ("00042"), UTF-8
 *   value = n*n pixel bytes (0..255, row-major) followed by ONE label byte
 *
 * so a 28x28 MNIST record is 785 bytes. The image side n is read from the length.
 */
import { SerdeError, type SerdeErrorReason } from './errors';
import type { Serde } from './serde';

export interface MnistRecord {
  /** size*size pixels, row-major. Decoded records hold a view into the Kafka value (see below). */
  readonly pixels: Uint8Array;
  readonly label: number;
  /** The side n of the square image. */
  readonly size: number;
}

export interface MnistRecordSerdeOptions {
  /** Labels must be below this (10 for digits); at most 256, since a label is one byte. */
  readonly classes: number;
  /** When set, only images of this side are accepted; otherwise any square is. */
  readonly imageSize?: number;
}

/** A value that is not n*n pixels plus a valid label byte. */
export class MnistDecodeError extends SerdeError {
  override readonly name: string = 'MnistDecodeError';
  /** Length of the rejected value; 0 for a Kafka null. */
  readonly byteLength: number;

  constructor(reason: SerdeErrorReason, byteLength: number, message: string) {
    super(reason, message);
    this.byteLength = byteLength;
  }
}

/** A record that cannot be written in the wire format (wrong pixel count, label out of range). */
export class MnistEncodeError extends SerdeError {
  override readonly name: string = 'MnistEncodeError';
}

const KEY_DIGITS = 5;

/** The reference producer's key for example `index`: "%05d" (longer past 99999, like Scala's). */
export function mnistRecordKey(index: number): string {
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`MNIST record index ${index} is not a whole number >= 0; pass the example's position`);
  }
  return String(index).padStart(KEY_DIGITS, '0');
}

/**
 * Reads and writes MNIST records. Decoding does not copy: `pixels` is a view into the value
 * Buffer, which the Kafka client allocates per message and never reuses, so the view stays
 * valid; copy it (`pixels.slice()`) before mutating it.
 */
export function mnistRecordSerde(options: MnistRecordSerdeOptions): Serde<MnistRecord> {
  checkOptions(options);
  return {
    serialize: (record) => encode(record, options),
    deserialize: (bytes) => decode(bytes, options),
  };
}

function decode(bytes: Buffer | null, options: MnistRecordSerdeOptions): MnistRecord {
  if (bytes === null) {
    throw new MnistDecodeError(
      'null-value',
      0,
      'value is a Kafka null (tombstone); every mnist record needs n*n pixel bytes then one label ' +
        'byte: fix the producer, the dead-letter topic keeps this one',
    );
  }
  if (bytes.length === 0) {
    throw new MnistDecodeError(
      'empty-value',
      0,
      `value is empty (0 bytes); expected ${expectation(options)}: fix the producer`,
    );
  }
  // Only the length is looked at before rejecting, so a 10 MB value costs no more than a small one.
  const size = imageSide(bytes.length);
  if (size === undefined || (options.imageSize !== undefined && size !== options.imageSize)) {
    throw new MnistDecodeError('bad-length', bytes.length, lengthProblem(bytes.length, size, options));
  }
  const pixelCount = size * size;
  const label = bytes[pixelCount] ?? 0;
  if (label >= options.classes) {
    throw new MnistDecodeError(
      'label-out-of-range',
      bytes.length,
      `label byte is ${label}; expected 0..${options.classes - 1} (classes = ${options.classes}): ` +
        'fix the producer, or raise model.classes if the data really has more classes',
    );
  }
  const pixels = new Uint8Array(bytes.buffer, bytes.byteOffset, pixelCount);
  return { pixels, label, size };
}

function encode(record: MnistRecord, options: MnistRecordSerdeOptions): Buffer {
  const value = Buffer.allocUnsafe(record.pixels.length + 1); // its length is checked by write()
  write(record, options, value, 0);
  return value;
}

/** Checks `record` and writes its n*n+1 wire bytes into `target` from `at`. */
function write(record: MnistRecord, options: MnistRecordSerdeOptions, target: Uint8Array, at: number): void {
  const pixelCount = record.size * record.size;
  if (!Number.isInteger(record.size) || record.size < 1 || record.pixels.length !== pixelCount) {
    throw new MnistEncodeError(
      'bad-length',
      `record has ${record.pixels.length} pixels and size ${record.size}; pixels must hold size*size ` +
        'bytes: build the record from one whole square image',
    );
  }
  if (options.imageSize !== undefined && record.size !== options.imageSize) {
    throw new MnistEncodeError(
      'bad-length',
      `record is ${record.size}x${record.size}; this serde writes ${options.imageSize}x${options.imageSize} ` +
        'images: resize the image or configure model.imageSize',
    );
  }
  if (!Number.isInteger(record.label) || record.label < 0 || record.label >= options.classes) {
    throw new MnistEncodeError(
      'label-out-of-range',
      `label ${record.label} is outside 0..${options.classes - 1}; pass a class index below ${options.classes}`,
    );
  }
  target.set(record.pixels, at);
  target[at + pixelCount] = record.label;
}

/**
 * A whole data set in the wire format at once: record i at bytes [i*(n*n+1), (i+1)*(n*n+1)),
 * each exactly what `mnistRecordSerde(options).serialize` writes. For a producer that sends
 * many records: one allocation and one pass, then a view (`subarray`) per record, instead of a
 * Buffer per record.
 */
export function encodeMnistRecords(images: Uint8Array, labels: Uint8Array, size: number, options: MnistRecordSerdeOptions): Buffer {
  checkOptions(options);
  const pixelCount = size * size;
  const count = labels.length;
  if (images.length !== count * pixelCount) {
    throw new MnistEncodeError('bad-length', `${images.length} pixels for ${count} labels of ${size}x${size} images; expected ${count * pixelCount}`);
  }
  const stride = pixelCount + 1;
  const wire = Buffer.allocUnsafe(count * stride);
  for (let i = 0; i < count; i += 1) {
    write({ pixels: images.subarray(i * pixelCount, (i + 1) * pixelCount), label: labels[i] ?? 0, size }, options, wire, i * stride);
  }
  return wire;
}

/** The n for which `length` is n*n + 1, if there is one (n >= 1). */
function imageSide(length: number): number | undefined {
  const pixelCount = length - 1;
  const side = Math.round(Math.sqrt(pixelCount));
  return side >= 1 && side * side === pixelCount ? side : undefined;
}

function lengthProblem(length: number, side: number | undefined, options: MnistRecordSerdeOptions): string {
  const found = side === undefined ? '' : ` (a ${side}x${side} image and a label)`;
  const remedy =
    side === undefined || options.imageSize === undefined
      ? 'fix the producer'
      : `fix the producer, or set model.imageSize to ${side} if ${side}x${side} images are intended`;
  return `value has ${length} bytes${found}; expected ${expectation(options)}: ${remedy}`;
}

function expectation(options: MnistRecordSerdeOptions): string {
  const n = options.imageSize;
  return n === undefined
    ? 'n*n+1 (785 for 28x28): n*n row-major pixel bytes then one label byte'
    : `${n * n + 1} (${n}x${n} pixel bytes then one label byte)`;
}

function checkOptions(options: MnistRecordSerdeOptions): void {
  if (!Number.isInteger(options.classes) || options.classes < 1 || options.classes > 256) {
    throw new RangeError(
      `mnistRecordSerde: classes is ${options.classes}; pass a whole number in 1..256 (a label is one byte)`,
    );
  }
  if (options.imageSize !== undefined && (!Number.isInteger(options.imageSize) || options.imageSize < 1)) {
    throw new RangeError(`mnistRecordSerde: imageSize is ${options.imageSize}; pass a whole number >= 1 or leave it out`);
  }
}
