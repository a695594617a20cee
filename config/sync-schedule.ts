/**
 * A rule between keys: sync on must sync on something. With both `sync.everyWindows` and
 * `sync.intervalMs` at 0 an instance would publish nothing and never take in its peers'.
 */
import type { ConfigProblem } from './errors';
import type { AppConfig } from './types';

export function syncScheduleProblems(config: Pick<AppConfig, 'sync'>): ConfigProblem[] {
  const { enabled, everyWindows, intervalMs } = config.sync;
  if (!enabled || everyWindows > 0 || intervalMs > 0) return [];
  return [{
    kind: 'invalid',
    key: 'sync.everyWindows',
    value: everyWindows,
    expected: 'a whole number > 0 when sync.enabled is true and sync.intervalMs is 0 (else the instance would never sync); set one of them, or sync.enabled to false',
  }];
}
