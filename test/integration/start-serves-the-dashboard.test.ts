// `npm start` with dashboard.enabled: the same dashboard, from the same process as the trainer.
import { configFile, runCli } from './child-app';
import { testConfig, waitFor } from './support';
import type { DashboardSnapshot } from '../../dashboard/protocol';

test('npm start serves the dashboard when dashboard.enabled is true, and stops it with the app', async () => {
  const config = testConfig({ dashboard: { enabled: true, port: 0 } });
  const run = runCli('start.ts', ['--config', configFile(config)]);
  try {
    await waitFor('the dashboard URL in the log', () => /dashboard: http:\/\/127\.0\.0\.1:\d+\//.test(run.output()), 90000);
    const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output())?.[1] ?? '';
    const state = (await (await fetch(`${url}api/state`)).json()) as DashboardSnapshot;
    expect(state.topics).toEqual({ metrics: config.topics.metrics, deadLetter: config.topics.deadLetter, source: config.topics.source });
    expect((await fetch(url)).headers.get('content-security-policy')).toMatch(/^default-src 'self'/);
    // Ctrl-C is a clean stop once the app and its metrics log run (before, it ends the process at once).
    await waitFor('the metrics log running', () => /-metrics-log running on /.test(run.output()), 90000);
  } finally {
    run.child.kill('SIGINT');
  }
  expect(await run.exited).toBe(0);
});
