import type { DriftMetrics, OffsetRange, WindowBatch, WindowMetrics } from './types';

/** What the trainer measured on one window. */
export interface WindowMeasurements {
  readonly model: string;
  readonly instance: number;
  readonly window: number;
  readonly batch: WindowBatch;
  readonly result: { readonly loss: number; readonly accuracy: number; readonly drift?: DriftMetrics | null } | null;
  readonly holdoutAccuracy: number | null;
  readonly holdoutSize: number;
  readonly trainedTotal: number;
  readonly rejectedTotal: number;
  readonly backend: string;
  readonly trainMs: number;
  /** Wall clock when the metrics record is emitted. */
  readonly now: number;
}

/**
 * The metrics record of a window. The key order is the order of the JSON: Kafdrop shows a value
 * on one line cut at the screen's edge, so what a reader looks for (model, window, loss, the two
 * accuracies) comes first and the long offsets list last.
 */
export function windowMetrics(m: WindowMeasurements): WindowMetrics {
  const { batch } = m;
  const records = batch.count + batch.rejected;
  // From the window's first record to its metrics: waiting for records included, so for a window
  // closed by time this is how fast records arrive; for a backlog it is close to the training speed.
  const arrival = records / (Math.max(m.now - batch.openedAt, 1) / 1000);
  const train = m.trainMs > 0 ? batch.count / (m.trainMs / 1000) : 0;
  return {
    model: m.model,
    instance: m.instance,
    window: m.window,
    loss: m.result ? m.result.loss : null,
    prequentialAccuracy: m.result ? m.result.accuracy : null,
    holdoutAccuracy: m.holdoutAccuracy,
    holdoutSize: m.holdoutSize,
    drift: m.result?.drift ?? null,
    records: batch.count,
    rejected: batch.rejected,
    trainedTotal: m.trainedTotal,
    rejectedTotal: m.rejectedTotal,
    arrivalRecordsPerSecond: round(arrival),
    trainRecordsPerSecond: round(train),
    recordsPerSecond: round(arrival),
    trainMs: round(m.trainMs),
    backend: m.backend,
    closedBy: batch.closedBy,
    windowOpenedAt: new Date(batch.openedAt).toISOString(),
    emittedAt: new Date(m.now).toISOString(),
    firstOffset: offsetsBy(batch.offsets, 'first'),
    lastOffset: offsetsBy(batch.offsets, 'last'),
    offsets: batch.offsets,
  };
}

function offsetsBy(ranges: readonly OffsetRange[], which: 'first' | 'last'): number | Record<string, number> | null {
  if (ranges.length === 0) return null;
  const [only] = ranges;
  if (ranges.length === 1 && only) return only[which];
  const out: Record<string, number> = {};
  for (const r of ranges) out[`${r.topic}/${r.partition}`] = r[which];
  return out;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
