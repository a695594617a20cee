import { loadConfig, type DeepPartial, type AppConfig } from '../../../config';
import { configError } from './helpers';

const load = (overrides: DeepPartial<AppConfig>) => () => loadConfig({ env: {}, overrides });

describe('commit.intervalMs must be at most half the producer transaction timeout', () => {
  it('against librdkafka\'s default of 60000: 30000 loads, 30001 is refused naming both keys', () => {
    expect(load({ commit: { intervalMs: 30000 } })().commit.intervalMs).toBe(30000);
    const error = configError(load({ commit: { intervalMs: 30001 } }));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain('commit.intervalMs = 30001: expected at most half of the producer\'s transaction timeout (kafka.producer["transaction.timeout.ms"] = 60000, librdkafka\'s default), i.e. <= 30000');
  });

  it('against a timeout set through kafka.producer, as a number or a string', () => {
    expect(load({ commit: { intervalMs: 5000 }, kafka: { producer: { 'transaction.timeout.ms': 10000 } } })().commit.intervalMs).toBe(5000);
    const error = configError(load({ commit: { intervalMs: 5000 }, kafka: { producer: { 'transaction.timeout.ms': '9000' } } }));
    expect(error.message).toContain('commit.intervalMs = 5000: expected at most half of the producer\'s transaction timeout (kafka.producer["transaction.timeout.ms"] = 9000), i.e. <= 4500');
  });

  it('a transaction timeout that is not a number of ms is named', () => {
    const error = configError(load({ kafka: { producer: { 'transaction.timeout.ms': 'soon' } } }));
    expect(error.message).toContain('kafka.producer["transaction.timeout.ms"] = "soon": expected a whole number of milliseconds >= 1000');
  });

  it('does not apply without transactions (at_least_once)', () => {
    expect(load({ commit: { intervalMs: 600000 }, processing: { guarantee: 'at_least_once' } })().commit.intervalMs).toBe(600000);
  });
});
