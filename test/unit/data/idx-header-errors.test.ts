import { gzipSync } from 'node:zlib';

import { IdxFormatError } from '../../../data/errors';
import { parseIdx } from '../../../data/idx';

/** Builds an IDX buffer: magic bytes, big-endian dimension sizes, then the data bytes. */
function idx(magic: readonly number[], dims: readonly number[], data: readonly number[]): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  Buffer.from(magic).copy(header, 0);
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

function reasonOf(bytes: Uint8Array): string {
  try {
    parseIdx(bytes, { source: 'tiny.idx' });
  } catch (error) {
    expect(error).toBeInstanceOf(IdxFormatError);
    const idxError = error as IdxFormatError;
    expect(idxError.name).toBe('IdxFormatError');
    expect(idxError.source).toBe('tiny.idx');
    expect(idxError.message).toMatch(/^tiny\.idx: /);
    return `${idxError.reason}: ${idxError.message}`;
  }
  throw new Error('expected parseIdx to throw');
}

describe('parseIdx reads well-formed files', () => {
  it('reads labels', () => {
    const file = parseIdx(idx([0, 0, 8, 1], [3], [5, 0, 4]));
    expect(file.kind).toBe('labels');
    expect(file.count).toBe(3);
    expect(Array.from(file.data)).toEqual([5, 0, 4]);
  });

  it('reads images and gunzips when the gzip magic is present', () => {
    const plain = idx([0, 0, 8, 3], [2, 1, 2], [1, 2, 3, 4]);
    for (const bytes of [plain, gzipSync(plain)]) {
      const file = parseIdx(bytes);
      expect(file).toMatchObject({ kind: 'images', count: 2, rows: 1, cols: 2 });
      expect(Array.from(file.data)).toEqual([1, 2, 3, 4]);
    }
  });

  it('returns a view into uncompressed input rather than a copy', () => {
    const bytes = idx([0, 0, 8, 1], [2], [7, 9]);
    const file = parseIdx(bytes);
    expect(file.data.buffer).toBe(bytes.buffer);
  });
});

describe('parseIdx rejects bad headers with a reason and a remedy', () => {
  it('bad magic', () => {
    expect(reasonOf(idx([1, 2, 8, 1], [1], [0]))).toMatch(/^bad-magic: .*bad magic 0x01020801/);
  });

  it('wrong dtype (float32)', () => {
    expect(reasonOf(idx([0, 0, 0x0d, 1], [1], [0, 0, 0, 0]))).toMatch(/^bad-dtype: .*0x0d \(float32\)/);
  });

  it('unsupported number of dimensions', () => {
    expect(reasonOf(idx([0, 0, 8, 2], [1, 1], [0]))).toMatch(/^bad-dimensions: .*2 dimensions/);
  });

  it('shorter than the magic', () => {
    expect(reasonOf(new Uint8Array([0, 0]))).toMatch(/^truncated: /);
  });

  it('header cut short', () => {
    expect(reasonOf(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]))).toMatch(/^truncated: .*need 16/);
  });

  it('fewer data bytes than the header promises', () => {
    expect(reasonOf(idx([0, 0, 8, 3], [2, 2, 2], [1, 2, 3]))).toMatch(
      /^truncated: .*promises 8 data bytes \(2x2x2\) but only 3 follow/,
    );
  });

  it('more data bytes than the header promises', () => {
    expect(reasonOf(idx([0, 0, 8, 1], [2], [1, 2, 3]))).toMatch(/^extra-data: .*promises 2 data bytes/);
  });

  it('gzip magic without a gzip stream', () => {
    expect(reasonOf(new Uint8Array([0x1f, 0x8b, 1, 2, 3]))).toMatch(/^bad-gzip: /);
  });

  it('ends every message with what to do', () => {
    expect(reasonOf(idx([1, 2, 8, 1], [1], [0]))).toMatch(/use an IDX file of unsigned bytes.*git checkout data\/mnist/);
  });
});
