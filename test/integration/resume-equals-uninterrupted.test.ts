import type { AppConfig } from '../../config/load';
import { clientSettings, mnistTopics } from '../../cli/mnist-app';
import { ensureTopics } from '../../topology/kafka/admin';
import { produceMnist } from '../../cli/mnist-producer';
import { decompressCheckpoint } from '../../model/checkpoint-compression';
import { decodeCheckpoint } from '../../model/checkpoint-format';
import { checkpointKey } from '../../topology/checkpoint-record';
import { readNewestCheckpoint } from '../../topology/kafka/changelog-reader';
import { memoryLogger } from '../../topology/logger';
import { TRAINER_STORE } from '../../processors/mnist-topology';
import { configFile, runCli } from './child-app';
import { startApp } from './in-process-app';
import { brokers, committedSourceOffset, sleep, testConfig, waitFor } from './support';

const RECORDS = 1200;

async function finalState(config: AppConfig) {
  const restored = await readNewestCheckpoint(clientSettings(config), config.topics.changelog, [checkpointKey(TRAINER_STORE, config.app.instance)], memoryLogger());
  if (!restored) throw new Error(`no checkpoint in ${config.topics.changelog}`);
  return decodeCheckpoint(await decompressCheckpoint(restored.bytes));
}

describe('a resumed run equals an uninterrupted one', () => {
  it('with count windows and one seed, a clean stop and a kill -9 in the middle end with the same weights, Adam state and replay buffer', async () => {
    // Replay, two passes, a warm-up and ADWIN on (test.json turns them off for speed): their state resumes too.
    const settings = {
      window: { maxRecords: 100, maxMs: 0 },
      commit: { everyWindows: 1, intervalMs: 0 },
      model: { optimizer: 'adam', seed: 99 },
      training: { epochs: 2, replaySize: 2000, replayRatio: 0.5, warmupRecords: 200, decay: 'exponential', halfLifeRecords: 500 },
      drift: { detector: 'adwin' },
    } as const;
    const straight = testConfig(settings);
    const resumed = testConfig(settings);
    for (const c of [straight, resumed]) {
      await ensureTopics(brokers(), mnistTopics(c), memoryLogger());
      const produced = await produceMnist({ brokers: brokers(), topic: c.topics.source, set: 'train', delayMs: 0, limit: RECORDS, epochs: 1 });
      expect(produced.sent).toBe(RECORDS);
    }

    const a = await startApp(straight);
    await waitFor('the uninterrupted run', () => a.accounted() >= RECORDS);
    await a.stop();

    const b1 = await startApp(resumed);
    await waitFor('the first part', () => b1.accounted() >= 350);
    await b1.stop(); // clean stop in the middle of a window

    const b2 = runCli('start.ts', ['--config', configFile(resumed)]);
    await waitFor('the second part', async () => (await committedSourceOffset(resumed.app.id, resumed.topics.source)) >= 700, 120000);
    await sleep(150);
    b2.child.kill('SIGKILL');
    await b2.exited;

    const b3 = await startApp(resumed);
    await waitFor('the rest', () => b3.accounted() >= RECORDS);
    await b3.stop();

    const [x, y] = [await finalState(straight), await finalState(resumed)];
    expect(y.extra).toEqual(x.extra);
    expect(y.optimizer).toEqual(x.optimizer);
    expect(y.training).toEqual(x.training);
    expect(y.blobs).toEqual(x.blobs);
    expect(x.blobs?.find((b) => b.name === 'replay/labels')?.bytes.length).toBe(RECORDS);
    for (const [group, left, right] of [['weights', x.weights, y.weights], ['slots', x.slots, y.slots]] as const) {
      expect(right.map((t) => t.name)).toEqual(left.map((t) => t.name));
      left.forEach((t, i) => {
        const other = right[i]?.values ?? new Float32Array();
        let worst = 0;
        t.values.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - (other[j] ?? NaN))); });
        expect({ group, tensor: t.name, worst: worst <= 1e-5 }).toEqual({ group, tensor: t.name, worst: true });
      });
    }
  }, 600000);
});
