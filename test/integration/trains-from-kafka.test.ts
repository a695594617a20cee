import { produceMnist } from '../../cli/mnist-producer';
import { startApp } from './in-process-app';
import { brokers, checkMetricsStream, committedOffsets, readMetrics, testConfig, waitFor } from './support';

describe('the MNIST topology on a real broker', () => {
  it('trains every produced record once, commits to the end, and resumes after a clean stop without re-reading', async () => {
    const config = testConfig();
    const first = await startApp(config);
    const produced = await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 1000, epochs: 1 });
    expect(produced).toMatchObject({ sent: 1000, failed: 0 });
    await waitFor('1000 records trained', () => first.accounted() >= 1000);
    // The metrics log reads the metrics topic read_committed: a line a window once it is committed.
    await waitFor('the metrics log', () => first.lines.length >= 10);
    await first.stop();
    expect(first.lines[9]).toMatch(/window +9 \| +100 records \| loss \d/);

    let metrics = await readMetrics(config.topics.metrics);
    expect(checkMetricsStream(metrics)).toEqual({ records: 1000, rejected: 0 });
    expect(metrics).toHaveLength(10);
    expect(await committedOffsets(config.app.id, config.topics.source, 1)).toEqual([1000]);

    // A second run: restores the trainer, reads only what is new.
    const again = await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 500, epochs: 1 });
    expect(again.sent).toBe(500);
    const second = await startApp(config);
    // Restored, not fresh: a fresh trainer could not count past the 500 new records (it may
    // already have trained some of them by now).
    expect(second.store().counters.trainedTotal).toBeGreaterThanOrEqual(1000);
    await waitFor('1500 records trained', () => second.accounted() >= 1500);
    await second.stop();

    metrics = await readMetrics(config.topics.metrics);
    expect(checkMetricsStream(metrics)).toEqual({ records: 1500, rejected: 0 });
    expect(metrics.map((m) => m.window)).toEqual([...Array(15).keys()]);
    expect(metrics[10]?.firstOffset).toBe(1000);
    expect(metrics[14]?.trainedTotal).toBe(1500);
    expect(await committedOffsets(config.app.id, config.topics.source, 1)).toEqual([1500]);
  });

  it('consumes a source topic of 3 partitions completely', async () => {
    const config = testConfig({ kafka: { partitions: 3 } });
    const app = await startApp(config);
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 900, epochs: 1 });
    await waitFor('900 records trained', () => app.accounted() >= 900);
    await app.stop();
    const metrics = await readMetrics(config.topics.metrics);
    expect(checkMetricsStream(metrics)).toEqual({ records: 900, rejected: 0 });
    const committed = await committedOffsets(config.app.id, config.topics.source, 3);
    expect(committed.reduce((a, b) => a + b, 0)).toBe(900);
    expect(new Set(metrics.flatMap((m) => m.offsets.map((o) => o.partition)))).toEqual(new Set([0, 1, 2]));
  });
});
