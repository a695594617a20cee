import { SerdeError, bytesSerde, jsonSerde, stringSerde } from '../../../serdes';

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SerdeError);
    return (error as SerdeError).reason;
  }
  throw new Error('expected a SerdeError');
}

describe('string serde', () => {
  const serde = stringSerde();

  it('round-trips UTF-8 text and keeps null as null', () => {
    expect(serde.deserialize(serde.serialize('00042 ✓'))).toBe('00042 ✓');
    expect(serde.serialize(null)).toBeNull();
    expect(serde.deserialize(null)).toBeNull();
    expect(serde.deserialize(Buffer.alloc(0))).toBe('');
  });

  it('rejects a key that is not UTF-8', () => {
    const notUtf8 = Buffer.from([0x30, 0x30, 0xff, 0xfe]);
    expect(reasonOf(() => serde.deserialize(notUtf8))).toBe('bad-utf8');
    expect(() => serde.deserialize(notUtf8)).toThrow(/4 bytes is not valid UTF-8; the producer must write UTF-8/);
  });
});

describe('json serde', () => {
  interface Metrics {
    readonly window: number;
    readonly accuracy: number;
  }
  const isMetrics = (value: unknown): value is Metrics =>
    typeof value === 'object' && value !== null && 'window' in value && 'accuracy' in value;

  it('round-trips a document as UTF-8 JSON', () => {
    const serde = jsonSerde<Metrics>();
    const bytes = serde.serialize({ window: 3, accuracy: 0.91 });
    expect(bytes?.toString('utf8')).toBe('{"window":3,"accuracy":0.91}');
    expect(serde.deserialize(bytes)).toEqual({ window: 3, accuracy: 0.91 });
  });

  it('rejects null, empty, non-UTF-8 and non-JSON values with their reasons', () => {
    const serde = jsonSerde<Metrics>();
    expect(reasonOf(() => serde.deserialize(null))).toBe('null-value');
    expect(reasonOf(() => serde.deserialize(Buffer.alloc(0)))).toBe('empty-value');
    expect(reasonOf(() => serde.deserialize(Buffer.from([0x7b, 0xff])))).toBe('bad-utf8');
    expect(reasonOf(() => serde.deserialize(Buffer.from('{"window":')))).toBe('bad-json');
  });

  it('checks the shape when given a guard', () => {
    const serde = jsonSerde<Metrics>({ validate: isMetrics });
    expect(reasonOf(() => serde.deserialize(Buffer.from('[1,2]')))).toBe('bad-json');
    expect(serde.deserialize(Buffer.from('{"window":1,"accuracy":1}'))).toEqual({ window: 1, accuracy: 1 });
  });
});

describe('bytes serde', () => {
  it('passes buffers and null through untouched', () => {
    const serde = bytesSerde();
    const value = Buffer.from([1, 2, 3]);
    expect(serde.serialize(value)).toBe(value);
    expect(serde.deserialize(value)).toBe(value);
    expect(serde.deserialize(null)).toBeNull();
  });
});
