/**
 * The value formats of the config schema, registered with convict by name. Each one states
 * what it expects in words; that sentence is convict's error message, which `problems.ts`
 * turns into "key = value: expected ...", and the Format column of `describeConfig()`.
 *
 * None has a convict `coerce`: with a named format and no coerce, convict leaves a file's
 * "500" a string, so it is reported instead of silently read as 500 (or "5x" as 5).
 */
import convict from 'convict';

import type { LibrdkafkaSettings } from './types';

export interface Check<T> {
  /** Convict format name; prefixed because convict's format registry is global. */
  readonly name: string;
  readonly expects: string;
  readonly test: (value: unknown) => value is T;
}

function check<T>(name: string, expects: string, test: (value: unknown) => value is T): Check<T> {
  return { name: `streamtrain-${name}`, expects, test };
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

// Kafka's own rule for topic names; an app id is part of topic names and transactional ids.
const NAME_CHARS = /^[A-Za-z0-9._-]+$/;
const isName = (max: number) => (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max && NAME_CHARS.test(value) &&
  value !== '.' && value !== '..';

const HOST_PORT = /^[^\s:,]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/;

function oneOf<T extends string>(name: string, values: readonly T[]): Check<T> {
  const listed = values.map((v) => JSON.stringify(v)).join(', ');
  return check(name, `one of ${listed}`, (value: unknown): value is T =>
    typeof value === 'string' && (values as readonly string[]).includes(value),
  );
}

export const checks = {
  appId: check('app-id', 'an id of 1-200 characters from A-Z a-z 0-9 . _ -', isName(200)),
  topic: check('topic', 'a Kafka topic name of 1-249 characters from A-Z a-z 0-9 . _ -', isName(249)),
  topicOrEmpty: check(
    'topic-or-empty',
    'a Kafka topic name of 1-249 characters from A-Z a-z 0-9 . _ -, or "" for the default',
    (value: unknown): value is string => value === '' || isName(249)(value),
  ),
  brokers: check(
    'brokers',
    'a comma-separated list of host:port, e.g. "127.0.0.1:9092,broker2:9092"',
    (value: unknown): value is string =>
      typeof value === 'string' && value.split(',').every((entry) => HOST_PORT.test(entry.trim())),
  ),
  string: check('string', 'a string', (value: unknown): value is string => typeof value === 'string'),
  bool: check('bool', 'true or false', (value: unknown): value is boolean => typeof value === 'boolean'),
  port: check(
    'port',
    'a port number in 0..65535 (0 = any free port)',
    (value: unknown): value is number => isInteger(value) && value >= 0 && value <= 65535,
  ),
  host: check(
    'host',
    'a host name or IP address to listen on, e.g. "127.0.0.1", "::1" or "0.0.0.0"',
    (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9.:_-]{1,253}$/.test(value),
  ),
  int: check('int', 'a whole number', isInteger),
  nat: check('nat', 'a whole number >= 0', (value: unknown): value is number => isInteger(value) && value >= 0),
  positiveInt: check(
    'positive-int',
    'a whole number >= 1',
    (value: unknown): value is number => isInteger(value) && value >= 1,
  ),
  nullablePositiveInt: check(
    'nullable-positive-int',
    'null or a whole number >= 1',
    (value: unknown): value is number | null => value === null || (isInteger(value) && value >= 1),
  ),
  positiveNumber: check(
    'positive-number',
    'a number > 0',
    (value: unknown): value is number => isFinite(value) && value > 0,
  ),
  nonNegativeNumber: check(
    'non-negative-number',
    'a number >= 0',
    (value: unknown): value is number => isFinite(value) && value >= 0,
  ),
  probability: check(
    'probability',
    'a number between 0 and 1, both excluded',
    (value: unknown): value is number => isFinite(value) && value > 0 && value < 1,
  ),
  holdoutSize: check(
    'holdout-size',
    'a whole number in 0..10000 (the MNIST test set has 10000 images)',
    (value: unknown): value is number => isInteger(value) && value >= 0 && value <= 10000,
  ),
  classes: check(
    'classes',
    'a whole number in 2..256 (a label is one byte)',
    (value: unknown): value is number => isInteger(value) && value >= 2 && value <= 256,
  ),
  librdkafka: check(
    'librdkafka-settings',
    'an object of librdkafka settings whose values are strings, numbers or booleans',
    isLibrdkafkaSettings,
  ),
  oneOf,
} as const;

/** A librdkafka setting's value: what node-rdkafka accepts for one key. */
export function isLibrdkafkaValue(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || isFinite(value);
}

function isLibrdkafkaSettings(value: unknown): value is LibrdkafkaSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  return Object.values(value).every(isLibrdkafkaValue);
}

// Format name -> what it expects, for the docs and error messages.
const registered = new Map<string, string>();

/** Makes a check known to convict (once per process: the registry is global). */
export function register<T>(c: Check<T>): string {
  if (!registered.has(c.name)) {
    convict.addFormat({
      name: c.name,
      validate: (value: unknown): void => {
        if (!c.test(value)) {
          throw new Error(c.expects);
        }
      },
    });
    registered.set(c.name, c.expects);
  }
  return c.name;
}

/** What a registered format expects, in words; the name itself if it is not one of ours. */
export function expectsOf(formatName: string): string {
  return registered.get(formatName) ?? formatName;
}
