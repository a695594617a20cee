import type { MetricsRecord } from '../protocol';

/**
 * The page keeps a history a (model, instance): several instances of one app train a replica
 * each and number their windows each from 0, so each replica gets a curve of its own. Records
 * from before instances carry none: they were instance 0's.
 */
export function historyKey(model: string, metrics: MetricsRecord): string {
  return `${model}\n${metrics.instance ?? 0}`;
}

/** The model (app id) of a history: what the server knows it by. */
export function modelOf(key: string): string {
  return key.split('\n')[0] ?? key;
}

/** What the menu shows: the model's name, and the instance when the model has more than one. */
export function historyLabel(key: string, keys: readonly string[]): string {
  const [model = key, instance = '0'] = key.split('\n');
  const instances = keys.filter((k) => modelOf(k) === model).length;
  return instances > 1 ? `${model} · instance ${instance}` : model;
}
