import { parseIdx, transposeImages } from '../../../data/idx';

/** Two 2x3 images written column by column, as EMNIST stores them. */
function columnMajorFile(): Uint8Array {
  // Image 0, row-major:  1 2 3 / 4 5 6  -> stored by column: 1 4 2 5 3 6
  // Image 1, row-major:  7 8 9 / 10 11 12 -> stored by column: 7 10 8 11 9 12
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0);
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(2, 8);
  header.writeUInt32BE(3, 12);
  return Buffer.concat([header, Buffer.from([1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12])]);
}

describe('columnMajor option', () => {
  it('transposes each image of a hand-made file to row-major', () => {
    const file = parseIdx(columnMajorFile(), { columnMajor: true });
    expect(file).toMatchObject({ kind: 'images', count: 2, rows: 2, cols: 3 });
    expect(Array.from(file.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('leaves the bytes as stored without the option', () => {
    const file = parseIdx(columnMajorFile());
    expect(Array.from(file.data)).toEqual([1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12]);
  });

  it('transposing a square image twice gives it back', () => {
    const square = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const once = transposeImages(square, 1, 3, 3);
    expect(Array.from(once)).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
    expect(Array.from(transposeImages(once, 1, 3, 3))).toEqual(Array.from(square));
  });
});
