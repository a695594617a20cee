/**
 * A rule between two keys: a transaction lasts about one commit interval (plus one window's
 * training), and the broker aborts a transaction older than the producer's
 * transaction.timeout.ms, fencing the producer. So the interval must stay well below the
 * timeout: at most half of it, which leaves the other half for training a window and for the
 * commit itself.
 */
import type { ConfigProblem } from './errors';
import type { AppConfig, LibrdkafkaSettings } from './types';

/** librdkafka's default for transaction.timeout.ms, which the runtime uses unless kafka.producer sets it. */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60000;
const KEY = 'kafka.producer["transaction.timeout.ms"]';

export function transactionTimeoutProblems(config: Pick<AppConfig, 'commit' | 'processing'>, producer: LibrdkafkaSettings): ConfigProblem[] {
  if (config.processing.guarantee !== 'exactly_once') return [];
  const raw = producer['transaction.timeout.ms'];
  const timeout = raw === undefined ? DEFAULT_TRANSACTION_TIMEOUT_MS : Number(raw);
  if (!Number.isSafeInteger(timeout) || timeout < 1000) {
    return [{ kind: 'invalid', key: KEY, value: raw, expected: 'a whole number of milliseconds >= 1000' }];
  }
  const max = Math.floor(timeout / 2);
  if (config.commit.intervalMs <= max) return [];
  const from = raw === undefined ? `${timeout}, librdkafka's default` : `${timeout}`;
  return [{
    kind: 'invalid',
    key: 'commit.intervalMs',
    value: config.commit.intervalMs,
    expected: `at most half of the producer's transaction timeout (${KEY} = ${from}), i.e. <= ${max}, so that each transaction commits well before the broker aborts it; lower commit.intervalMs or raise ${KEY}`,
  }];
}
