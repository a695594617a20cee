// The same seed and the same MNIST windows give the same losses on wasm and on native TensorFlow:
// a model may move between backends (a checkpoint restores on any of them) and a user comparing
// runs sees the same numbers. Tolerance: float32 sums in another order (oneDNN, threads), and
// our kernels that route max-pool ties differently, drift a little per step.
import { loadMnist } from '../../../data';
import { OnlineClassifier, selectBackend, type BackendName, type ClassifierOptions } from '../../../model';

const nativeSkipped = process.env.STREAMTRAIN_TENSORFLOW === 'skip';
const WINDOW = 100;
const WINDOWS = 20;
const options: ClassifierOptions = { imageSize: 28, classes: 10, seed: 7, optimizer: 'adam', learningRate: 0.001, l2: 1e-4, batchSize: null };

async function losses(backend: BackendName): Promise<number[]> {
  await selectBackend(backend, () => undefined);
  const mnist = loadMnist('train');
  const pixels = 28 * 28;
  const classifier = await OnlineClassifier.create(options);
  const result: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    const images = mnist.images.subarray(w * WINDOW * pixels, (w + 1) * WINDOW * pixels);
    const labels = mnist.labels.subarray(w * WINDOW, (w + 1) * WINDOW);
    result.push((await classifier.learn(images, labels, WINDOW)).loss);
  }
  const holdout = await classifier.evaluate(mnist.images.subarray(0, 1000 * pixels), mnist.labels.subarray(0, 1000), 1000);
  result.push(holdout.loss);
  classifier.dispose();
  return result;
}

(nativeSkipped ? it.skip : it)('wasm and tensorflow learn 20 MNIST windows to the same losses (Adam, seed 7)', async () => {
  const wasm = await losses('wasm');
  const native = await losses('tensorflow');
  // The model learns: the last window's loss is well below the first's, on both.
  expect(wasm[WINDOWS - 1]).toBeLessThan(wasm[0] * 0.7);
  for (let i = 0; i < wasm.length; i++) {
    expect(Math.abs(native[i] - wasm[i])).toBeLessThan(1e-3 * Math.max(1, wasm[i]));
  }
});

(nativeSkipped ? it.skip : it)('a checkpoint written on tensorflow restores on wasm, and both learn the next window alike', async () => {
  const mnist = loadMnist('train');
  const pixels = 28 * 28;
  const window = (w: number): [Uint8Array, Uint8Array] => [
    mnist.images.subarray(w * WINDOW * pixels, (w + 1) * WINDOW * pixels),
    mnist.labels.subarray(w * WINDOW, (w + 1) * WINDOW),
  ];
  await selectBackend('tensorflow', () => undefined);
  const native = await OnlineClassifier.create(options);
  for (let w = 0; w < 3; w++) await native.learn(...window(w), WINDOW);
  const bytes = await native.checkpoint({ window: 3 });
  const next = await native.learn(...window(3), WINDOW);
  native.dispose();

  await selectBackend('wasm', () => undefined);
  const wasm = await OnlineClassifier.create(options);
  expect(await wasm.restore(bytes)).toEqual({ window: 3 });
  const continued = await wasm.learn(...window(3), WINDOW);
  wasm.dispose();
  expect(Math.abs(continued.loss - next.loss)).toBeLessThan(1e-4);
  expect(continued.accuracy).toBe(next.accuracy);
});
