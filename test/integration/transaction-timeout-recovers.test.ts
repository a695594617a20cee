// The runtime alone (KafkaIO) on the real broker: a transaction that outlives the producer's
// transaction.timeout.ms is aborted by the broker, which fences the producer. That is not a
// second instance: the commit fails with an AbortableError that says what happened, abort()
// replaces the producer, and the next transaction commits.
import { KafkaIO } from '../../topology/kafka/io';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { AbortableError } from '../../topology/stream-loop';
import { brokers, readTopic, sleep, testConfig } from './support';

const TIMEOUT_MS = 2000;
// The broker looks for timed-out transactions every transaction.abort.timed.out.transaction.cleanup.interval.ms
// (5 s for our local broker, 10 s by default): wait for two of those.
const PAST_THE_TIMEOUT_MS = TIMEOUT_MS + 20000;

describe('a transaction the broker aborted for its age', () => {
  it('fails its commit with one clear message; a new producer carries on and commits the next one', async () => {
    const config = testConfig();
    const out = `${config.app.id}-out`;
    const log = memoryLogger();
    await ensureTopics(brokers(), [{ name: config.topics.source, partitions: 1, replicationFactor: 1 }, { name: out, partitions: 1, replicationFactor: 1 }], log);
    const settings = { brokers: brokers(), appId: config.app.id, instance: 0, exactlyOnce: true, consumer: {}, producer: { 'transaction.timeout.ms': TIMEOUT_MS } };
    const io = await KafkaIO.connect(settings, [config.topics.source], log);
    try {
      io.produce({ topic: out, key: null, value: Buffer.from('lost'), headers: [] });
      await sleep(PAST_THE_TIMEOUT_MS);
      const failure = await io.commit([]).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(AbortableError);
      expect((failure as Error).message).toMatch(/^the broker aborted this instance's transaction: it was open \d+\.\d s, longer than transaction\.timeout\.ms \(2000 ms\), and the producer was fenced .*; no other instance holds app\.instance 0/);

      await io.abort();
      io.produce({ topic: out, key: null, value: Buffer.from('kept'), headers: [] });
      await io.commit([]);
      expect((await readTopic(out)).map((r) => r.value?.toString())).toEqual(['kept']);
      expect(log.lines.filter((l) => !l.startsWith('info created topic'))).toEqual([]);
    } finally {
      await io.close();
    }
  }, 120000);
});
