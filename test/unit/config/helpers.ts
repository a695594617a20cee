import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ConfigError } from '../../../config';

/** Writes a config file in a fresh temp folder and returns its absolute path. */
export function tempConfig(contents: string, name = 'config.json'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'streamtrain-config-'));
  const file = path.join(dir, name);
  writeFileSync(file, contents);
  return file;
}

/** Runs `load`, expects a ConfigError and returns it. */
export function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).name).toBe('ConfigError');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}
