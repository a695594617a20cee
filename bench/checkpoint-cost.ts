// What one commit's checkpoint costs the trainer, step by step: reading the weights and Adam's
// moments out of TensorFlow, encoding the file (with its CRC), and compressing it. The default
// training's checkpoint also carries the replay buffer (10,000 images), so it is measured with
// the buffer full. No Kafka: the produce and the transaction commit come on top.
// Run: npx tsx bench/checkpoint-cost.ts [--repeats N]
import { loadConfig } from '../config/load';
import { learnerFactory } from '../cli/mnist-app';
import { loadMnist } from '../data';
import { compressCheckpoint } from '../model/checkpoint-compression';
import { encodeCheckpoint } from '../model/checkpoint-format';
import { createLogger } from '../topology/logger';

export interface CheckpointCost {
  readonly backend: string;
  readonly bytes: number;
  readonly compressedBytes: number;
  /** Milliseconds, the median of the repeats: the whole checkpoint(), then encode and compress alone. */
  readonly checkpointMs: number;
  readonly encodeMs: number;
  readonly compressMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

/** The default configuration's learner after `windows` windows of 500 (20 fill the replay buffer). */
export async function checkpointCost(repeats = 5, windows = 20): Promise<CheckpointCost> {
  const config = loadConfig({ file: 'prod.json', env: {}, overrides: { log: { level: 'warn' } } });
  const learner = await (await learnerFactory(config, createLogger('warn', 'bench')))();
  const mnist = loadMnist('train');
  const pixels = mnist.rows * mnist.cols;
  for (let w = 0; w < windows; w++) {
    await learner.learn(mnist.images.subarray(w * 500 * pixels, (w + 1) * 500 * pixels), mnist.labels.subarray(w * 500, (w + 1) * 500), 500);
  }
  const whole: number[] = [];
  let stored: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < repeats; i++) {
    const [bytes, ms] = await timed(() => learner.checkpoint({ window: i }));
    stored = bytes;
    whole.push(ms);
  }
  // The encode and compress steps alone, on the same contents (decoded back from a checkpoint).
  const { decodeCheckpoint } = await import('../model/checkpoint-format');
  const { decompressCheckpoint } = await import('../model/checkpoint-compression');
  const contents = decodeCheckpoint(await decompressCheckpoint(stored));
  const encode: number[] = [];
  const compress: number[] = [];
  let file: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < repeats; i++) {
    const [f, e] = await timed(() => encodeCheckpoint(contents));
    file = f;
    encode.push(e);
    compress.push((await timed(() => compressCheckpoint(file)))[1]);
  }
  learner.dispose();
  return { backend: learner.backendName, bytes: file.length, compressedBytes: stored.length, checkpointMs: median(whole), encodeMs: median(encode), compressMs: median(compress) };
}

if (require.main === module) {
  const flag = process.argv.indexOf('--repeats');
  checkpointCost(flag < 0 ? 5 : Number(process.argv[flag + 1])).then(
    (c) => {
      console.log(
        `${c.backend} checkpoint of the default training (replay buffer full): ${(c.bytes / 1e6).toFixed(2)} MB -> ${(c.compressedBytes / 1e6).toFixed(2)} MB; ` +
          `checkpoint() ${c.checkpointMs.toFixed(0)} ms, of which encode ${c.encodeMs.toFixed(0)} ms and compress ${c.compressMs.toFixed(0)} ms (medians)`,
      );
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
