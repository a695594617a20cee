// Training throughput of the model alone (no Kafka): images per second learned by
// OnlineClassifier.learn at the window sizes the app uses, per backend, and resident memory over
// a whole epoch of windows of 500. Uses MNIST from data/mnist when it is readable (real digits
// make ReLU/max-pool sparsity realistic) and seeded random images otherwise.
// Run: npx tsx bench/training-throughput.ts [--architecture cnn|mlp] (the CNN unless said)
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../data';
import { OnlineClassifier, selectBackend, type Architecture, type BackendName } from '../model';
import { ARCHITECTURES } from '../model/architecture';
import { syntheticWindow, type SyntheticWindow } from '../model/synthetic';

export interface ThroughputResult {
  readonly backend: BackendName;
  readonly window: number;
  readonly windows: number;
  readonly imagesPerSecond: number;
  /** Resident memory after a quarter of the timed windows and after the last one. */
  readonly rssMiB: readonly [number, number];
  readonly tensorsLeaked: number;
}

interface Configuration {
  readonly backend: BackendName;
  readonly window: number;
  /** Timed windows after two untimed warm-up windows. */
  readonly windows: number;
}

const IMAGE_SIZE = 28;
const CLASSES = 10;
const EPOCH = 60000;

/**
 * Windows of 500 run a whole epoch (120 windows) so that memory is seen flat or not over one.
 * cpu is the plain-JavaScript fallback and is slow, hence few steps and the small window only.
 */
function configurations(backends: readonly BackendName[]): Configuration[] {
  const result: Configuration[] = [];
  for (const backend of backends) {
    if (backend === 'cpu') result.push({ backend, window: 100, windows: 3 });
    else result.push({ backend, window: 100, windows: 60 }, { backend, window: 500, windows: EPOCH / 500 - 2 });
  }
  return result;
}

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

function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

async function measure(config: Configuration, data: SyntheticWindow, log: (line: string) => void, architecture: Architecture): Promise<ThroughputResult> {
  await selectBackend(config.backend, log);
  const classifier = await OnlineClassifier.create({
    imageSize: IMAGE_SIZE,
    classes: CLASSES,
    seed: 1,
    optimizer: 'adam',
    learningRate: 0.001,
    l2: 1e-4,
    batchSize: null,
    architecture,
  });
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  const learnWindow = (i: number) => {
    const start = (i * config.window) % data.count;
    const end = start + config.window;
    return classifier.learn(data.images.subarray(start * pixels, end * pixels), data.labels.subarray(start, end), config.window);
  };
  await learnWindow(0);
  await learnWindow(1);
  const tensorsBefore = tf.memory().numTensors;
  const started = process.hrtime.bigint();
  let last = { loss: NaN, accuracy: NaN };
  let rssEarly = rssMiB();
  for (let i = 2; i < config.windows + 2; i++) {
    last = await learnWindow(i);
    if (i - 2 === Math.floor(config.windows / 4)) rssEarly = rssMiB();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssLate = rssMiB();
  const tensorsAfter = tf.memory().numTensors;
  classifier.dispose();
  const imagesPerSecond = (config.windows * config.window) / seconds;
  log(
    `${config.backend}${architecture === 'cnn' ? '' : ` ${architecture}`} window ${config.window}: ${imagesPerSecond.toFixed(0)} img/s ` +
      `(${config.windows} windows in ${seconds.toFixed(2)} s, last loss ${last.loss.toFixed(3)} ` +
      `accuracy ${last.accuracy.toFixed(2)}), tensors ${tensorsBefore} -> ${tensorsAfter}, RSS ${rssEarly.toFixed(0)} -> ${rssLate.toFixed(0)} MiB`,
  );
  return { ...config, imagesPerSecond, rssMiB: [rssEarly, rssLate], tensorsLeaked: tensorsAfter - tensorsBefore };
}

/** Whether native TensorFlow loads in this process (it is measured only then). */
export async function nativeAvailable(): Promise<boolean> {
  try {
    await selectBackend('tensorflow', () => undefined);
    return true;
  } catch {
    return false;
  }
}

/** Measures every configuration in turn; `log` receives progress lines (silent by default). */
export async function runTrainingThroughput(
  backends: readonly BackendName[],
  log: (line: string) => void = () => undefined,
  architecture: Architecture = 'cnn',
): Promise<ThroughputResult[]> {
  const data = trainingData(EPOCH, log);
  const results: ThroughputResult[] = [];
  for (const config of configurations(backends)) {
    results.push(await measure(config, data, log, architecture));
  }
  return results;
}

if (require.main === module) {
  (async () => {
    const flag = process.argv.indexOf('--architecture');
    const architecture = ARCHITECTURES.find((a) => a === (flag < 0 ? 'cnn' : process.argv[flag + 1]));
    if (architecture === undefined) throw new Error(`--architecture must be one of ${ARCHITECTURES.join(', ')}`);
    const backends: BackendName[] = (await nativeAvailable()) ? ['tensorflow', 'wasm'] : ['wasm'];
    await runTrainingThroughput(backends, (line) => console.log(line), architecture);
  })().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
