// (a) The user path of a dataset: another client fills the source topic, then the app starts
// and no record comes after. Every window must become visible to a read_committed reader, and
// the group's offsets reach the end of every partition, within the commit interval (plus the
// time window that closes a last, partial, window) and some slack: the commits come from the
// clock, not from records. The interval is longer than the last windows take to train, so a
// commit made only at window boundaries would leave them uncommitted for good.
import { mnistTopics } from '../../cli/mnist-app';
import { endOffsets, ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { mnistValues, produceWithForeignClient } from './foreign-producer';
import { startApp } from './in-process-app';
import { brokers, checkMetricsStream, committedOffsets, readMetrics, testConfig, waitFor } from './support';

const COMMIT_MS = 10000;
// Generous: a loaded 2-core machine may stall a poll or a commit for seconds.
const SLACK_MS = 30000;

const cases = [
  { partitions: 1, records: 3000, windowMs: 0, closedBy: 'count' }, // 30 windows of 100, closed by count
  { partitions: 3, records: 3050, windowMs: 2000, closedBy: 'time' }, // and 50 records that only time closes
] as const;

describe.each(cases)('a source topic of $partitions partition(s) filled by another client before the app starts, then silence', ({ partitions, records: RECORDS, windowMs, closedBy }) => {
  it(`every record is in a window visible to read_committed readers, and the offsets are committed to the end, within the bound (window.maxMs ${windowMs})`, async () => {
    const config = testConfig({ kafka: { partitions }, window: { maxRecords: 100, maxMs: windowMs }, commit: { everyWindows: 0, intervalMs: COMMIT_MS } });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    const tool = await produceWithForeignClient(config.topics.source, mnistValues(RECORDS), partitions);
    const ends = (await endOffsets(brokers(), [config.topics.source])).sort((a, b) => a.partition - b.partition).map((o) => o.offset);
    expect(ends.reduce((a, b) => a + b, 0)).toBe(RECORDS);
    expect(ends.every((n) => n > 0)).toBe(true); // records in every partition (an empty one has no offset to commit)

    const started = Date.now();
    const app = await startApp(config);
    try {
      await waitFor('every record trained', () => app.accounted() >= RECORDS, 300000);
      const trained = Date.now();
      const bound = COMMIT_MS + SLACK_MS;
      await waitFor('every window visible to read_committed', async () => checkMetricsStream(await readMetrics(config.topics.metrics)).records === RECORDS, bound);
      const visible = Date.now();
      await waitFor('offsets committed to the end of every partition', async () => (await committedOffsets(config.app.id, config.topics.source, partitions)).join() === ends.join(), bound);
      process.stderr.write(
        `[measured] ${partitions} partition(s), ${RECORDS} records by ${tool}: the last window trained -> every window visible to read_committed in ${visible - trained} ms; ` +
          `app start -> all visible in ${((visible - started) / 1000).toFixed(1)} s (commit.intervalMs ${COMMIT_MS}, window.maxMs ${windowMs})\n`,
      );
    } finally {
      await app.stop();
    }
    const metrics = await readMetrics(config.topics.metrics);
    expect(checkMetricsStream(metrics)).toEqual({ records: RECORDS, rejected: 0 });
    expect(metrics.at(-1)?.closedBy).toBe(closedBy);
    expect(new Set(metrics.flatMap((m) => m.offsets.map((o) => o.partition)))).toEqual(new Set(Array.from({ length: partitions }, (_, p) => p)));
    expect(await committedOffsets(config.app.id, config.topics.source, partitions)).toEqual(ends);
  }, 600000);
});
