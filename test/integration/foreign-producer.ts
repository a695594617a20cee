import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMnist } from '../../data';
import { mnistRecordSerde } from '../../serdes';
import { brokers, produceRaw } from './support';

/** The first `count` MNIST training images in the wire format (784 pixel bytes, then the label). */
export function mnistValues(count: number): Buffer[] {
  const data = loadMnist('train');
  const serde = mnistRecordSerde({ classes: 10 });
  const pixels = data.rows * data.cols;
  return Array.from({ length: count }, (_, i) =>
    serde.serialize({ pixels: data.images.subarray(i * pixels, (i + 1) * pixels), label: data.labels[i] ?? 0, size: data.rows }) ?? Buffer.alloc(0),
  );
}

export const hasKcat = (): boolean => spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;

/**
 * Fills a topic as a user's own client would: with kcat (the Debian package) when installed,
 * each value from a file of its own, no key; else with a plain node-rdkafka producer. Either way
 * record i goes to partition i % `partitions`, so that every partition gets records (left to
 * itself, librdkafka's sticky partitioner sends whole batches to one partition and may leave one
 * empty: a test expecting windows of every partition then fails). Returns the tool used.
 */
export async function produceWithForeignClient(topic: string, values: readonly Buffer[], partitions: number): Promise<string> {
  if (!hasKcat()) {
    await produceRaw(topic, values.map((value, i) => ({ key: null, value, partition: i % partitions })));
    return 'node-rdkafka';
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'streamtrain-kcat-'));
  try {
    const files = values.map((value, i) => {
      const file = path.join(dir, String(i).padStart(6, '0'));
      writeFileSync(file, value);
      return file;
    });
    for (let partition = 0; partition < partitions; partition++) {
      const mine = files.filter((_, i) => i % partitions === partition);
      const run = spawnSync('kcat', ['-P', '-b', brokers(), '-t', topic, '-p', String(partition), '-X', 'enable.idempotence=true', ...mine], { encoding: 'utf8', timeout: 120000 });
      if (run.status !== 0) throw new Error(`kcat exited with ${String(run.status)}: ${run.stderr}`);
    }
    return 'kcat';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
