// sync.enabled false (the default): the MNIST topology is the one without sync, so a lone
// instance pays nothing for it: no processor, no store, no global topic, no sink.
import { syntheticWindow } from '../../../model/synthetic';
import { buildMnistTopology, type MnistTopologyOptions } from '../../../processors/mnist-topology';
import type { Learner } from '../../../processors/types';

const options: MnistTopologyOptions = {
  appId: 'app',
  topics: { source: 'mnist', metrics: 'metrics', deadLetter: 'dlq', changelog: '' },
  window: { maxRecords: 10, maxMs: 0 },
  classes: 10,
  imageSize: 8,
  holdout: syntheticWindow(10, 8, 10, 1),
  evaluateEveryWindows: 1,
  commitEveryWindows: 0,
  exportDir: '',
  createLearner: () => Promise.reject(new Error('not built in this test')) as Promise<Learner>,
  writeMetricsLine: null,
};
const noAveraging = { average: () => Promise.reject(new Error('not called')) };

describe('the MNIST topology', () => {
  it('without sync is train -> metrics, with no sync node, store or global topic', () => {
    const off = buildMnistTopology({ ...options, sync: null });
    expect(off.describe()).toBe(buildMnistTopology(options).describe());
    expect(off.describe()).not.toContain('sync');
    expect(off.globalTopics()).toEqual([]);
    expect(off.sinkTopics()).toEqual(['dlq', 'metrics']);
  });

  it('with sync puts model-sync between train and metrics, publishing to <app.id>-model-sync and reading it whole', () => {
    const on = buildMnistTopology({ ...options, sync: { everyWindows: 10, intervalMs: 0, peerTimeoutMs: 1000, averaging: noAveraging } });
    expect(on.describe()).toContain('Processor: model-sync (stores: [model-sync, model-sync-publications, trainer]) --> model-sync-publish, metrics <-- train');
    expect(on.globalTopics()).toEqual(['app-model-sync']);
    expect(on.sinkTopics()).toContain('app-model-sync');
  });
});
