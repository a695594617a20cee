import { StreamRecord, textHeader } from '../../../topology/record';

describe('StreamRecord', () => {
  const original = StreamRecord.of('k', 1, 100, [textHeader('h', 'v')]);

  it('withValue returns a new record (of another type) and leaves the original unchanged', () => {
    const changed: StreamRecord<string, string> = original.withValue('one');
    expect(changed).not.toBe(original);
    expect(changed).toMatchObject({ key: 'k', value: 'one', timestamp: 100 });
    expect(changed.headers).toBe(original.headers);
    expect(original).toMatchObject({ key: 'k', value: 1, timestamp: 100 });
  });

  it('withKey, withTimestamp and withHeaders return new records too', () => {
    const key = original.withKey(7);
    const time = original.withTimestamp(200);
    const headers = original.withHeaders([textHeader('other', 'x')]);
    expect([key.key, time.timestamp, headers.header('other')]).toEqual([7, 200, 'x']);
    expect([key, time, headers]).not.toContain(original);
    expect(original).toMatchObject({ key: 'k', value: 1, timestamp: 100 });
    expect(original.header('h')).toBe('v');
    expect(original.header('other')).toBeUndefined();
  });
});
