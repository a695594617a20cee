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
  // Newest first: the page shows the latest detections at the top of a scrolling list.
  return out.slice(-50).reverse();
}

/** Whether any window carries drift fields at all (detection may be off). */
export function carriesDrift(windows: readonly MetricsRecord[]): boolean {
  return windows.some((m) => Object.entries(m).some(([key, value]) => key.startsWith('drift') && value !== null && value !== undefined));
}

interface Detector {
  readonly detected: boolean;
  readonly direction?: unknown;
  readonly errorRate?: unknown;
  readonly detections?: unknown;
}

function isDetector(value: unknown): value is Detector {
  return typeof value === 'object' && value !== null && 'detected' in value && typeof value.detected === 'boolean';
}

function describeDetection(window: number, d: Detector): string {
  const change = d.direction === 'worse' ? 'error rate up' : d.direction === 'better' ? 'error rate down' : 'change';
  const rate = typeof d.errorRate === 'number' ? ` to ${(d.errorRate * 100).toFixed(1)}%` : '';
  const count = typeof d.detections === 'number' ? ` (detection #${d.detections})` : '';
  return `window ${window}: ${change}${rate}${count}`;
}

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return value !== false && value !== 0 && value !== '' && value !== null && value !== undefined;
}
