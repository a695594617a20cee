import { mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { configFile, runCli } from './child-app';
import { brokers, checkMetricsStream, committedSourceOffset, produceRaw, readMetrics, readTopic, sleep, testConfig, waitFor } from './support';

const GOOD = 4000;
const BAD = [
  { key: Buffer.from('bad-a'), value: Buffer.alloc(100, 1) },
  { key: Buffer.from('bad-b'), value: null },
  { key: Buffer.from('bad-c'), value: Buffer.alloc(0) },
];

describe('exactly once across kill -9', () => {
  it('SIGKILLed at random moments three times and restarted, with replay on, the app trains every record exactly once', async () => {
    // Replay on (its buffer is in every checkpoint), two passes a window and ADWIN: the accounting stays exact.
    const config = testConfig({
      window: { maxRecords: 50, maxMs: 0 },
      commit: { everyWindows: 1, intervalMs: 0 },
      training: { epochs: 2, replaySize: 1000, replayRatio: 0.5, replayPolicy: 'reservoir' },
      drift: { detector: 'adwin', reaction: 'reset-optimizer' },
    });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: GOOD / 2, epochs: 1 });
    await produceRaw(config.topics.source, BAD);
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: GOOD / 2, epochs: 1 });
    const total = GOOD + BAD.length;
    const file = configFile(config);

    const moments: string[] = [];
    for (let kill = 1; kill <= 3; kill += 1) {
      // Each kill comes once the commits pass a random point of its quarter, plus a random delay
      // that lands it anywhere in the window being trained or committed.
      const target = Math.floor(((kill - 1 + Math.random()) / 4) * total);
      const run = runCli('start.ts', ['--config', file]);
      await waitFor(`commits past offset ${target}`, async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= target, 120000);
      const jitter = Math.floor(Math.random() * 600);
      await sleep(jitter);
      run.child.kill('SIGKILL');
      expect(await run.exited).toBe('SIGKILL');
      moments.push(`kill ${kill}: after offset ${target} + ${jitter} ms`);
    }

    const last = runCli('start.ts', ['--config', file]);
    await waitFor('the last commit', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= total, 180000);
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const metrics = await readMetrics(config.topics.metrics);
    const sums = checkMetricsStream(metrics);
    expect({ ...sums, moments: moments.length }).toEqual({ records: GOOD, rejected: BAD.length, moments: 3 });
    expect(await readTopic(config.topics.deadLetter)).toHaveLength(BAD.length);
    expect(metrics[metrics.length - 1]?.trainedTotal).toBe(GOOD);
    expect(metrics.filter((m) => m.records > 0).every((m) => m.drift !== null)).toBe(true);
  }, 600000);
});
