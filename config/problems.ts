/**
 * Turns convict's validation error (one line per problem, in three phrasings) into typed
 * problems and one clear line each: the key, the value it held and what was expected.
 * Convict's own text omits falsy values ("value was" is missing for 0), so values are read
 * back from the loaded instance instead.
 */
import type { ConfigProblem } from './errors';
import { settings } from './schema';

const UNDECLARED = /^configuration param '(.+)' not declared in the schema$/;
const MISSING = /^configuration param '(.+)' missing from config, did you override its parent\?$/;
// "key: <what our check expects>[: value was <json>]"; keys hold no ':'.
const INVALID = /^([^:\s]+): (.*?)(?:: value was .*)?$/;

export interface ProblemContext {
  /** The merged configuration as convict holds it. */
  readonly instance: unknown;
  /** Keys whose value came from the environment, with the variable's name. */
  readonly envSources: ReadonlyMap<string, string>;
}

export function problemsFromConvict(message: string, context: ProblemContext): ConfigProblem[] {
  return message
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => problemFromLine(line, context));
}

function problemFromLine(line: string, context: ProblemContext): ConfigProblem {
  const undeclared = UNDECLARED.exec(line);
  if (undeclared !== null) {
    const key = undeclared[1] ?? '';
    return { kind: 'unknown-key', key, value: valueAt(context.instance, key), expected: unknownKeyHint(key) };
  }
  const missing = MISSING.exec(line);
  if (missing !== null) {
    const key = missing[1] ?? '';
    const parent = key.split('.').slice(0, -1).join('.');
    return {
      kind: 'missing',
      key,
      value: undefined,
      expected: `${parent} to be an object of settings (it holds ${show(valueAt(context.instance, parent))})`,
    };
  }
  const invalid = INVALID.exec(line);
  const key = invalid?.[1] ?? '(unknown key)';
  const source = context.envSources.get(key);
  return {
    kind: 'invalid',
    key,
    value: valueAt(context.instance, key),
    expected: invalid?.[2] ?? line,
    ...(source === undefined ? {} : { source: `env ${source}` }),
  };
}

/** One line per problem, as the ConfigError message shows them. */
export function formatProblem(problem: ConfigProblem): string {
  const from = problem.source === undefined ? '' : ` (from ${problem.source})`;
  switch (problem.kind) {
    case 'unknown-key':
      return `${problem.key} = ${show(problem.value)}: unknown key; ${problem.expected}`;
    case 'missing':
      return `${problem.key} is missing: expected ${problem.expected}`;
    case 'invalid':
      return `${problem.key} = ${show(problem.value)}${from}: expected ${problem.expected}`;
  }
}

/** JSON-ish rendering of a value, cut short so a huge value does not flood the message. */
export function show(value: unknown): string {
  // JSON.stringify would show NaN and Infinity as null.
  const text = value === undefined || typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(instance: unknown, key: string): unknown {
  let node: unknown = instance;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function unknownKeyHint(key: string): string {
  const known = settings().map((info) => info.key);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const guess = best !== undefined && bestDistance <= 3 ? `did you mean ${best}? ` : '';
  const section = key.includes('.') ? key.split('.').slice(0, -1).join('.') : '';
  const siblings = known.filter((k) => section !== '' && k.startsWith(`${section}.`)).map((k) => k.slice(section.length + 1));
  const where = siblings.length > 0 ? `the keys of ${section} are ${siblings.join(', ')}` : '`npm start -- --help` lists every key';
  return `${guess}remove it or fix its spelling (${where})`;
}

/** Levenshtein distance, to suggest the key a typo meant. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
