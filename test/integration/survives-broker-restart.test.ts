import { mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { canRestartBroker, restartBroker } from './broker';
import { startApp } from './in-process-app';
import { brokers, checkMetricsStream, committedSourceOffset, readMetrics, testConfig, waitFor } from './support';

const RECORDS = 3000;
// Only a broker this checkout started can be restarted (not a KAFKA_BROKERS cluster).
const itWithLocalBroker = canRestartBroker() ? it : it.skip;

describe('a broker restart under a running app', () => {
  itWithLocalBroker('is ridden out: the app carries on and every record is trained exactly once', async () => {
    const config = testConfig({ window: { maxRecords: 50, maxMs: 0 }, commit: { everyWindows: 1, intervalMs: 0 } });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: RECORDS, epochs: 1 });
    const app = await startApp(config);
    await waitFor('a quarter of the records committed', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= RECORDS / 4);
    await restartBroker();
    await waitFor('every record trained after the restart', () => app.accounted() >= RECORDS, 240000);
    await waitFor('the last commit', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= RECORDS, 60000);
    await app.stop();
    const metrics = await readMetrics(config.topics.metrics);
    expect(checkMetricsStream(metrics)).toEqual({ records: RECORDS, rejected: 0 });
    expect(metrics[metrics.length - 1]?.trainedTotal).toBe(RECORDS);
  });
});
