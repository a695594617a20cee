import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { CONFIG_DIR, configFileOf, describeConfigSource, loadConfig, resolveConfigPath } from '../../../config';
import { configError, tempConfig } from './helpers';

describe('choosing the config file', () => {
  it('resolves a bare name under config/, whatever the working directory', () => {
    expect(resolveConfigPath('prod.json', '/somewhere/else')).toBe(path.join(CONFIG_DIR, 'prod.json'));
    expect(resolveConfigPath('prod', '/somewhere/else')).toBe(path.join(CONFIG_DIR, 'prod.json'));
    expect(CONFIG_DIR).toBe(path.resolve(__dirname, '../../../config'));
  });

  it('reads a bare name from the working directory first, when the file is there', () => {
    const here = path.dirname(tempConfig('{}', 'prod.json'));
    expect(resolveConfigPath('prod.json', here)).toBe(path.join(here, 'prod.json'));
    expect(resolveConfigPath('seed.json', here)).toBe(path.join(CONFIG_DIR, 'seed.json')); // not there: config/
    mkdirSync(path.join(here, 'test.json')); // a folder is not a config file
    expect(resolveConfigPath('test.json', here)).toBe(path.join(CONFIG_DIR, 'test.json'));
  });

  it('says which file a configuration comes from, or that it is the defaults', () => {
    expect(configFileOf({ argv: [] })).toBeUndefined();
    expect(describeConfigSource(configFileOf({ argv: [] }))).toBe('config: defaults (no --config FILE given), then the environment');
    expect(describeConfigSource(configFileOf({ argv: ['--config', 'seed.json'] }))).toBe(`config: ${path.join(CONFIG_DIR, 'seed.json')}`);
    expect(configFileOf({ argv: [], file: 'demo.json' })).toBe(path.join(CONFIG_DIR, 'demo.json'));
  });

  it('resolves a name with a slash from the working directory', () => {
    expect(resolveConfigPath('./local/my.json', '/work')).toBe('/work/local/my.json');
    expect(resolveConfigPath('/etc/streamtrain.json', '/work')).toBe('/etc/streamtrain.json');
  });

  it('reads --config prod.json from argv', () => {
    const config = loadConfig({ env: {}, argv: ['--config', 'prod.json'] });
    expect(config.model).toMatchObject({ optimizer: 'adam', learningRate: 0.003, backend: 'auto' });
    expect(config.window).toEqual({ maxRecords: 500, maxMs: 5000 });
    expect(config.evaluation).toEqual({ holdoutSize: 1000, everyWindows: 10 });
    expect(config.kafka.brokers).toBe('127.0.0.1:9092');
  });

  it('accepts --config=FILE and lets argv win over options.file', () => {
    const config = loadConfig({ env: {}, argv: ['--config=test.json'], file: 'seed.json' });
    expect(config.window.maxRecords).toBe(100);
  });

  it('reads a file given by path', () => {
    const file = tempConfig('{ "window": { "maxRecords": 7 } }');
    expect(loadConfig({ env: {}, argv: ['--config', file] }).window.maxRecords).toBe(7);
  });

  it('ships test.json: small windows, the fastest backend installed, a commit every window', () => {
    const config = loadConfig({ env: {}, file: 'test.json' });
    expect(config.window).toEqual({ maxRecords: 100, maxMs: 0 });
    expect(config.model).toMatchObject({ optimizer: 'adam', learningRate: 0.002, backend: 'auto' });
    expect(config.evaluation).toEqual({ holdoutSize: 500, everyWindows: 10 });
    expect(config.commit.everyWindows).toBe(1);
  });

  it('ships seed.json, which reproduces the reference', () => {
    const config = loadConfig({ env: {}, file: 'seed.json' });
    expect(config.model).toMatchObject({ optimizer: 'sgd', learningRate: 0.01, l2: 1e-4, seed: 1234, batchSize: null });
    expect(config.window).toEqual({ maxRecords: 500, maxMs: 1000 });
    expect(config.evaluation).toEqual({ holdoutSize: 10000, everyWindows: 1 });
  });
});

describe('a config file that cannot be read', () => {
  it('names a missing file and where bare names are looked up', () => {
    const error = configError(() => loadConfig({ env: {}, argv: ['--config', 'prod.jsn'] }));
    expect(error.reason).toBe('file-not-found');
    expect(error.file).toBe(path.join(CONFIG_DIR, 'prod.jsn'));
    expect(error.message).toContain(`config file ${path.join(CONFIG_DIR, 'prod.jsn')} (from "prod.jsn") does not exist`);
    expect(error.message).toMatch(/prod\.json/);
    expect(error.message).toMatch(/fix the name or create the file$/);
  });

  it('names a file that is not JSON and says how to fix it', () => {
    const file = tempConfig('{ "window": { "maxRecords": 7, } }');
    const error = configError(() => loadConfig({ env: {}, file }));
    expect(error.reason).toBe('file-unparsable');
    expect(error.file).toBe(file);
    expect(error.message).toContain(`config file ${file} is not valid JSON (`);
    expect(error.message).toMatch(/fix its syntax \(JSON has no comments or trailing commas\)$/);
  });

  it('refuses JSON that is not an object', () => {
    const error = configError(() => loadConfig({ env: {}, file: tempConfig('[1, 2]') }));
    expect(error.message).toMatch(/holds an array, not an object of settings/);
  });

  it('refuses --config without a file name', () => {
    expect(configError(() => loadConfig({ argv: ['--config'] })).reason).toBe('bad-arguments');
    expect(configError(() => loadConfig({ argv: ['--config', '--verbose'] })).reason).toBe('bad-arguments');
  });
});
