// The whole user path, with the user's own command: a client that is not ours (kcat) fills the
// source topic, then `npm start` (cli/start.ts, in its own process) runs and no record ever comes
// again, for longer than every timeout the app lives with (the transaction timeout, the group
// session). Every record must show up in a window a read_committed reader sees, the offsets must
// reach the end, the app must still be running after the silence with nothing trained twice and
// no error logged, and it must stop cleanly when asked.
import { mnistTopics } from '../../cli/mnist-app';
import { endOffsets, ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { configFile, runCli } from './child-app';
import { mnistValues, produceWithForeignClient } from './foreign-producer';
import { brokers, checkMetricsStream, committedOffsets, readMetrics, sleep, testConfig, waitFor } from './support';

const RECORDS = 1050; // 10 windows of 100 closed by count, and 50 records only time closes
const PARTITIONS = 2;
const TRANSACTION_TIMEOUT_MS = 10000;
const SESSION_TIMEOUT_MS = 10000;
// Past both timeouts, and past the broker's check for timed-out transactions (every 5 s here).
const SILENCE_MS = Math.max(TRANSACTION_TIMEOUT_MS, SESSION_TIMEOUT_MS) + 15000;

describe('a topic filled by kcat before `npm start`, then silence past every timeout', () => {
  it('shows every window, commits to the end, stays up through the silence without training anything twice, and stops cleanly', async () => {
    const config = testConfig({
      kafka: {
        partitions: PARTITIONS,
        producer: { 'transaction.timeout.ms': TRANSACTION_TIMEOUT_MS },
        consumer: { 'session.timeout.ms': SESSION_TIMEOUT_MS },
      },
      window: { maxRecords: 100, maxMs: 2000 },
      commit: { everyWindows: 0, intervalMs: TRANSACTION_TIMEOUT_MS / 2 },
    });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    await produceWithForeignClient(config.topics.source, mnistValues(RECORDS), PARTITIONS);
    const ends = (await endOffsets(brokers(), [config.topics.source])).sort((a, b) => a.partition - b.partition).map((o) => o.offset);
    expect(ends.reduce((a, b) => a + b, 0)).toBe(RECORDS);
    expect(ends.every((n) => n > 0)).toBe(true); // records in every partition (an empty one has no offset to commit)

    const app = runCli('start.ts', ['--config', configFile(config)]);
    try {
      await waitFor('every record in a window visible to read_committed', async () => checkMetricsStream(await readMetrics(config.topics.metrics)).records === RECORDS, 180000);
      await waitFor('offsets committed to the end of every partition', async () => (await committedOffsets(config.app.id, config.topics.source, PARTITIONS)).join() === ends.join(), 60000);
      const windows = (await readMetrics(config.topics.metrics)).length;

      await sleep(SILENCE_MS);
      expect(app.child.exitCode).toBeNull(); // still running
      const after = await readMetrics(config.topics.metrics);
      expect(after).toHaveLength(windows); // nothing trained again in the silence
      expect(checkMetricsStream(after).records).toBe(RECORDS);
      expect(app.output()).not.toMatch(/ ERROR /);

      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    } finally {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    }
  }, 420000);
});
