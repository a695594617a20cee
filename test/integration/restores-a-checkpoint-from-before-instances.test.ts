// Upgrading: a changelog written by a release before instances holds its checkpoint under the
// store's name alone (`trainer`). Instance 0 restores it, says so, and carries on where it ended,
// even when the group has no committed offsets (the checkpoint's offsets are a floor); instance
// 1 starts fresh. Then instance 0 writes under its own key.
import { randomUUID } from 'node:crypto';
import { Producer } from 'node-rdkafka';
import { clientSettings, mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import { TRAINER_STORE } from '../../processors/mnist-topology';
import { checkpointKey, checkpointRecord } from '../../topology/checkpoint-record';
import { ensureTopics } from '../../topology/kafka/admin';
import { readNewestCheckpoint } from '../../topology/kafka/changelog-reader';
import { call } from '../../topology/kafka/callbacks';
import { memoryLogger } from '../../topology/logger';
import type { OutputRecord } from '../../topology/seam';
import { startApp } from './in-process-app';
import { brokers, readMetrics, testConfig, waitFor } from './support';

/** One record with headers, as a plain (non-transactional) producer of an earlier release would write it. */
async function produceWithHeaders(record: OutputRecord): Promise<void> {
  const producer = new Producer({ 'bootstrap.servers': brokers(), dr_cb: true, 'message.max.bytes': 21 * 1024 * 1024 });
  const delivered = new Promise<void>((resolve, reject) => producer.on('delivery-report', (err) => (err ? reject(err) : resolve())));
  producer.setPollInterval(10);
  await call((cb) => producer.connect({ timeout: 15000 }, (err) => cb(err, undefined)));
  try {
    const headers = record.headers.map((h) => ({ [h.key]: h.value }));
    producer.produce(record.topic, null, record.value, record.key, Date.now(), undefined, headers);
    await delivered;
  } finally {
    await call((cb) => producer.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}

describe('a checkpoint of a release before instances', () => {
  it('is restored by instance 0, which carries on at its offsets and window numbers; instance 1 starts fresh', async () => {
    const window = { maxRecords: 100, maxMs: 0 };
    const old = testConfig({ window });
    await ensureTopics(brokers(), mnistTopics(old), memoryLogger());
    await produceMnist({ brokers: brokers(), topic: old.topics.source, set: 'train', delayMs: 0, limit: 300, epochs: 1 });
    const first = await startApp(old);
    await waitFor('3 windows trained', () => first.accounted() >= 300, 120000);
    await first.stop();
    const written = await readNewestCheckpoint(clientSettings(old), old.topics.changelog, [checkpointKey(TRAINER_STORE, 0)], memoryLogger());
    if (!written) throw new Error('no checkpoint written');

    // The same checkpoint, as the earlier release wrote it, in the changelog of an app with no committed offsets.
    const id = `${old.app.id}-up${randomUUID().slice(0, 4)}`;
    const upgraded = testConfig({ window, app: { id }, topics: { source: old.topics.source, metrics: `${id}-metrics` } });
    await ensureTopics(brokers(), mnistTopics(upgraded), memoryLogger());
    const legacy = checkpointRecord(upgraded.topics.changelog, TRAINER_STORE, written.bytes, written.offsets);
    await produceWithHeaders(legacy);
    await produceMnist({ brokers: brokers(), topic: old.topics.source, set: 'train', delayMs: 0, limit: 200, epochs: 1 });

    const zero = await startApp(upgraded);
    await waitFor('instance 0 trains the 200 new records', () => zero.accounted() >= 500, 120000);
    await zero.stop();
    expect(zero.logLines.join('\n')).toContain(`store 'trainer' restored from ${upgraded.topics.changelog} (key trainer, written before instances had checkpoints of their own: from now on under key trainer/0`);
    const metrics = await readMetrics(upgraded.topics.metrics);
    expect(metrics.map((m) => [m.instance, m.window, m.offsets[0]?.first, m.trainedTotal])).toEqual([
      [0, 3, 300, 400],
      [0, 4, 400, 500],
    ]);
    const own = await readNewestCheckpoint(clientSettings(upgraded), upgraded.topics.changelog, [checkpointKey(TRAINER_STORE, 0)], memoryLogger());
    expect(own?.offsets).toEqual([{ topic: old.topics.source, partition: 0, offset: 500 }]);

    const one = await startApp({ ...upgraded, app: { ...upgraded.app, instance: 1 } });
    await one.stop();
    expect(one.logLines.join('\n')).toContain(`store 'trainer': no checkpoint under key trainer/1 in ${upgraded.topics.changelog}, starting fresh`);
  }, 400000);
});
