// (d) A real second instance with the same app.id and app.instance (a config copied to a second
// machine, a supervisor that restarted the app while the old one still ran). The newer one takes
// over: its consumer fences the older one's static membership, its producer the older one's
// transactions. The older one stops with a line saying exactly that; every record is still
// trained exactly once.
import { mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { configFile, runCli } from './child-app';
import { brokers, checkMetricsStream, committedSourceOffset, readMetrics, testConfig, waitFor } from './support';

const RECORDS = 3000;

describe('two live instances with the same app.id and app.instance', () => {
  it('the older one stops, saying why; the newer one trains every record exactly once', async () => {
    const config = testConfig({ window: { maxRecords: 100, maxMs: 0 }, commit: { everyWindows: 0, intervalMs: 1000 } });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: RECORDS, epochs: 1 });
    const file = configFile(config);

    const older = runCli('start.ts', ['--config', file]);
    await waitFor('the older instance commits', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= 300, 180000);
    const newer = runCli('start.ts', ['--config', file]);
    let olderExit: number | string | null = null;
    void older.exited.then((code) => { olderExit = code; });
    await waitFor('the older instance to stop', () => olderExit !== null, 120000);
    expect(olderExit).toBe(1);
    const said = older.output().split('\n').filter((l) => l.startsWith('streamtrain:'));
    expect(said).toEqual([
      `streamtrain: another live instance with app.id ${config.app.id} and app.instance 0 has taken this one's place ` +
        `(the group coordinator fenced this consumer, static member ${config.app.id}-0); this instance stops. Give every live instance its own app.instance.`,
    ]);

    await waitFor('the newer instance commits every record', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= RECORDS, 180000);
    // The older one may have committed every record before it was fenced (training outpaces the
    // newer one's start): stop the newer one only once it runs, its stop request handled.
    await waitFor('the newer instance runs', () => newer.output().includes(`partitions assigned: ${config.topics.source}/0`), 120000);
    newer.child.kill('SIGTERM');
    expect(await newer.exited).toBe(0);
    expect(newer.output()).not.toMatch(/another live instance/);
    const metrics = await readMetrics(config.topics.metrics);
    expect(checkMetricsStream(metrics)).toEqual({ records: RECORDS, rejected: 0 });
    expect(metrics.at(-1)?.trainedTotal).toBe(RECORDS);
  }, 600000);
});
