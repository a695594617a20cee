import { loadConfig } from '../../../config';
import { tempConfig } from './helpers';

describe('environment variables', () => {
  const file = tempConfig('{ "app": { "id": "from-file" }, "kafka": { "brokers": "file-host:9092" } }');

  it('KAFKA_BROKERS and STREAMTRAIN_APP_ID win over the file', () => {
    const config = loadConfig({ file, env: { KAFKA_BROKERS: 'env-a:9092,env-b:9093', STREAMTRAIN_APP_ID: 'from-env' } });
    expect(config.kafka.brokers).toBe('env-a:9092,env-b:9093');
    expect(config.app.id).toBe('from-env');
    expect(config.topics.changelog).toBe('from-env-trainer-changelog');
  });

  it('KAFKA_BROKERS wins over --config prod.json', () => {
    const config = loadConfig({ argv: ['--config', 'prod.json'], env: { KAFKA_BROKERS: 'kafka-1:9092' } });
    expect(config.kafka.brokers).toBe('kafka-1:9092');
  });

  it('the file applies when the variables are unset or empty', () => {
    expect(loadConfig({ file, env: {} }).kafka.brokers).toBe('file-host:9092');
    expect(loadConfig({ file, env: { KAFKA_BROKERS: '' } }).kafka.brokers).toBe('file-host:9092');
  });

  it('overrides given in code win over the environment', () => {
    const config = loadConfig({ file, env: { KAFKA_BROKERS: 'env:9092' }, overrides: { kafka: { brokers: 'code:9092' } } });
    expect(config.kafka.brokers).toBe('code:9092');
    expect(config.app.id).toBe('from-file');
  });

  it('overrides keep the siblings of the keys they set', () => {
    const config = loadConfig({ env: {}, file: 'test.json', overrides: { window: { maxMs: 250 } } });
    expect(config.window).toEqual({ maxRecords: 100, maxMs: 250 });
  });
});

describe('librdkafka settings', () => {
  it('pass through with their dotted names, file and overrides merged per setting', () => {
    const file = tempConfig(
      '{ "kafka": { "consumer": { "fetch.wait.max.ms": 100, "client.rack": "a" }, "producer": { "linger.ms": 5 } } }',
    );
    const config = loadConfig({
      env: {},
      file,
      overrides: { kafka: { consumer: { 'client.rack': 'b', 'enable.partition.eof': true } } },
    });
    expect(config.kafka.consumer).toEqual({ 'fetch.wait.max.ms': 100, 'client.rack': 'b', 'enable.partition.eof': true });
    expect(config.kafka.producer).toEqual({ 'linger.ms': 5 });
  });
});
