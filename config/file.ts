/** Finding and reading the JSON config file named by `--config FILE` or `loadConfig({ file })`. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { ConfigError } from './errors';

/** The folder of the shipped config files (default, prod, test, seed); this file sits in it. */
export const CONFIG_DIR = path.resolve(__dirname);

/** The value of the last `--config FILE` or `--config=FILE` in argv, if any. */
export function configPathFromArgv(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--config=')) {
      found = arg.slice('--config='.length);
    } else if (arg === '--config') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new ConfigError('bad-arguments', '"--config" needs a file name after it; pass e.g. --config prod.json');
      }
      found = next;
      i += 1;
    }
  }
  if (found === '') {
    throw new ConfigError('bad-arguments', '"--config=" names no file; pass e.g. --config=prod.json');
  }
  return found;
}

/**
 * The user's working directory. `npm start` and `npm run` run their script in the project's
 * folder, whatever folder the user typed the command in; npm keeps that one in INIT_CWD.
 */
export function userWorkingDirectory(): string {
  return process.env.INIT_CWD || process.cwd();
}

/**
 * A bare name ("prod.json", or "prod") is the working directory's file when there is one, else
 * one of the project's files in config/; a name with a slash is a path from the working directory.
 */
export function resolveConfigPath(name: string, cwd: string = userWorkingDirectory()): string {
  if (name.includes('/') || name.includes(path.sep)) {
    return path.resolve(cwd, name);
  }
  const here = path.resolve(cwd, name);
  if (isFile(here)) return here;
  return path.resolve(CONFIG_DIR, path.extname(name) === '' ? `${name}.json` : name);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Reads a config file as a JSON object, or throws a ConfigError that names the file. */
export function readConfigFile(file: string, requested: string): Record<string, unknown> {
  if (!existsSync(file)) {
    throw new ConfigError(
      'file-not-found',
      `config file ${file} (from "${requested}") does not exist; a bare name is read from the working directory ` +
        `when the file is there, else from ${CONFIG_DIR} (${shippedFiles()}); a name with a slash is a path ` +
        'from the working directory: fix the name or create the file',
      { file },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(
      'file-unparsable',
      `config file ${file} is not valid JSON (${detail}); fix its syntax (JSON has no comments or trailing commas)`,
      { file, cause },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const got = Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed);
    throw new ConfigError(
      'file-unparsable',
      `config file ${file} holds ${got}, not an object of settings; write the keys inside one JSON object {...}`,
      { file },
    );
  }
  return { ...parsed };
}

function shippedFiles(): string {
  try {
    return readdirSync(CONFIG_DIR)
      .filter((name) => name.endsWith('.json'))
      .join(', ');
  } catch {
    return 'none found';
  }
}
