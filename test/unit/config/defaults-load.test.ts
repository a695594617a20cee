import { describeConfig, loadConfig, settings } from '../../../config';

describe('loading with no file', () => {
  const config = loadConfig({ env: {} });

  it('gives the schema defaults', () => {
    expect(config.app).toEqual({ id: 'streamtrain-mnist', instance: 0 });
    expect(config.kafka).toEqual({
      brokers: '127.0.0.1:9092',
      consumer: {},
      producer: {},
      partitions: 1,
      replicationFactor: 1,
    });
    expect(config.topics).toEqual({
      source: 'mnist',
      metrics: 'mnist-metrics',
      deadLetter: 'mnist-dlq',
      changelog: 'streamtrain-mnist-trainer-changelog',
    });
    expect(config.window).toEqual({ maxRecords: 500, maxMs: 5000 });
    expect(config.model).toEqual({
      backend: 'auto',
      architecture: 'cnn',
      optimizer: 'adam',
      learningRate: 0.003,
      l2: 1e-4,
      seed: 1234,
      batchSize: 200,
      classes: 10,
      imageSize: 28,
      exportDir: '',
    });
    expect(config.training).toEqual({
      epochs: 2,
      replaySize: 10000,
      replayRatio: 0.5,
      replayPolicy: 'reservoir',
      warmupRecords: 2000,
      decay: 'exponential',
      halfLifeRecords: 15000,
    });
    expect(config.drift).toEqual({ detector: 'adwin', delta: 0.002, reaction: 'none', boostFactor: 3, boostRecords: 5000 });
    expect(config.evaluation).toEqual({ holdoutSize: 1000, everyWindows: 10 });
    expect(config.commit).toEqual({ intervalMs: 5000, everyWindows: 0 });
    expect(config.processing).toEqual({ guarantee: 'exactly_once' });
    expect(config.log).toEqual({ level: 'info' });
  });

  it('is frozen all the way down', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.model)).toBe(true);
    expect(Object.isFrozen(config.kafka.consumer)).toBe(true);
  });

  it('config/default.json spells out exactly the defaults', () => {
    expect(loadConfig({ env: {}, file: 'default.json' })).toEqual(config);
  });

  it('names the changelog after the app id unless it is set', () => {
    expect(loadConfig({ env: {}, overrides: { app: { id: 'other' } } }).topics.changelog).toBe(
      'other-trainer-changelog',
    );
    expect(loadConfig({ env: {}, overrides: { topics: { changelog: 'mine' } } }).topics.changelog).toBe('mine');
  });

  it('ignores argv other than --config (a default argv is not read from the process)', () => {
    expect(loadConfig({ env: {}, argv: ['--verbose', 'x'] })).toEqual(config);
  });
});

describe('describeConfig', () => {
  it('renders every key with its doc, default and env as a Markdown table', () => {
    const markdown = describeConfig();
    expect(markdown).toContain('| Key | Meaning | Format | Default | Env |');
    for (const info of settings()) {
      expect(markdown).toContain(`| \`${info.key}\` | ${info.doc.replace(/\|/g, '\\|')} |`);
    }
    expect(markdown).toMatch(/\| `kafka\.brokers` \|.*\| `"127\.0\.0\.1:9092"` \| `KAFKA_BROKERS` \|/);
    expect(markdown).toMatch(/\| `app\.id` \|.*\| `STREAMTRAIN_APP_ID` \|/);
  });

  it('documents every key with a doc and a format', () => {
    expect(settings().length).toBeGreaterThanOrEqual(28);
    for (const info of settings()) {
      expect(info.doc).not.toBe('');
      expect(info.expects).not.toMatch(/^streamtrain-/);
    }
  });
});
