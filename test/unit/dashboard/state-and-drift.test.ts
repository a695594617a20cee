// What the page is told: every model's history, newest model first, each change once; and the
// drift flags it lists, read by the "drift" prefix so that a field added later shows up.
import { driftFlags } from '../../../dashboard/page/drift';
import type { DashboardEvent, MetricsRecord } from '../../../dashboard/protocol';
import { DashboardState } from '../../../dashboard/state';

const metrics = (model: string, window: number, emittedAt: string, extra: Record<string, unknown> = {}): MetricsRecord =>
  ({ model, window, emittedAt, holdoutAccuracy: null, ...extra }) as unknown as MetricsRecord;

test('keeps each model\'s windows in order and lists the model with the newest window first', () => {
  const state = new DashboardState({ brokers: 'b:1', topics: { metrics: 'm', deadLetter: 'd', source: 's' } });
  state.addWindow('old', metrics('old', 0, '2026-01-01T00:00:00Z'));
  state.addWindow('new', metrics('new', 0, '2026-01-02T00:00:00Z'));
  state.addWindow('old', metrics('old', 1, '2026-01-01T00:01:00Z'));
  const snapshot = state.snapshot();
  expect(snapshot.models.map((m) => m.name)).toEqual(['new', 'old']);
  expect(snapshot.models[1]?.windows.map((w) => w.window)).toEqual([0, 1]);
});

test('tells listeners each change, and a broker that stays away only once', () => {
  const state = new DashboardState({ brokers: 'b:1', topics: { metrics: 'm', deadLetter: 'd', source: 's' } });
  const events: DashboardEvent[] = [];
  const unsubscribe = state.subscribe((e) => events.push(e));
  state.addDeadLetter('bad-length');
  state.addDeadLetter('bad-length');
  expect(state.setBroker(false, 'away')).toBe(true);
  expect(state.setBroker(false, 'away')).toBe(false);
  expect(state.setBroker(true, 'back')).toBe(true);
  unsubscribe();
  state.addDeadLetter('null-value');
  expect(events.map((e) => e.type)).toEqual(['dead-letters', 'dead-letters', 'broker', 'broker']);
  expect(state.snapshot().deadLetters).toEqual({ 'bad-length': 2, 'null-value': 1 });
});

test('drift flags: set fields whose name starts with "drift", by window', () => {
  const windows = [
    metrics('a', 0, 't', { drift: false }),
    metrics('a', 1, 't', { drift: true }),
    metrics('a', 2, 't', { driftScore: 0 }),
    metrics('a', 3, 't', { driftDetectors: ['adwin'] }),
  ];
  expect(driftFlags(windows)).toEqual(['window 1: drift', 'window 3: driftDetectors ["adwin"]']);
  expect(driftFlags([metrics('a', 0, 't')])).toEqual([]);
});
