// Two live instances of one app.id share a 4-partition source topic and sync their models
// through <app.id>-model-sync: after the last sync both replicas hold the averaged parameters
// that the last publication carries. The records are produced once both hold partitions, so
// that both train (two-instances-share-the-partitions.test.ts covers a topic filled in advance).
import { mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import type { CheckpointTensor } from '../../model/checkpoint-format';
import { averageParameters, decodeParameters, parameterDistance } from '../../model/parameter-average';
import { modelSyncTopic } from '../../processors/mnist-topology';
import { syncPublicationSerde } from '../../processors/model-sync-publication';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { startApp, type RunningApp } from './in-process-app';
import type { SyncedWindowMetrics } from '../../processors/model-sync';
import { brokers, readMetrics, readTopic, testConfig, waitFor } from './support';

// 10 windows of 100 an instance, a sync every 2: with 4 windows each (800 records), an instance's
// last window sync could come before the other's first publication was visible, and no window
// reported a peer (CI failed so once).
const RECORDS = 2000;
/** float32 rounding of one average: far below the distance between two replicas that trained apart. */
const CLOSE = 1e-5;

const weights = async (app: RunningApp): Promise<readonly CheckpointTensor[]> => app.store().learner.weights();

describe('two instances with model sync', () => {
  it('share the partitions, train every record once, and end on the same averaged parameters', async () => {
    const base = testConfig({ kafka: { partitions: 4 }, sync: { enabled: true, everyWindows: 2, intervalMs: 2000 } });
    await ensureTopics(brokers(), mnistTopics(base), memoryLogger());
    const first = await startApp({ ...base, app: { ...base.app, instance: 1 } });
    const second = await startApp({ ...base, app: { ...base.app, instance: 2 } });
    try {
      const holdsPartitions = (app: RunningApp) => app.logLines.some((l) => l.includes(`partitions assigned: ${base.topics.source}/`));
      await waitFor('both instances to hold partitions', () => holdsPartitions(first) && holdsPartitions(second));
      const produced = await produceMnist({ brokers: brokers(), topic: base.topics.source, set: 'train', delayMs: 0, limit: RECORDS, epochs: 1 });
      expect(produced).toMatchObject({ sent: RECORDS, failed: 0 });
      await waitFor(`${RECORDS} records trained by the two`, () => first.accounted() + second.accounted() >= RECORDS, 180000);
      expect(first.accounted()).toBeGreaterThan(0);
      expect(second.accounted()).toBeGreaterThan(0);
      // Idle, each takes in the other's newer publication at its sync interval.
      let distance = Infinity;
      await waitFor('the replicas to meet', async () => (distance = parameterDistance(await weights(first), await weights(second))) < CLOSE, 60000);

      const publications = (await readTopic(modelSyncTopic(base.app.id))).map((r) => syncPublicationSerde().deserialize(r.value));
      expect(new Set(publications.map((p) => p?.instance))).toEqual(new Set(['1', '2']));
      // The replicas' parameters are the last publication (the other replica took it in), or,
      // when the last two publications crossed, the record-weighted average of each instance's latest.
      const last = publications[publications.length - 1];
      const latest = ['1', '2'].map((instance) => publications.filter((p) => p?.instance === instance).pop());
      const decoded = await Promise.all(latest.map(async (p) => ({ weights: (await decodeParameters(p?.parameters ?? new Uint8Array())).weights, weight: p?.records ?? 0 })));
      const candidates = [(await decodeParameters(last?.parameters ?? new Uint8Array())).weights, averageParameters(decoded)];
      const replica = await weights(first);
      expect(Math.min(...candidates.map((c) => parameterDistance(replica, c)))).toBeLessThan(CLOSE);
      expect(distance).toBeLessThan(CLOSE);

      // The metrics of a window after a sync say so, with the averaged model's holdout accuracy.
      const synced = ((await readMetrics(base.topics.metrics)) as SyncedWindowMetrics[]).filter((m) => m.sync !== null);
      expect(new Set(synced.map((m) => m.instance))).toEqual(new Set([1, 2]));
      expect(synced.some((m) => (m.sync?.peers ?? 0) >= 1)).toBe(true);
      for (const m of synced) expect(m.holdoutAccuracy).toEqual(expect.any(Number));
    } finally {
      await first.stop();
      await second.stop();
    }
  }, 300000);
});
