import { loadConfig, type DeepPartial, type AppConfig } from '../../../config';
import { configError, tempConfig } from './helpers';

// Bad values a user can write in a JSON file; the types forbid them in code, hence the cast.
function withOverrides(overrides: unknown): () => unknown {
  return () => loadConfig({ env: {}, overrides: overrides as DeepPartial<AppConfig> });
}

describe('invalid values are ConfigErrors naming the key, the value and the expectation', () => {
  it('a negative window.maxRecords', () => {
    const error = configError(withOverrides({ window: { maxRecords: -1 } }));
    expect(error.reason).toBe('invalid-values');
    expect(error.problems).toEqual([
      { kind: 'invalid', key: 'window.maxRecords', value: -1, expected: 'a whole number >= 1' },
    ]);
    expect(error.message).toContain('  window.maxRecords = -1: expected a whole number >= 1');
    expect(error.message).toMatch(/Fix this key in the config file or the environment; `npm start -- --help` lists every key with its format and default\.$/);
    expect(error.message).not.toMatch(/describeConfig/); // a function a user cannot call
  });

  it('model.backend "gpu"', () => {
    const error = configError(withOverrides({ model: { backend: 'gpu' } }));
    expect(error.message).toContain(
      'model.backend = "gpu": expected one of "auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"',
    );
  });

  it('model.learningRate 0 (a falsy value is still shown)', () => {
    const error = configError(withOverrides({ model: { learningRate: 0 } }));
    expect(error.message).toContain('model.learningRate = 0: expected a number > 0');
  });

  it('an unknown key in a file, with a guess at the one meant', () => {
    const file = tempConfig('{ "window": { "maxRecord": 100 } }');
    const error = configError(() => loadConfig({ env: {}, file }));
    expect(error.file).toBe(file);
    expect(error.problems[0]).toMatchObject({ kind: 'unknown-key', key: 'window.maxRecord', value: 100 });
    expect(error.message).toContain(`invalid configuration (${file}):`);
    expect(error.message).toContain('window.maxRecord = 100: unknown key; did you mean window.maxRecords? remove it or fix its spelling (the keys of window are maxRecords, maxMs)');
  });

  it('an unknown section', () => {
    const error = configError(withOverrides({ modle: { seed: 1 } }));
    expect(error.message).toMatch(/modle\.seed = 1: unknown key/);
  });

  it('a number written as a string is not silently converted', () => {
    const file = tempConfig('{ "window": { "maxRecords": "500" }, "model": { "batchSize": "32" } }');
    const error = configError(() => loadConfig({ env: {}, file }));
    expect(error.message).toContain('window.maxRecords = "500": expected a whole number >= 1');
    expect(error.message).toContain('model.batchSize = "32": expected null or a whole number >= 1');
  });

  it('an invalid KAFKA_BROKERS says it came from the environment', () => {
    const error = configError(() => loadConfig({ env: { KAFKA_BROKERS: 'no port here' } }));
    expect(error.message).toContain('kafka.brokers = "no port here" (from env KAFKA_BROKERS): expected a comma-separated list of host:port');
  });

  it('a section replaced by a plain value', () => {
    const file = tempConfig('{ "log": "debug" }');
    const error = configError(() => loadConfig({ env: {}, file }));
    expect(error.message).toContain('log.level is missing: expected log to be an object of settings (it holds "debug")');
  });

  it('librdkafka settings that are not strings, numbers or booleans', () => {
    const file = tempConfig('{ "kafka": { "consumer": { "fetch.wait.max.ms": { "ms": 5 } }, "producer": [1] } }');
    const error = configError(() => loadConfig({ env: {}, file }));
    expect(error.message).toContain(
      'kafka.consumer["fetch.wait.max.ms"] = {"ms":5}: expected a string, number or boolean (one librdkafka setting)',
    );
    expect(error.message).toContain('kafka.producer = [1]: expected an object of librdkafka settings');
  });

  it('every problem at once, one line each', () => {
    const error = configError(
      withOverrides({
        window: { maxRecords: -1 },
        model: { backend: 'gpu', learningRate: 0, classes: 300, batchSize: 0 },
        evaluation: { holdoutSize: 10001 },
        processing: { guarantee: 'twice' },
        bogus: true,
      }),
    );
    expect(error.problems.map((p) => p.key).sort()).toEqual(
      [
        'bogus',
        'evaluation.holdoutSize',
        'model.backend',
        'model.batchSize',
        'model.classes',
        'model.learningRate',
        'processing.guarantee',
        'window.maxRecords',
      ].sort(),
    );
    expect(error.message.split('\n')).toHaveLength(error.problems.length + 2);
  });
});
