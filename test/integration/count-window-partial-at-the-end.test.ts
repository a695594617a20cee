// (b) Count-only windows (window.maxMs 0) with a partial window at the end, and a bad record in
// it: the closed windows are committed on the clock, the offsets stop at the open window's
// first record and its dead letter is not written yet. After a kill -9 and a restart the open
// window's records are read again and, once more records complete it, trained once; the bad
// record is dead-lettered exactly once for a read_committed reader.
import { mnistTopics } from '../../cli/mnist-app';
import { DLQ_HEADERS } from '../../processors/decode';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { configFile, runCli } from './child-app';
import { mnistValues } from './foreign-producer';
import { brokers, checkMetricsStream, committedSourceOffset, produceRaw, readMetrics, readTopic, sleep, testConfig, waitFor } from './support';

const COMMIT_MS = 1000;

describe('count windows with a partial window at the end', () => {
  it('commit up to the open window; after kill -9 it is read again and trained once, its dead letter written once', async () => {
    const config = testConfig({ window: { maxRecords: 100, maxMs: 0 }, commit: { everyWindows: 0, intervalMs: COMMIT_MS } });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    const good = mnistValues(1100).map((value) => ({ key: null, value, partition: 0 }));
    const bad = { key: Buffer.from('bad'), value: Buffer.alloc(10, 1), partition: 0 };
    // offsets 0-999: ten full windows; 1000-1049: 49 examples and the bad record at 1020
    await produceRaw(config.topics.source, [...good.slice(0, 1020), bad, ...good.slice(1020, 1049)]);
    const file = configFile(config);

    const first = runCli('start.ts', ['--config', file]);
    await waitFor('ten windows committed', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= 1000, 180000);
    await sleep(4 * COMMIT_MS); // more commit intervals pass with the partial window open
    expect(await committedSourceOffset(config.app.id, config.topics.source)).toBe(1000);
    expect(checkMetricsStream(await readMetrics(config.topics.metrics))).toEqual({ records: 1000, rejected: 0 });
    expect(await readTopic(config.topics.deadLetter)).toEqual([]);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = runCli('start.ts', ['--config', file]);
    await produceRaw(config.topics.source, good.slice(1049, 1100)); // 51 more examples complete window 10
    await waitFor('window 10 committed', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= 1101, 180000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const metrics = await readMetrics(config.topics.metrics);
    expect(checkMetricsStream(metrics)).toEqual({ records: 1100, rejected: 1 });
    expect(metrics.map((m) => m.window)).toEqual([...Array(11).keys()]);
    expect(metrics[10]).toMatchObject({ records: 100, rejected: 1, firstOffset: 1000, lastOffset: 1100, closedBy: 'count', trainedTotal: 1100 });
    const dead = await readTopic(config.topics.deadLetter);
    expect(dead.map((r) => [r.key?.toString(), r.headers[DLQ_HEADERS.offset]])).toEqual([['bad', '1020']]);
  }, 600000);
});
