// Supervisors (docker stop, systemd) send SIGTERM to the process they started: `npm start`.
// The app must get it, stop cleanly (commit, close) and the whole tree exit 0, leaving no
// orphan behind. A Ctrl-C while it is still starting ends it at once, and says so.
import { spawn, spawnSync } from 'node:child_process';
import { mnistTopics } from '../../cli/mnist-app';
import { produceMnist } from '../../cli/mnist-producer';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { PROJECT_ROOT } from './broker';
import { configFile, runCli } from './child-app';
import { brokers, checkMetricsStream, committedSourceOffset, readMetrics, testConfig, waitFor } from './support';

describe('npm start', () => {
  it('on SIGTERM to the npm process: the app stops cleanly, npm exits 0, no process is left', async () => {
    const config = testConfig({ window: { maxRecords: 100, maxMs: 0 }, commit: { everyWindows: 0, intervalMs: 1000 } });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 300, epochs: 1 });
    const file = configFile(config);
    const npm = spawn('npm', ['start', '--', '--config', file], { cwd: PROJECT_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    npm.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    const exited = new Promise<number | string>((resolve) => npm.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));

    await waitFor('the app commits every record', async () => (await committedSourceOffset(config.app.id, config.topics.source)) >= 300, 180000);
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/SIGTERM: stopping after the current record/);
    expect(output).toMatch(/INFO +\[[^\]]+\] stopped/);
    expect(spawnSync('pgrep', ['-f', file]).status).toBe(1); // no process runs with that config any more
    expect(checkMetricsStream(await readMetrics(config.topics.metrics))).toEqual({ records: 300, rejected: 0 });
  }, 300000);

  it('on Ctrl-C while it starts: it says nothing was trained or committed, and ends at once with 0', async () => {
    const config = testConfig({ window: { maxRecords: 100, maxMs: 0 } });
    await ensureTopics(brokers(), mnistTopics(config), memoryLogger());
    await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'train', delayMs: 0, limit: 100, epochs: 1 });
    const run = runCli('start.ts', ['--config', configFile(config)]);
    // Its first line; TensorFlow, the group join and the restore take seconds after it.
    await waitFor('the config line', () => run.output().includes(' config: '), 60000);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/SIGINT while starting: nothing trained or committed yet, stopping now/);
    expect(run.output()).not.toMatch(/ running on /);
    expect(await committedSourceOffset(config.app.id, config.topics.source)).toBe(0);
  }, 120000);
});
