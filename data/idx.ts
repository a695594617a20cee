/**
 * A reader for the IDX format of MNIST and EMNIST, limited to what those sets use: unsigned
 * bytes (dtype 0x08) in one dimension (labels, magic 0x00000801) or three (images, magic
 * 0x00000803: count, rows, cols). Header fields are big-endian 32-bit integers.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import { IdxFormatError } from './errors';

export interface IdxImages {
  readonly kind: 'images';
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count*rows*cols pixels, image after image, each row-major. */
  readonly data: Uint8Array;
}

export interface IdxLabels {
  readonly kind: 'labels';
  readonly count: number;
  readonly data: Uint8Array;
}

export type IdxFile = IdxImages | IdxLabels;

export interface IdxOptions {
  /**
   * The file stores each image column by column (EMNIST does): transpose every image so that
   * `data` is row-major like MNIST. Ignored for label files.
   */
  readonly columnMajor?: boolean;
  /** What to call the bytes in error messages; `readIdx` passes the path. */
  readonly source?: string;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const DTYPE_UNSIGNED_BYTE = 0x08;
const DTYPE_NAMES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** Reads an IDX file from disk, gunzipping it when it starts with the gzip magic. */
export function readIdx(path: string, options: Omit<IdxOptions, 'source'> = {}): IdxFile {
  return parseIdx(readFileSync(path), { ...options, source: path });
}

/**
 * Parses IDX bytes (gzipped or not). Without `columnMajor`, `data` is a view into `bytes` (or
 * into the gunzipped copy), not a copy: the 47 MB training images are not duplicated.
 */
export function parseIdx(bytes: Uint8Array, options: IdxOptions = {}): IdxFile {
  const source = options.source ?? 'bytes';
  const raw = isGzip(bytes) ? gunzip(bytes, source) : bytes;
  const dims = readHeader(raw, source);
  const headerLength = 4 + 4 * dims.length;
  const expected = dims.reduce((product, dim) => product * dim, 1);
  const actual = raw.length - headerLength;
  if (actual < expected) {
    const what = `header promises ${expected} data bytes (${dims.join('x')}) but only ${actual} follow`;
    throw new IdxFormatError('truncated', source, `truncated: ${what}`);
  }
  if (actual > expected) {
    const what = `header promises ${expected} data bytes (${dims.join('x')}) but ${actual} follow`;
    throw new IdxFormatError('extra-data', source, `extra data: ${what}`);
  }
  const data = new Uint8Array(raw.buffer, raw.byteOffset + headerLength, expected);
  const count = dims[0] ?? 0;
  if (dims.length === 1) {
    return { kind: 'labels', count, data };
  }
  const rows = dims[1] ?? 0;
  const cols = dims[2] ?? 0;
  return {
    kind: 'images',
    count,
    rows,
    cols,
    data: options.columnMajor === true ? transposeImages(data, count, rows, cols) : data,
  };
}

/**
 * Turns images stored column by column into row-major ones: stored byte `c*rows + r` of an
 * image is pixel (r, c). `rows` and `cols` are the image's own shape, as the header gives it.
 */
export function transposeImages(data: Uint8Array, count: number, rows: number, cols: number): Uint8Array {
  const size = rows * cols;
  const out = new Uint8Array(count * size);
  for (let image = 0; image < count; image += 1) {
    const base = image * size;
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < cols; c += 1) {
        out[base + r * cols + c] = data[base + c * rows + r] ?? 0;
      }
    }
  }
  return out;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new IdxFormatError('bad-gzip', source, `starts like gzip but does not gunzip (${detail})`, { cause });
  }
}

/** Checks the magic and returns the dimension sizes that follow it. */
function readHeader(raw: Uint8Array, source: string): number[] {
  if (raw.length < 4) {
    throw new IdxFormatError('truncated', source, `truncated: ${raw.length} bytes, shorter than the 4-byte magic`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0);
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw new IdxFormatError('bad-magic', source, `bad magic ${hex(magic)}: IDX files start with two zero bytes`);
  }
  const dtype = raw[2] ?? 0;
  if (dtype !== DTYPE_UNSIGNED_BYTE) {
    const dtypeName = DTYPE_NAMES[dtype] ?? 'unknown';
    throw new IdxFormatError(
      'bad-dtype',
      source,
      `wrong dtype 0x${dtype.toString(16).padStart(2, '0')} (${dtypeName}) in magic ${hex(magic)}; ` +
        'only unsigned byte (0x08) is supported',
    );
  }
  const rank = raw[3] ?? 0;
  if (rank !== 1 && rank !== 3) {
    throw new IdxFormatError(
      'bad-dimensions',
      source,
      `magic ${hex(magic)} declares ${rank} dimensions; expected 1 (labels, 0x00000801) or 3 (images, 0x00000803)`,
    );
  }
  const headerLength = 4 + 4 * rank;
  if (raw.length < headerLength) {
    throw new IdxFormatError(
      'truncated',
      source,
      `truncated header: ${raw.length} bytes, but ${rank} dimension(s) need ${headerLength}`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i += 1) {
    dims.push(view.getUint32(4 + 4 * i));
  }
  return dims;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
