/**
 * kafka.consumer and kafka.producer hold librdkafka settings under dotted names
 * ("fetch.wait.max.ms"). Convict's validation splits keys on dots and fails on those
 * ("cannot find configuration param"), so these two objects are taken out before convict
 * sees a source, checked here, and put back into the loaded configuration.
 */
import { checks, isLibrdkafkaValue } from './checks';
import type { ConfigProblem } from './errors';
import type { LibrdkafkaSettings, LibrdkafkaValue } from './types';

export const PASSTHROUGH_SECTIONS = ['consumer', 'producer'] as const;
export type PassthroughSection = (typeof PASSTHROUGH_SECTIONS)[number];

export interface SplitSource {
  /** The source without kafka.consumer / kafka.producer. */
  readonly rest: unknown;
  readonly passthrough: Readonly<Partial<Record<PassthroughSection, unknown>>>;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Copies `source` without the passthrough objects (the input is left as it is). */
export function splitPassthrough(source: unknown): SplitSource {
  if (!isPlainObject(source) || !isPlainObject(source['kafka'])) {
    return { rest: source, passthrough: {} };
  }
  const kafka: Record<string, unknown> = { ...source['kafka'] };
  const passthrough: Partial<Record<PassthroughSection, unknown>> = {};
  for (const section of PASSTHROUGH_SECTIONS) {
    if (section in kafka) {
      passthrough[section] = kafka[section];
      delete kafka[section];
    }
  }
  return { rest: { ...source, kafka }, passthrough };
}

/**
 * Merges one section from its sources, later ones winning per setting, and reports values
 * that are not settings. `undefined` sources are skipped.
 */
export function mergePassthrough(
  section: PassthroughSection,
  sources: readonly unknown[],
  problems: ConfigProblem[],
): LibrdkafkaSettings {
  const key = `kafka.${section}`;
  const merged: Record<string, LibrdkafkaValue> = {};
  for (const source of sources) {
    if (source === undefined) {
      continue;
    }
    if (!isPlainObject(source)) {
      problems.push({ kind: 'invalid', key, value: source, expected: checks.librdkafka.expects });
      continue;
    }
    for (const [name, value] of Object.entries(source)) {
      if (value === undefined) {
        continue;
      }
      if (isLibrdkafkaValue(value)) {
        merged[name] = value;
      } else {
        problems.push({
          kind: 'invalid',
          key: `${key}[${JSON.stringify(name)}]`,
          value,
          expected: 'a string, number or boolean (one librdkafka setting)',
        });
      }
    }
  }
  return merged;
}
