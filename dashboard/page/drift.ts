import type { MetricsRecord } from '../protocol';

/**
 * Drift flags, once the metrics carry them: any field whose name starts with "drift" and is set
 * (true, a non-zero number, a non-empty string or list). The field's exact name is not fixed
 * yet, so the page reads them by prefix instead of by name.
 */
export function driftFlags(windows: readonly MetricsRecord[]): string[] {
  const out: string[] = [];
  for (const m of windows) {
    for (const [key, value] of Object.entries(m)) {
      if (key.startsWith('drift') && isSet(value)) out.push(`window ${m.window}: ${key} ${typeof value === 'boolean' ? '' : JSON.stringify(value)}`.trim());
    }
  }
  return out.slice(-20);
}

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return value !== false && value !== 0 && value !== '' && value !== null && value !== undefined;
}
