import { configFile, runCli } from './child-app';
import { brokers, testConfig } from './support';

/**
 * What `npm start` prints and returns when it cannot start: one clear message starting
 * `streamtrain:` (several config problems go one a line below it), a non-zero status.
 */
async function startFails(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const run = runCli('start.ts', args, env);
  const code = await run.exited;
  expect(code).toBe(1);
  const lines = run.output().split('\n');
  expect(lines.filter((l) => l.startsWith('streamtrain:'))).toHaveLength(1);
  return lines.slice(lines.findIndex((l) => l.startsWith('streamtrain:'))).join('\n');
}

describe('npm start refuses to start, saying what to fix', () => {
  it('on a bad value in the config file', async () => {
    const line = await startFails(['--config', configFile({ window: { maxRecords: -1 } })]);
    expect(line).toMatch(/window\.maxRecords/);
    expect(line).toMatch(/-1/);
  });

  it('on a missing config file', async () => {
    const line = await startFails(['--config', '/nonexistent/streamtrain.json']);
    expect(line).toMatch(/\/nonexistent\/streamtrain\.json/);
  });

  it('on an unreachable broker', async () => {
    const line = await startFails(['--config', 'test.json'], { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(line).toMatch(/cannot reach Kafka at 127\.0\.0\.1:1/);
    expect(line).toMatch(/KAFKA_BROKERS/);
  });

  it('on a topic that cannot be created', async () => {
    const config = testConfig({ kafka: { replicationFactor: 3 } });
    const line = await startFails(['--config', configFile(config)], { KAFKA_BROKERS: brokers() });
    expect(line).toMatch(new RegExp(`cannot create topic '${config.topics.source}'`));
    expect(line).toMatch(/replicationFactor/);
  });
});
