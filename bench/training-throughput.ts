// Training throughput of the model alone (no Kafka): images per second learned by
// OnlineClassifier.learn at the window sizes the app uses, per backend. Uses MNIST from
// data/mnist when it is readable (real digits make ReLU/max-pool sparsity realistic) and seeded
// random images otherwise. Run: npx tsx bench/training-throughput.ts
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../data';
import { OnlineClassifier, selectBackend, type BackendRequest } from '../model';
import { syntheticWindow, type SyntheticWindow } from '../model/synthetic';

export interface ThroughputResult {
  readonly backend: string;
  readonly window: number;
  readonly imagesPerSecond: number;
}

interface Configuration {
  readonly backend: BackendRequest;
  readonly window: number;
  /** Timed windows after one untimed warm-up window. */
  readonly windows: number;
}

// cpu is the plain-JavaScript fallback and is slow, hence few steps and the small window only.
const CONFIGURATIONS: readonly Configuration[] = [
  { backend: 'wasm', window: 100, windows: 30 },
  { backend: 'wasm', window: 500, windows: 8 },
  { backend: 'cpu', window: 100, windows: 3 },
];

const IMAGE_SIZE = 28;
const CLASSES = 10;

function trainingData(needed: number, log: (line: string) => void): SyntheticWindow {
  try {
    const mnist = loadMnist('train');
    if (mnist.rows === IMAGE_SIZE && mnist.cols === IMAGE_SIZE && mnist.count >= needed) {
      log(`data: MNIST training set, first ${needed} images`);
      const pixels = IMAGE_SIZE * IMAGE_SIZE;
      return { images: mnist.images.subarray(0, needed * pixels), labels: mnist.labels.subarray(0, needed), count: needed };
    }
  } catch (error) {
    log(`data: MNIST unreadable (${error instanceof Error ? error.message : String(error)})`);
  }
  log(`data: ${needed} seeded random images`);
  return syntheticWindow(needed, IMAGE_SIZE, CLASSES, 1);
}

async function measure(config: Configuration, data: SyntheticWindow, log: (line: string) => void): Promise<ThroughputResult> {
  await selectBackend(config.backend, log);
  const classifier = await OnlineClassifier.create({
    imageSize: IMAGE_SIZE,
    classes: CLASSES,
    seed: 1,
    optimizer: 'adam',
    learningRate: 0.001,
    l2: 1e-4,
    batchSize: null,
  });
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  const learnWindow = (i: number) => {
    const start = i * config.window;
    const end = start + config.window;
    return classifier.learn(data.images.subarray(start * pixels, end * pixels), data.labels.subarray(start, end), config.window);
  };
  await learnWindow(0);
  const tensorsBefore = tf.memory().numTensors;
  const started = process.hrtime.bigint();
  let last = { loss: NaN, accuracy: NaN };
  for (let i = 1; i <= config.windows; i++) {
    last = await learnWindow(i);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const tensorsAfter = tf.memory().numTensors;
  classifier.dispose();
  const imagesPerSecond = (config.windows * config.window) / seconds;
  log(
    `${config.backend} window ${config.window}: ${imagesPerSecond.toFixed(0)} img/s ` +
      `(${config.windows} windows in ${seconds.toFixed(2)} s, last loss ${last.loss.toFixed(3)} ` +
      `accuracy ${last.accuracy.toFixed(2)}), tensors ${tensorsBefore} -> ${tensorsAfter}`,
  );
  return { backend: config.backend, window: config.window, imagesPerSecond };
}

/** Measures every configuration in turn; `log` receives progress lines (silent by default). */
export async function runTrainingThroughput(log: (line: string) => void = () => undefined): Promise<ThroughputResult[]> {
  const needed = Math.max(...CONFIGURATIONS.map((c) => c.window * (c.windows + 1)));
  const data = trainingData(needed, log);
  const results: ThroughputResult[] = [];
  for (const config of CONFIGURATIONS) {
    results.push(await measure(config, data, log));
  }
  return results;
}

if (require.main === module) {
  runTrainingThroughput((line) => console.log(line)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
