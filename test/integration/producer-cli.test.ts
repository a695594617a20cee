import { image, loadMnist } from '../../data/mnist';
import { ensureTopics } from '../../topology/kafka/admin';
import { memoryLogger } from '../../topology/logger';
import { configFile, runCli } from './child-app';
import { readTopic, testConfig } from './support';

describe('npm run produce', () => {
  it('writes MNIST in the reference format, keys 00000.., and closes with sent, failed and records/s', async () => {
    const config = testConfig();
    const run = runCli('produce.ts', ['--config', configFile(config), '--limit', '250', '--set', 'test']);
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(new RegExp(`sent 250 records to ${config.topics.source}, failed 0, \\d+ records/s`));
    const records = await readTopic(config.topics.source);
    expect(records).toHaveLength(250);
    expect(records[0]?.key?.toString()).toBe('00000');
    expect(records[249]?.key?.toString()).toBe('00249');
    expect(records.every((r) => r.value?.length === 785)).toBe(true);
    // The first test image is a 7: its label is the last byte.
    expect(records[0]?.value?.[784]).toBe(7);
    // Every value, byte for byte: the test set's image then its label.
    const test = loadMnist('test');
    const expected = (i: number) => Buffer.concat([image(test, i), Uint8Array.of(test.labels[i] ?? 255)]);
    expect(records.filter((r, i) => !r.value?.equals(expected(i))).map((r) => r.key?.toString())).toEqual([]);
  });

  it('after --drift-after N, sends the same images with permuted labels', async () => {
    const config = testConfig();
    const run = runCli('produce.ts', ['--config', configFile(config), '--limit', '10', '--set', 'test', '--drift-after', '4', '--drift-kind', 'permute-labels']);
    expect(await run.exited).toBe(0);
    const records = await readTopic(config.topics.source);
    const test = loadMnist('test');
    expect(records.map((r) => r.value?.[784])).toEqual(Array.from(test.labels.subarray(0, 10), (d, i) => (i < 4 ? d : (d + 5) % 10)));
    expect(records.every((r, i) => r.value?.subarray(0, 784).equals(image(test, i)))).toBe(true);
  });

  it('exits non-zero when deliveries fail, naming the first error', async () => {
    const config = testConfig();
    // A topic that refuses records over 500 bytes: every 785-byte MNIST record fails.
    await ensureTopics(config.kafka.brokers, [{ name: config.topics.source, partitions: 1, replicationFactor: 1, config: { 'max.message.bytes': '500' } }], memoryLogger());
    const run = runCli('produce.ts', ['--config', configFile(config), '--limit', '20']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/sent 0 records to .*, failed 20/);
    expect(run.output()).toMatch(/first delivery error: .*too large/i);
  });
});
