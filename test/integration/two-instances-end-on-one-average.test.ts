// Two live instances of one app.id share a 4-partition source topic, filled in advance, and
// sync their models through <app.id>-model-sync: after the last sync both replicas hold the
// averaged parameters that the last publication carries.
import { mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import type { CheckpointTensor } from '../../model/checkpoint-format';
import { decodeParameters, parameterDistance, parametersOf } from '../../model/parameter-average';
import { modelSyncTopic } from '../../processors/mnist-topology';
import { syncPublicationSerde } from '../../processors/model-sync-publication';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { startApp, type RunningApp } from './in-process-app';
import type { SyncedWindowMetrics } from '../../processors/model-sync';
import { brokers, readMetrics, readTopic, testConfig, waitFor } from './support';

const RECORDS = 800;
/** float32 rounding of one average: far below the distance between two replicas that trained apart. */
const CLOSE = 1e-5;

const weights = async (app: RunningApp): Promise<CheckpointTensor[]> => parametersOf(await app.store().learner.checkpoint());

describe('two instances with model sync', () => {
  it('share the partitions, train every record once, and end on the same averaged parameters', async () => {
    const base = testConfig({ kafka: { partitions: 4 }, sync: { enabled: true, everyWindows: 2, intervalMs: 2000 } });
    await ensureTopics(brokers(), mnistTopics(base), memoryLogger());
    const produced = await produceMnist({ brokers: brokers(), topic: base.topics.source, set: 'train', delayMs: 0, limit: RECORDS, epochs: 1 });
    expect(produced).toMatchObject({ sent: RECORDS, failed: 0 });

    const first = await startApp({ ...base, app: { ...base.app, instance: 1 } });
    const second = await startApp({ ...base, app: { ...base.app, instance: 2 } });
    try {
      await waitFor(`${RECORDS} records trained by the two`, () => first.accounted() + second.accounted() >= RECORDS, 180000);
      expect(first.accounted()).toBeGreaterThan(0);
      expect(second.accounted()).toBeGreaterThan(0);
      // Idle, each takes in the other's newer publication at its sync interval.
      let distance = Infinity;
      await waitFor('the replicas to meet', async () => (distance = parameterDistance(await weights(first), await weights(second))) < CLOSE, 60000);

      const publications = (await readTopic(modelSyncTopic(base.app.id))).map((r) => syncPublicationSerde().deserialize(r.value));
      expect(new Set(publications.map((p) => p?.instance))).toEqual(new Set(['1', '2']));
      const last = publications[publications.length - 1];
      const averaged = (await decodeParameters(last?.parameters ?? new Uint8Array())).weights;
      expect(parameterDistance(await weights(first), averaged)).toBeLessThan(CLOSE);
      expect(parameterDistance(await weights(second), averaged)).toBeLessThan(CLOSE);
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
