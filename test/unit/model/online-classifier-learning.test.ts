import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { InvalidBatchError, OnlineClassifier, selectBackend, type ClassifierOptions } from '../../../model';
import { decompressCheckpoint } from '../../../model/checkpoint-compression';
import { decodeCheckpoint } from '../../../model/checkpoint-format';
import { syntheticWindow, type SyntheticWindow } from '../../../model/synthetic';

const options: ClassifierOptions = {
  imageSize: 28,
  classes: 10,
  seed: 3,
  optimizer: 'sgd',
  learningRate: 0.05,
  l2: 1e-4,
  batchSize: null,
};

function slice(window: SyntheticWindow, start: number, end: number): SyntheticWindow {
  const pixels = options.imageSize * options.imageSize;
  return {
    images: window.images.subarray(start * pixels, end * pixels),
    labels: window.labels.subarray(start, end),
    count: end - start,
  };
}

/** All weights as one string, so that equality is exact and fast (jest's deep equality is slow). */
function fingerprint(arrays: Float32Array[]): string {
  return arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')).join('|');
}

async function weights(classifier: OnlineClassifier): Promise<string> {
  return fingerprint(decodeCheckpoint(await decompressCheckpoint(await classifier.checkpoint())).weights.map((w) => w.values));
}

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('OnlineClassifier.learn', () => {
  it('reports the loss and accuracy of the window from before the update (prequential)', async () => {
    const classifier = await OnlineClassifier.create(options);
    const window = syntheticWindow(16, 28, 10, 1);
    const before = await classifier.evaluate(window.images, window.labels, window.count);
    const first = await classifier.learn(window.images, window.labels, window.count);
    const second = await classifier.learn(window.images, window.labels, window.count);
    expect(first.count).toBe(16);
    expect(first.loss).toBeCloseTo(before.loss, 5);
    expect(first.accuracy).toBe(before.accuracy);
    expect(second.loss).toBeLessThan(first.loss);
    classifier.dispose();
  });

  it('splits a window into mini-batches in order and reports record-weighted means', async () => {
    const window = syntheticWindow(10, 28, 10, 2);
    const batched = await OnlineClassifier.create({ ...options, batchSize: 4 });
    const stepwise = await OnlineClassifier.create(options);
    const result = await batched.learn(window.images, window.labels, window.count);
    const parts = [];
    for (const [start, end] of [[0, 4], [4, 8], [8, 10]]) {
      const part = slice(window, start, end);
      parts.push(await stepwise.learn(part.images, part.labels, part.count));
    }
    expect(result.loss).toBeCloseTo((4 * parts[0].loss + 4 * parts[1].loss + 2 * parts[2].loss) / 10, 5);
    expect(result.accuracy).toBeCloseTo((4 * parts[0].accuracy + 4 * parts[1].accuracy + 2 * parts[2].accuracy) / 10, 10);
    expect((await weights(batched)) === (await weights(stepwise))).toBe(true);
    batched.dispose();
    stepwise.dispose();
  });

  it('keeps the tensor count flat across 50 learn() calls', async () => {
    const classifier = await OnlineClassifier.create({ ...options, optimizer: 'adam', learningRate: 0.001, batchSize: 4 });
    const window = syntheticWindow(8, 28, 10, 3);
    await classifier.learn(window.images, window.labels, window.count);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      await classifier.learn(window.images, window.labels, window.count);
    }
    await classifier.evaluate(window.images, window.labels, window.count);
    expect(tf.memory().numTensors).toBe(tensors);
    classifier.dispose();
  });

  it('releases every tensor it made when disposed', async () => {
    const tensors = tf.memory().numTensors;
    const classifier = await OnlineClassifier.create({ ...options, optimizer: 'adam', learningRate: 0.001 });
    const window = syntheticWindow(4, 28, 10, 4);
    await classifier.learn(window.images, window.labels, window.count);
    await classifier.restore(await classifier.checkpoint());
    classifier.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    await expect(classifier.learn(window.images, window.labels, window.count)).rejects.toThrow(/disposed/);
  });

  it('rejects a batch whose buffers do not match its count or whose labels exceed the classes', async () => {
    const classifier = await OnlineClassifier.create(options);
    const window = syntheticWindow(4, 28, 10, 5);
    await expect(classifier.learn(window.images, window.labels, 5)).rejects.toBeInstanceOf(InvalidBatchError);
    const badLabels = Uint8Array.from([0, 1, 10, 2]);
    await expect(classifier.learn(window.images, badLabels, 4)).rejects.toThrow(/label 10 of record 2/);
    // A failed call does not block the next one.
    await expect(classifier.learn(window.images, window.labels, 4)).resolves.toMatchObject({ count: 4 });
    classifier.dispose();
  });

  it('reports its parameter count and the backend its weights live on', async () => {
    const classifier = await OnlineClassifier.create(options);
    expect(classifier.parameterCount).toBe(542230);
    expect(classifier.backendName).toBe('wasm');
    classifier.dispose();
  });
});

describe('OnlineClassifier.exportTo', () => {
  it('writes a TensorFlow.js layers model that loads with the same weights', async () => {
    const classifier = await OnlineClassifier.create(options);
    const window = syntheticWindow(4, 28, 10, 6);
    await classifier.learn(window.images, window.labels, window.count);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'streamtrain-export-'));
    await classifier.exportTo(path.join(dir, 'model'));
    const modelJson: unknown = JSON.parse(await fs.readFile(path.join(dir, 'model', 'model.json'), 'utf8'));
    const weightData = await fs.readFile(path.join(dir, 'model', 'weights.bin'));
    expect(modelJson).toMatchObject({ format: 'layers-model', weightsManifest: [{ paths: ['./weights.bin'] }] });
    const { modelTopology, weightsManifest } = modelJson as tf.io.ModelJSON;
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest[0].weights, weightData: new Uint8Array(weightData).buffer }),
    );
    const loadedWeights = fingerprint(loaded.getWeights().map((w) => Float32Array.from(w.dataSync())));
    expect(loadedWeights === (await weights(classifier))).toBe(true);
    loaded.dispose();
    classifier.dispose();
    await fs.rm(dir, { recursive: true });
  });
});
