import { loadMnist, image } from '../../../data/mnist';
import { mnistRecordKey, mnistRecordSerde, stringSerde } from '../../../serdes';

describe('mnist record wire format', () => {
  const serde = mnistRecordSerde({ classes: 10, imageSize: 28 });

  it('writes the pixels then one label byte, byte for byte', () => {
    const pixels = Uint8Array.from({ length: 784 }, (_, i) => i % 256);
    const value = serde.serialize({ pixels, label: 7, size: 28 });
    expect(value?.length).toBe(785);
    expect(Array.from(value?.subarray(0, 784) ?? [])).toEqual(Array.from(pixels));
    expect(value?.[784]).toBe(7);
  });

  it('round-trips the first training image', () => {
    const train = loadMnist('train');
    const record = { pixels: image(train, 0), label: train.labels[0] ?? 0, size: 28 };
    const decoded = serde.deserialize(serde.serialize(record));
    expect(decoded.label).toBe(5);
    expect(decoded.size).toBe(28);
    expect(Array.from(decoded.pixels)).toEqual(Array.from(record.pixels));
  });

  it('reads any square when imageSize is not fixed', () => {
    const free = mnistRecordSerde({ classes: 10 });
    const decoded = free.deserialize(Buffer.from([1, 2, 3, 4, 9]));
    expect(decoded).toEqual({ pixels: Uint8Array.from([1, 2, 3, 4]), label: 9, size: 2 });
  });

  it('decodes pixels as a view into the value instead of a copy', () => {
    const value = Buffer.from([10, 20, 30, 40, 1]);
    const decoded = mnistRecordSerde({ classes: 10 }).deserialize(value);
    expect(decoded.pixels.buffer).toBe(value.buffer);
    expect(decoded.pixels.byteOffset).toBe(value.byteOffset);
  });

  it('keys records like the reference producer', () => {
    expect(mnistRecordKey(0)).toBe('00000');
    expect(mnistRecordKey(59999)).toBe('59999');
    expect(mnistRecordKey(123456)).toBe('123456');
    const keys = stringSerde();
    expect(keys.deserialize(keys.serialize(mnistRecordKey(42)))).toBe('00042');
    expect(() => mnistRecordKey(-1)).toThrow(RangeError);
  });

  it('refuses to write records that do not fit the format', () => {
    expect(() => serde.serialize({ pixels: new Uint8Array(783), label: 1, size: 28 })).toThrow(/size\*size/);
    expect(() => serde.serialize({ pixels: new Uint8Array(4), label: 1, size: 2 })).toThrow(/writes 28x28/);
    expect(() => serde.serialize({ pixels: new Uint8Array(784), label: 10, size: 28 })).toThrow(
      expect.objectContaining({ name: 'MnistEncodeError', reason: 'label-out-of-range' }),
    );
  });

  it('checks its options', () => {
    expect(() => mnistRecordSerde({ classes: 300 })).toThrow(/1\.\.256/);
    expect(() => mnistRecordSerde({ classes: 10, imageSize: 0 })).toThrow(/imageSize is 0/);
  });
});
