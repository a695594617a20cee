// decode rejects, the window holds the rejected record with its window and hands it to the
// dead-letter sink when the window closes (here: windows of one example, so at the next one).
import { DLQ_HEADERS } from '../../../processors/decode';
import type { WindowBatch } from '../../../processors/types';
import { textHeader, type Headers } from '../../../topology/record';
import { memoryLogger } from '../../../topology/logger';
import { TopologyTestDriver } from '../../../topology/test-driver';
import { mnistValue, windowTopology } from './support';

async function setup() {
  const batches: WindowBatch[] = [];
  const log = memoryLogger();
  const driver = await TopologyTestDriver.create(windowTopology({ maxRecords: 1, maxMs: 0 }, batches), { partitions: { in: 2 }, log });
  return { driver, batches, log };
}

// Buffer.equals, not toEqual: jest compares a 10 MB buffer element by element for minutes.
const sameBytes = (a: Buffer | null | undefined, b: Buffer | null) => (a === null || b === null ? a === b : a?.equals(b) === true);
const header = (headers: Headers, name: string) => headers.find((h) => h.key === name)?.value.toString('utf8');

const tenMegabytes = Buffer.alloc(10 * 1024 * 1024, 1);
const cases: Array<{ name: string; key: Buffer | null; value: Buffer | null; code: string; reason: RegExp }> = [
  { name: 'a value of the wrong length', key: Buffer.from('00001'), value: Buffer.from([1, 2, 3, 4]), code: 'bad-length', reason: /^value has 4 bytes; expected 5 \(2x2 pixel bytes then one label byte\)/ },
  { name: 'a label out of range', key: Buffer.from('00002'), value: mnistValue(10, 0), code: 'label-out-of-range', reason: /^label byte is 10; expected 0\.\.9/ },
  { name: 'an empty value', key: Buffer.from('00003'), value: Buffer.alloc(0), code: 'empty-value', reason: /^value is empty \(0 bytes\)/ },
  { name: 'a null value (tombstone)', key: Buffer.from('00004'), value: null, code: 'null-value', reason: /^value is a Kafka null/ },
  { name: 'a 10 MB value', key: Buffer.from('00005'), value: tenMegabytes, code: 'bad-length', reason: /^value has 10485760 bytes/ },
  { name: 'a key that is not UTF-8', key: Buffer.from([0xff, 0xfe, 0x00, 0xc3]), value: mnistValue(1), code: 'bad-utf8', reason: /^string of 4 bytes is not valid UTF-8/ },
];

describe('decode dead-letters a bad record', () => {
  it.each(cases)('$name: original key and value byte for byte, headers naming the error and the source; never throws', async ({ key, value, code, reason }) => {
    const { driver, batches } = await setup();
    await driver.pipeRaw('in', mnistValue(0), mnistValue(0), { partition: 1 }); // a good one first: the bad one is offset 1
    const original = [textHeader('producer', 'p1')];
    await expect(driver.pipeRaw('in', key, value, { partition: 1, headers: original, timestamp: 1234 })).resolves.toBeUndefined();
    expect(driver.io.read('dlq')).toEqual([]); // held with its window, not yet dead-lettered
    await driver.pipeRaw('in', mnistValue(2), mnistValue(2), { partition: 1 }); // closes the window

    const [dead, ...more] = driver.io.read('dlq');
    expect(more).toEqual([]);
    expect(dead).toBeDefined();
    expect(sameBytes(dead?.key, key)).toBe(true);
    expect(sameBytes(dead?.value, value)).toBe(true);
    expect(dead?.timestamp).toBe(1234);
    const headers = dead?.headers ?? [];
    expect(headers[0]).toEqual(original[0]); // the original headers are kept, first
    expect(header(headers, DLQ_HEADERS.code)).toBe(code);
    expect(header(headers, DLQ_HEADERS.reason)).toMatch(reason);
    expect(header(headers, DLQ_HEADERS.topic)).toBe('in');
    expect(header(headers, DLQ_HEADERS.partition)).toBe('1');
    expect(header(headers, DLQ_HEADERS.offset)).toBe('1');

    // the window accounts for its offset
    expect(batches.map((b) => [b.count, b.rejected, b.offsets[0]?.first, b.offsets[0]?.last])).toEqual([[1, 0, 0, 0], [1, 1, 1, 2]]);
  });

  it('every kind in a row, and the good records around them still reach the window', async () => {
    const { driver, batches } = await setup();
    for (const c of cases) {
      await driver.pipeRaw('in', c.key, c.value);
      await driver.pipeRaw('in', Buffer.from('ok'), mnistValue(5));
    }
    expect(driver.io.read('dlq').map((r) => header(r.headers, DLQ_HEADERS.code))).toEqual(cases.map((c) => c.code));
    expect(driver.io.read('dlq').map((r) => header(r.headers, DLQ_HEADERS.offset))).toEqual(['0', '2', '4', '6', '8', '10']);
    expect(batches.map((b) => [b.count, b.rejected])).toEqual(cases.map(() => [1, 1]));
  });

  it('a reason Kafdrop can show: its one-line `key: value, key: value` view splits back into the same headers', async () => {
    const { driver } = await setup();
    for (const c of cases) {
      await driver.pipeRaw('in', c.key, c.value, { headers: [textHeader('producer', 'p1')] });
      await driver.pipeRaw('in', Buffer.from('ok'), mnistValue(5)); // closes the window: its dead letter is written
    }
    const deadLetters = driver.io.read('dlq');
    expect(deadLetters).toHaveLength(cases.length);
    for (const dead of deadLetters) {
      const reason = header(dead.headers, DLQ_HEADERS.reason) ?? '';
      expect(reason).not.toMatch(/, |:/);
      expect(reason.length).toBeGreaterThan(20); // the sentence is kept, only its separators change
      const kafdropLine = dead.headers.map((h) => `${h.key}: ${h.value.toString('utf8')}`).join(', ');
      const parsed = kafdropLine.split(', ').map((pair) => pair.split(': '));
      expect(parsed).toEqual(dead.headers.map((h) => [h.key, h.value.toString('utf8')]));
    }
  });

  it('names the dead-letter topic in the log once, at the first rejection', async () => {
    const { driver, log } = await setup();
    await driver.pipeRaw('in', null, Buffer.from([1]));
    await driver.pipeRaw('in', null, null);
    const told = log.lines.filter((l) => l.includes('go to topic dlq'));
    expect(told).toEqual(['info records that cannot be decoded go to topic dlq with the reason in headers streamtrain.error.code and streamtrain.error (first: in/0@0, bad-length)']);
  });
});
