import type { MetricsRecord } from '../protocol';

/**
 * Drift flags by window. The metrics carry `drift` (see processors/types.ts DriftMetrics): a
 * window is flagged when its detector `detected` a change. Any other field whose name starts
 * with "drift" and is set (true, a non-zero number, a non-empty string, list or object) is
 * flagged as it is, so a field added later still shows up.
 */
export function driftFlags(windows: readonly MetricsRecord[]): string[] {
  const out: string[] = [];
  for (const m of windows) {
    for (const [key, value] of Object.entries(m)) {
      if (!key.startsWith('drift')) continue;
      if (isDetector(value)) {
        if (value.detected) out.push(describeDetection(m.window, value));
      } else if (isSet(value)) {
        out.push(`window ${m.window}: ${key} ${typeof value === 'boolean' ? '' : JSON.stringify(value)}`.trim());
      }
    }
  }
  return out.slice(-20);
}

/** Whether any window carries drift fields at all (detection may be off). */
export function carriesDrift(windows: readonly MetricsRecord[]): boolean {
  return windows.some((m) => Object.entries(m).some(([key, value]) => key.startsWith('drift') && value !== null && value !== undefined));
}

interface Detector {
  readonly detected: boolean;
  readonly direction?: unknown;
  readonly statistic?: unknown;
  readonly errorRate?: unknown;
  readonly detections?: unknown;
}

function isDetector(value: unknown): value is Detector {
  return typeof value === 'object' && value !== null && 'detected' in value && typeof value.detected === 'boolean';
}

function describeDetection(window: number, d: Detector): string {
  const parts = [
    typeof d.direction === 'string' ? `error rate went ${d.direction === 'worse' ? 'up' : 'down'}` : 'change detected',
    typeof d.errorRate === 'number' ? `now ${(d.errorRate * 100).toFixed(1)}%` : '',
    typeof d.statistic === 'number' ? `statistic ${d.statistic.toFixed(2)}` : '',
    typeof d.detections === 'number' ? `detection #${d.detections}` : '',
  ].filter(Boolean);
  return `window ${window}: drift, ${parts.join(', ')}`;
}

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return value !== false && value !== 0 && value !== '' && value !== null && value !== undefined;
}
