import type { Processor } from '../topology/processor';
import type { StreamRecord } from '../topology/record';
import type { WindowMetrics } from './types';

/** The sink processor at the end of the metrics topic: one readable line a window. */
export class MetricsLogProcessor implements Processor<string, WindowMetrics> {
  constructor(private readonly writeLine: (line: string) => void) {}

  process(record: StreamRecord<string, WindowMetrics>): void {
    this.writeLine(formatMetrics(record.value));
  }
}

export function formatMetrics(m: WindowMetrics): string {
  const pct = (x: number | null) => (x === null ? '    -  ' : `${(x * 100).toFixed(2).padStart(6)}%`);
  const offsets = m.offsets.map((o) => `${o.partition}:${o.first}-${o.last}`).join(',');
  const holdout = m.holdoutAccuracy === null ? '' : ` holdout ${pct(m.holdoutAccuracy)} (${m.holdoutSize})`;
  const drift = m.drift?.detected ? ` | DRIFT ${m.drift.direction === 'better' ? 'error down' : 'error up'} (statistic ${m.drift.statistic.toFixed(2)})` : '';
  return (
    `[${m.model}] instance ${m.instance ?? 0} window ${String(m.window).padStart(4)} | ${String(m.records).padStart(4)} records` +
    `${m.rejected ? ` +${m.rejected} rejected` : ''} | loss ${m.loss === null ? '-' : m.loss.toFixed(4)}` +
    ` | prequential ${pct(m.prequentialAccuracy)}${holdout}${drift} | trained ${m.trainedTotal}` +
    ` | ${rates(m)} | offsets ${offsets} | ${m.backend}`
  );
}

/**
 * Two speeds, named: `arrival` counts the window's wall time from its first record (waiting for
 * records included), `train` only the training step. Records written before the two fields
 * existed carry only `recordsPerSecond`, the arrival rate.
 */
function rates(m: WindowMetrics): string {
  const arrival = m.arrivalRecordsPerSecond ?? m.recordsPerSecond;
  const train = m.trainRecordsPerSecond === undefined ? '' : ` | train ${Math.round(m.trainRecordsPerSecond)} rec/s`;
  return `arrival ${Math.round(arrival)} rec/s${train}`;
}
