// (c) The producer's transaction.timeout.ms lowered through kafka.producer; the app idles past
// it, then more records come. A transaction only carries records between two commits, one
// commit interval at most, so idling holds none open on the broker: no crash, every record
// trained exactly once, and at most one line about it in the log.
import { mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { startApp } from './in-process-app';
import { brokers, checkMetricsStream, committedSourceOffset, readMetrics, sleep, testConfig, waitFor } from './support';

const TIMEOUT_MS = 10000;
// Past the timeout, and past the broker's check for timed-out transactions (every 5 s on our
// local broker, 10 s by default).
const IDLE_MS = TIMEOUT_MS + 15000;

describe('an app that idles past its transaction timeout', () => {
  it('carries on when records come again: no crash, exact accounting, at most one log line about it', async () => {
    const config = testConfig({
      kafka: { producer: { 'transaction.timeout.ms': TIMEOUT_MS } },
      window: { maxRecords: 100, maxMs: 1000 },
      commit: { everyWindows: 0, intervalMs: TIMEOUT_MS / 2 },
    });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    const app = await startApp(config);
    try {
      await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 550, epochs: 1 });
      await waitFor('the first 550 committed', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= 550, 120000);
      await sleep(IDLE_MS);
      await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 550, epochs: 1 });
      await waitFor('all 1100 committed', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= 1100, 120000);
    } finally {
      await app.stop();
    }
    expect(checkMetricsStream(await readMetrics(config.topics.metrics))).toEqual({ records: 1100, rejected: 0 });
    const complaints = app.logLines.filter((l) => l.startsWith('warn') || l.startsWith('error'));
    expect(complaints.length).toBeLessThanOrEqual(1);
    for (const line of complaints) expect(line).toMatch(/^warn the broker aborted this instance's transaction/);
  }, 300000);
});
