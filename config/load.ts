/**
 * Loads the configuration. Precedence, lowest first:
 *   1. the schema's defaults (schema.ts)
 *   2. the JSON file of `--config FILE` in argv, else `options.file`
 *   3. the environment (KAFKA_BROKERS, STREAMTRAIN_APP_ID; an empty variable counts as unset)
 *   4. `options.overrides` (what a program or test sets explicitly wins)
 * then validates strictly: an unknown key is an error, like a bad value. The result is frozen.
 */
import convict from 'convict';

import { ConfigError, type ConfigProblem } from './errors';
import { configPathFromArgv, readConfigFile, resolveConfigPath } from './file';
import { PASSTHROUGH_SECTIONS, isPlainObject, mergePassthrough, splitPassthrough } from './passthrough';
import { formatProblem, problemsFromConvict } from './problems';
import { schema, settings } from './schema';
import { syncScheduleProblems } from './sync-schedule';
import { transactionTimeoutProblems } from './transaction-timeout';
import type { AppConfig, DeepPartial, KafkaSection } from './types';

export interface LoadConfigOptions {
  /**
   * Command-line arguments to look for `--config FILE` in; other arguments are ignored. No
   * default: entry points pass `process.argv.slice(2)` (a test runner's own --config must not
   * be taken for ours).
   */
  readonly argv?: readonly string[];
  /** Environment to read; defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Config file used when argv names none: a bare name from config/, or a path with a slash. */
  readonly file?: string;
  readonly overrides?: DeepPartial<AppConfig>;
}

// Keys that are sections (app, kafka, ...), as opposed to settings: overrides recurse into them.
const SECTIONS = new Set(
  settings().flatMap((info) => info.key.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))),
);

/** The absolute path of the config file loadConfig reads with these options; undefined: none (defaults). */
export function configFileOf(options: Pick<LoadConfigOptions, 'argv' | 'file'> = {}): string | undefined {
  const requested = configPathFromArgv(options.argv ?? []) ?? options.file;
  return requested === undefined ? undefined : resolveConfigPath(requested);
}

/** For the log: which file a configuration came from, or "defaults". */
export function describeConfigSource(file: string | undefined): string {
  return file === undefined ? 'config: defaults (no --config FILE given), then the environment' : `config: ${file}`;
}

export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = withoutEmpty(options.env ?? process.env);
  const requested = configPathFromArgv(options.argv ?? []) ?? options.file;
  const file = configFileOf(options);
  const fromFile = splitPassthrough(file === undefined ? {} : readConfigFile(file, requested ?? file));
  const fromOverrides = splitPassthrough(options.overrides ?? {});

  // args: [] keeps convict from reading process.argv; the schema declares no `arg` anyway.
  const config = convict<AppConfig>(schema, { env, args: [] });
  config.load(fromFile.rest);
  const overridden = new Set<string>();
  applyOverrides(config, fromOverrides.rest, '', overridden);

  const problems: ConfigProblem[] = [];
  try {
    config.validate({ allowed: 'strict' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const context = { instance: config.getProperties(), envSources: envSources(env, overridden) };
    problems.push(...problemsFromConvict(message, context));
  }
  const [consumer, producer] = PASSTHROUGH_SECTIONS.map((section) =>
    mergePassthrough(section, [fromFile.passthrough[section], fromOverrides.passthrough[section]], problems),
  );
  if (problems.length === 0) {
    problems.push(...transactionTimeoutProblems(config.getProperties(), producer ?? {}));
    problems.push(...syncScheduleProblems(config.getProperties()));
  }
  if (problems.length > 0) {
    throw invalid(problems, file);
  }
  const loaded = config.getProperties();
  const kafka: KafkaSection = { ...loaded.kafka, consumer: consumer ?? {}, producer: producer ?? {} };
  const changelog = loaded.topics.changelog === '' ? `${loaded.app.id}-trainer-changelog` : loaded.topics.changelog;
  return deepFreeze({ ...loaded, kafka, topics: { ...loaded.topics, changelog } });
}

/** Sets each override on its own key, so an override of one key keeps its siblings. */
function applyOverrides(config: convict.Config<AppConfig>, source: unknown, prefix: string, done: Set<string>): void {
  if (!isPlainObject(source)) {
    return;
  }
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) {
      continue;
    }
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (SECTIONS.has(key) && isPlainObject(value)) {
      applyOverrides(config, value, key, done);
    } else {
      // Unknown keys are set too, so that strict validation reports them.
      config.set(key, value);
      done.add(key);
    }
  }
}

function envSources(env: NodeJS.ProcessEnv, overridden: ReadonlySet<string>): Map<string, string> {
  const sources = new Map<string, string>();
  for (const info of settings()) {
    if (info.env !== undefined && env[info.env] !== undefined && !overridden.has(info.key)) {
      sources.set(info.key, info.env);
    }
  }
  return sources;
}

function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

function invalid(problems: readonly ConfigProblem[], file: string | undefined): ConfigError {
  const from = file === undefined ? 'defaults, environment and overrides' : file;
  const lines = problems.map((problem) => `  ${formatProblem(problem)}`);
  return new ConfigError(
    'invalid-values',
    [
      `invalid configuration (${from}):`,
      ...lines,
      `Fix ${problems.length === 1 ? 'this key' : 'these keys'} in the config file or the environment; \`npm start -- --help\` lists every key with its format and default.`,
    ].join('\n'),
    { problems, ...(file === undefined ? {} : { file }) },
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}

// load.ts is where callers look first; the key reference and the types are here too.
export { describeConfig } from './describe';
export type { AppConfig, DeepPartial } from './types';
