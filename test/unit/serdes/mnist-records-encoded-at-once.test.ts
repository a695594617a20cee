import { image, loadMnist } from '../../../data/mnist';
import { encodeMnistRecords, MnistEncodeError, mnistRecordSerde } from '../../../serdes';

// The producer encodes a whole data set in one pass and sends views of it: each view must be
// exactly what the record serde writes for that record.
describe('encodeMnistRecords', () => {
  it('lays out every record as the serde writes it, back to back', () => {
    const test = loadMnist('test');
    const count = 300;
    const wire = encodeMnistRecords(test.images.subarray(0, count * 784), test.labels.subarray(0, count), 28, { classes: 10 });
    const serde = mnistRecordSerde({ classes: 10, imageSize: 28 });
    expect(wire.length).toBe(count * 785);
    for (const i of [0, 1, 137, count - 1]) {
      const expected = serde.serialize({ pixels: image(test, i), label: test.labels[i] ?? -1, size: 28 });
      expect(Buffer.compare(wire.subarray(i * 785, (i + 1) * 785), expected ?? Buffer.alloc(0))).toBe(0);
    }
    expect(wire[784]).toBe(7); // the first test image is a 7
  });

  it('refuses a label out of range, and pixels that do not match the labels', () => {
    const pixels = new Uint8Array(2 * 4);
    expect(() => encodeMnistRecords(pixels, Uint8Array.from([1, 10]), 2, { classes: 10 })).toThrow(MnistEncodeError);
    expect(() => encodeMnistRecords(pixels, Uint8Array.from([1, 10]), 2, { classes: 10 })).toThrow(/label 10 is outside 0..9/);
    expect(() => encodeMnistRecords(pixels, Uint8Array.from([1, 2, 3]), 2, { classes: 10 })).toThrow(/8 pixels for 3 labels of 2x2 images; expected 12/);
  });
});
