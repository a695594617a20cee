import { MetricsLogProcessor, formatMetrics } from '../../../processors/metrics-log';
import type { WindowMetrics } from '../../../processors/types';
import { jsonSerde, stringSerde } from '../../../serdes';
import { TopologyBuilder } from '../../../topology/builder';
import { TopologyTestDriver } from '../../../topology/test-driver';

const metrics: WindowMetrics = {
  model: 'mnist',
  instance: 2,
  window: 7,
  records: 50,
  rejected: 2,
  firstOffset: 350,
  lastOffset: 401,
  offsets: [{ topic: 'mnist', partition: 0, first: 350, last: 401 }],
  loss: 0.123456,
  prequentialAccuracy: 0.875,
  holdoutAccuracy: 0.9012,
  holdoutSize: 100,
  drift: { detected: false, direction: null, statistic: 0.4, errorRate: 0.12, width: 3000, detections: 0 },
  trainedTotal: 400,
  rejectedTotal: 3,
  backend: 'wasm',
  arrivalRecordsPerSecond: 1234.6,
  trainRecordsPerSecond: 2500.4,
  recordsPerSecond: 1234.6,
  trainMs: 40.2,
  closedBy: 'count',
  windowOpenedAt: '2026-01-01T00:00:00.000Z',
  emittedAt: '2026-01-01T00:00:01.000Z',
};

describe('the metrics log', () => {
  it('formats a window as one line: window, records, rejected, loss, prequential and holdout accuracy, totals, offsets, backend', () => {
    expect(formatMetrics(metrics)).toBe(
      '[mnist] instance 2 window    7 |   50 records +2 rejected | loss 0.1235 | prequential  87.50% holdout  90.12% (100)' +
        ' | trained 400 | arrival 1235 rec/s | train 2500 rec/s | offsets 0:350-401 | wasm',
    );
  });

  it('names instance 0 for a record written before several instances, which carries no instance', () => {
    const { instance: _i, ...older } = metrics;
    expect(formatMetrics(older)).toMatch(/^\[mnist\] instance 0 window    7 \|/);
  });

  it('marks a window in which drift was detected, with the statistic', () => {
    const line = formatMetrics({ ...metrics, drift: { detected: true, direction: 'worse', statistic: 1.523, errorRate: 0.4, width: 512, detections: 1 } });
    expect(line).toContain('holdout  90.12% (100) | DRIFT error up (statistic 1.52) | trained 400');
  });

  it('shows what was not measured as dashes, and leaves out the holdout and rejections when there are none', () => {
    const line = formatMetrics({ ...metrics, records: 0, rejected: 0, loss: null, prequentialAccuracy: null, holdoutAccuracy: null, holdoutSize: 0 });
    expect(line).toBe('[mnist] instance 2 window    7 |    0 records | loss - | prequential     -   | trained 400 | arrival 1235 rec/s | train 2500 rec/s | offsets 0:350-401 | wasm');
  });

  it('shows a record written before the two named speeds existed with its one rate as the arrival rate', () => {
    const { arrivalRecordsPerSecond: _a, trainRecordsPerSecond: _t, ...older } = metrics;
    expect(formatMetrics(older as WindowMetrics)).toContain('| trained 400 | arrival 1235 rec/s | offsets 0:350-401 |');
  });

  it('lists the offsets of each partition', () => {
    const offsets = [
      { topic: 'mnist', partition: 0, first: 10, last: 20 },
      { topic: 'mnist', partition: 1, first: 5, last: 9 },
    ];
    expect(formatMetrics({ ...metrics, offsets })).toContain('| offsets 0:10-20,1:5-9 |');
  });

  it('writes one line per metrics record read from the topic', async () => {
    const lines: string[] = [];
    const serde = jsonSerde<WindowMetrics>();
    const topology = new TopologyBuilder()
      .addSource('metrics-source', { topics: ['metrics'], keySerde: stringSerde(), valueSerde: serde })
      .addProcessor('metrics-log', () => new MetricsLogProcessor((line) => lines.push(line)), 'metrics-source')
      .build();
    const driver = await TopologyTestDriver.create(topology);
    const input = driver.createInputTopic('metrics', stringSerde(), serde);
    await input.pipeInput('mnist', metrics);
    await input.pipeInput('mnist', { ...metrics, window: 8 });
    expect(lines).toEqual([formatMetrics(metrics), formatMetrics({ ...metrics, window: 8 })]);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });
});
