import { produceMnist } from '../../cli/mnist-producer';
import { DLQ_HEADERS } from '../../processors/decode';
import { startApp } from './in-process-app';
import { brokers, checkMetricsStream, produceRaw, readMetrics, readTopic, testConfig, waitFor } from './support';

const good = (label: number) => Buffer.concat([Buffer.alloc(784, 7), Buffer.from([label])]);

/** The corpus of bad input every MNIST app must survive; each with the error code it gets. */
const corpus = [
  { name: 'wrong length', key: Buffer.from('bad-1'), value: Buffer.alloc(500, 1), code: 'bad-length' },
  { name: 'label out of range', key: Buffer.from('bad-2'), value: good(10), code: 'label-out-of-range' },
  // node-rdkafka hands a consumer an empty value as null: it is dead-lettered as a null value.
  { name: 'empty value', key: Buffer.from('bad-3'), value: Buffer.alloc(0), code: 'null-value' },
  { name: 'null value', key: Buffer.from('bad-4'), value: null, code: 'null-value' },
  { name: '10 MB value', key: Buffer.from('bad-5'), value: Buffer.alloc(10 * 1024 * 1024, 3), code: 'bad-length' },
  { name: 'key not UTF-8', key: Buffer.from([0xff, 0xfe, 0xc3]), value: good(3), code: 'bad-utf8' },
];

describe('bad input, nothing lost', () => {
  it('dead-letters exactly the bad records, byte for byte with their reasons, and trains the rest', async () => {
    const config = testConfig();
    const app = await startApp(config);
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 150, epochs: 1 });
    await produceRaw(config.topics.source, corpus);
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 150, epochs: 1 });
    await waitFor('all 306 records accounted for', () => app.accounted() >= 306);
    await app.stop();

    const dlq = await readTopic(config.topics.deadLetter);
    expect(dlq).toHaveLength(corpus.length);
    corpus.forEach((bad, i) => {
      const got = dlq[i];
      expect(got?.key).toEqual(bad.key);
      // Buffer.equals: jest's toEqual walks a 10 MB buffer byte by byte for minutes.
      expect((got?.value ?? Buffer.alloc(0)).equals(bad.value ?? Buffer.alloc(0))).toBe(true);
      if (bad.value === null) expect(got?.value).toBeNull();
      expect(got?.headers[DLQ_HEADERS.code]).toBe(bad.code);
      expect(got?.headers[DLQ_HEADERS.reason]?.length).toBeGreaterThan(10);
      expect(got?.headers[DLQ_HEADERS.topic]).toBe(config.topics.source);
      expect(got?.headers[DLQ_HEADERS.offset]).toBe(String(150 + i));
    });
    const metrics = await readMetrics(config.topics.metrics);
    expect(checkMetricsStream(metrics)).toEqual({ records: 300, rejected: corpus.length });
  });
});
