import { MnistDecodeError, SerdeError, mnistRecordSerde } from '../../../serdes';

function rejection(run: () => unknown): MnistDecodeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MnistDecodeError);
    expect(error).toBeInstanceOf(SerdeError);
    return error as MnistDecodeError;
  }
  throw new Error('expected the value to be rejected');
}

describe('mnist record rejections', () => {
  const anySize = mnistRecordSerde({ classes: 10 });
  const fixed = mnistRecordSerde({ classes: 10, imageSize: 28 });

  it('null value', () => {
    const error = rejection(() => anySize.deserialize(null));
    expect(error).toMatchObject({ name: 'MnistDecodeError', reason: 'null-value', byteLength: 0 });
    expect(error.message).toMatch(/Kafka null/);
  });

  it('empty value', () => {
    const error = rejection(() => fixed.deserialize(Buffer.alloc(0)));
    expect(error.reason).toBe('empty-value');
    expect(error.message).toMatch(/0 bytes\); expected 785/);
  });

  it('a length that is not a square plus one', () => {
    const error = rejection(() => anySize.deserialize(Buffer.alloc(500)));
    expect(error).toMatchObject({ reason: 'bad-length', byteLength: 500 });
    expect(error.message).toMatch(/^value has 500 bytes; expected n\*n\+1 \(785 for 28x28\)/);
    expect(error.message).toMatch(/fix the producer$/);
  });

  it('a single byte (a 0x0 image) is not an image', () => {
    expect(rejection(() => anySize.deserialize(Buffer.from([3]))).reason).toBe('bad-length');
  });

  it('a square of another size when imageSize is fixed', () => {
    const error = rejection(() => fixed.deserialize(Buffer.alloc(14 * 14 + 1)));
    expect(error.reason).toBe('bad-length');
    expect(error.message).toMatch(/value has 197 bytes \(a 14x14 image and a label\); expected 785/);
    expect(error.message).toMatch(/set model\.imageSize to 14/);
  });

  it('a label at or above classes', () => {
    const value = Buffer.alloc(785);
    value[784] = 10;
    const error = rejection(() => fixed.deserialize(value));
    expect(error.reason).toBe('label-out-of-range');
    expect(error.message).toMatch(/label byte is 10; expected 0\.\.9 \(classes = 10\)/);
  });

  it('rejects a 10 MB value by its length, naming the length', () => {
    const huge = Buffer.alloc(10 * 1024 * 1024);
    for (const serde of [anySize, fixed]) {
      const error = rejection(() => serde.deserialize(huge));
      expect(error.reason).toBe('bad-length');
      expect(error.message).toMatch(/10485760 bytes/);
    }
  });
});
