import { loadConfig, type DeepPartial, type AppConfig } from '../../../config';
import { configError } from './helpers';

const load = (overrides: DeepPartial<AppConfig>) => () => loadConfig({ env: {}, overrides });

describe('sync.* settings', () => {
  it('are off by default: a lone instance builds nothing of the sync', () => {
    expect(load({})().sync).toEqual({ enabled: false, everyWindows: 10, intervalMs: 10000, peerTimeoutMs: 120000 });
  });

  it('refuse sync on with neither a window count nor an interval, naming the keys', () => {
    expect(load({ sync: { enabled: true, everyWindows: 0 } })().sync.intervalMs).toBe(10000);
    expect(load({ sync: { enabled: false, everyWindows: 0, intervalMs: 0 } })().sync.enabled).toBe(false);
    const error = configError(load({ sync: { enabled: true, everyWindows: 0, intervalMs: 0 } }));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain('sync.everyWindows = 0: expected a whole number > 0 when sync.enabled is true and sync.intervalMs is 0');
  });
});
