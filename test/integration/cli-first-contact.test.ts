// What a new user meets first, run as a user runs it: the CLIs in their own processes.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { produceMnist } from '../../cli/mnist-producer';
import { PROJECT_ROOT } from './broker';
import { configFile, runCli } from './child-app';
import { brokers, testConfig, waitFor } from './support';

async function finished(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | string; output: string }> {
  const run = runCli(script, args, env);
  const code = await run.exited;
  return { code, output: run.output() };
}

describe('every command', () => {
  it.each([
    ['start.ts', /^usage: npm start -- \[--config FILE\]/],
    ['produce.ts', /^usage: npm run produce -- \[--config FILE\] \[--delay MS\]/],
    ['demo.ts', /^usage: npm run demo -- \[--config FILE\] \[--delay MS\] \[--limit N\] \[--follow\]/],
  ])('%s --help prints its usage and options and exits 0, doing nothing else', async (script, usage) => {
    const { code, output } = await finished(script, ['--help'], { KAFKA_BROKERS: '127.0.0.1:39999' });
    expect(code).toBe(0);
    expect(output).toMatch(usage);
    expect(output).toMatch(/\n {2}--help +show this help and exit\n/);
    expect(output).not.toMatch(/cannot reach|starting the local one/);
  });

  it('npm start --help lists every configuration key with its format and default', async () => {
    const { output } = await finished('start.ts', ['--help']);
    expect(output).toContain('  window.maxRecords: a whole number >= 1; default 500\n');
    expect(output).toContain('  kafka.brokers: a comma-separated list of host:port');
  });

  it.each([
    [['--bogus'], /^streamtrain: unknown option --bogus; known: --config, --instance \(usage: npm start -- \[--config FILE\] \[--instance N\]; --help for more\)$/m],
    [['prod.json'], /^streamtrain: unexpected argument 'prod\.json'; options start with -- /m],
    [['--config'], /^streamtrain: --config needs a value/m],
    [['--instance', 'one'], /^streamtrain: --instance must be a whole number >= 0, got 'one'$/m],
  ])('npm start %j is refused with a line naming the argument', async (args, message) => {
    const { code, output } = await finished('start.ts', args);
    expect(code).toBe(1);
    expect(output).toMatch(message);
  });
});

describe('the local broker scripts', () => {
  it.each(['start.sh', 'stop.sh'])('kafka/%s --help prints what it does and the variables it reads; an argument is refused, nothing started', (script) => {
    const help = spawnSync('bash', [path.join(PROJECT_ROOT, 'kafka', script), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/KAFKA_PORT/);
    const stray = spawnSync('bash', [path.join(PROJECT_ROOT, 'kafka', script), '--port', '1234'], { encoding: 'utf8', env: { ...process.env, KAFKA_PORT: '39999' } });
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain(`kafka/${script} takes no arguments (got '--port'); it reads the environment, e.g. KAFKA_PORT=19092`);
    expect(stray.stdout).toBe('');
  });
});

describe('messages that say what is really wrong', () => {
  it('npm start against a port where nothing listens: the command that starts a broker on that very port', async () => {
    const { code, output } = await finished('start.ts', [], { KAFKA_BROKERS: '127.0.0.1:39999' });
    expect(code).toBe(1);
    expect(output).toMatch(/config: defaults \(no --config FILE given\), then the environment/);
    expect(output).toMatch(/streamtrain: cannot reach Kafka at 127\.0\.0\.1:39999: nothing listens there \(connection refused\)\. Start the project's local broker on that port with `KAFKA_PORT=39999 npm run kafka:start`/);
  });

  it('the producer against an unreachable broker says so, not that it lacks permissions', async () => {
    const { code, output } = await finished('produce.ts', ['--limit', '5'], { KAFKA_BROKERS: '127.0.0.1:39999' });
    expect(code).toBe(1);
    expect(output).toMatch(/produce: cannot reach Kafka at 127\.0\.0\.1:39999/);
    expect(output).not.toMatch(/principal|right to create topics/);
  });

  it('several config problems: one a line, and a pointer a user can follow', async () => {
    const file = configFile({ window: { maxRecords: -1, maxMss: 3 }, model: { backend: 'gpu' } });
    const { code, output } = await finished('start.ts', ['--config', file]);
    expect(code).toBe(1);
    const lines = output.split('\n');
    const first = lines.findIndex((l) => l.startsWith('streamtrain: invalid configuration'));
    expect(lines.slice(first, first + 5)).toEqual([
      `streamtrain: invalid configuration (${file}):`,
      '  window.maxRecords = -1: expected a whole number >= 1',
      '  model.backend = "gpu": expected one of "auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"',
      '  window.maxMss = 3: unknown key; did you mean window.maxMs? remove it or fix its spelling (the keys of window are maxRecords, maxMs)',
      'Fix these keys in the config file or the environment; `npm start -- --help` lists every key with its format and default.',
    ]);
    expect(output).not.toMatch(/describeConfig/);
  });
});

describe('quiet gaps in the log', () => {
  it('npm start on an empty topic says once that it waits; bad records name the dead-letter topic once', async () => {
    const config = testConfig();
    const file = configFile(config);
    const app = runCli('start.ts', ['--config', file]);
    try {
      await waitFor('the waiting line', () => app.output().includes(`no new records on ${config.topics.source}: waiting for records`));
      expect(app.output()).toContain(`config: ${file}`);
      // A client that is not ours writes two records that are not MNIST.
      execFileSync('kcat', ['-b', brokers(), '-P', '-t', config.topics.source, '-K', ':'], { input: 'a:not an image\nb:nor this\n' });
      await produceMnist({ brokers: brokers(), topic: config.topics.source, set: 'test', delayMs: 0, limit: 100, epochs: 1 });
      await waitFor('the window', () => /window +0 \| +100 records \+2 rejected/.test(app.output()));
      const told = app.output().split('\n').filter((l) => l.includes(`go to topic ${config.topics.deadLetter}`));
      expect(told).toHaveLength(1);
      expect(told[0]).toMatch(/with the reason in headers streamtrain\.error\.code and streamtrain\.error \(first: .*@0, bad-length\)/);
      expect(app.output()).toMatch(/window +0 \| .* \| arrival \d+ rec\/s \| train \d+ rec\/s \| offsets 0:0-101 \|/);
      expect(app.output().split('\n').filter((l) => l.includes('waiting for records'))).toHaveLength(1);

      // kcat shows the dead-letter headers; the reason holds neither ", " nor ":".
      const dlq = execFileSync('kcat', ['-b', brokers(), '-C', '-t', config.topics.deadLetter, '-e', '-X', 'isolation.level=read_committed', '-f', '%h\n'], { encoding: 'utf8' });
      const [headers] = dlq.split('\n');
      const reason = /streamtrain\.error=([^,]*)/.exec(headers ?? '')?.[1] ?? '';
      expect(reason).toMatch(/^value has 12 bytes; expected/);
      expect(reason).not.toMatch(/, |:/);
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    }
  });
});
