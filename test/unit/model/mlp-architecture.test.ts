// The reference's second network, ann(): dense 784 -> 1000 ReLU, 1000 -> 10 softmax, by
// `architecture: 'mlp'`. It learns, it checkpoints like the CNN, and a checkpoint of one
// architecture refuses to restore into the other with one clear line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointMismatchError, OnlineClassifier, selectBackend, type ClassifierOptions } from '../../../model';
import { decompressCheckpoint } from '../../../model/checkpoint-compression';
import { decodeCheckpoint } from '../../../model/checkpoint-format';
import { syntheticWindow } from '../../../model/synthetic';

// The reference's settings: Adam with its defaults, L2 1e-4, seed 1234.
const mlp: ClassifierOptions = { architecture: 'mlp', imageSize: 28, classes: 10, seed: 1234, optimizer: 'adam', learningRate: 0.001, l2: 1e-4, batchSize: null };
const cnn: ClassifierOptions = { ...mlp, architecture: 'cnn' };
const batch = syntheticWindow(32, 28, 10, 5);

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('the MLP', () => {
  it('has the reference shape: 784x1000 + 1000 and 1000x10 + 10 parameters, in the checkpoint', async () => {
    const classifier = await OnlineClassifier.create(mlp);
    expect(classifier.parameterCount).toBe(784 * 1000 + 1000 + 1000 * 10 + 10);
    const contents = decodeCheckpoint(await decompressCheckpoint(await classifier.checkpoint()));
    expect(contents.architecture).toBe('mlp');
    expect(contents.weights.map((w) => [w.name, w.shape])).toEqual([
      ['hidden/kernel', [784, 1000]],
      ['hidden/bias', [1000]],
      ['output/kernel', [1000, 10]],
      ['output/bias', [10]],
    ]);
    classifier.dispose();
  });

  it('learns a small batch: its loss on it falls and it comes to predict all of it', async () => {
    const classifier = await OnlineClassifier.create(mlp);
    const first = await classifier.learn(batch.images, batch.labels, batch.count);
    for (let i = 0; i < 30; i++) await classifier.learn(batch.images, batch.labels, batch.count);
    const after = await classifier.evaluate(batch.images, batch.labels, batch.count);
    expect(after.loss).toBeLessThan(first.loss / 4);
    expect(after.accuracy).toBe(1);
    classifier.dispose();
  });

  it('restores its own checkpoint, and refuses the CNN one (and the CNN refuses it) with one line', async () => {
    const a = await OnlineClassifier.create(mlp);
    await a.learn(batch.images, batch.labels, batch.count);
    const mlpCheckpoint = await a.checkpoint({ window: 1 });
    const b = await OnlineClassifier.create(mlp);
    expect(await b.restore(mlpCheckpoint)).toEqual({ window: 1 });
    expect((await b.evaluate(batch.images, batch.labels, batch.count)).loss).toBeCloseTo((await a.evaluate(batch.images, batch.labels, batch.count)).loss, 6);

    const c = await OnlineClassifier.create(cnn);
    const cnnCheckpoint = await c.checkpoint();
    const refusal = b.restore(cnnCheckpoint);
    await expect(refusal).rejects.toBeInstanceOf(CheckpointMismatchError);
    await expect(refusal).rejects.toThrow(/^checkpoint does not fit this model: it holds the cnn network, this model is the mlp \(model.architecture\); [^\n]*$/);
    await expect(c.restore(mlpCheckpoint)).rejects.toThrow(/it holds the mlp network, this model is the cnn/);
    [a, b, c].forEach((x) => x.dispose());
  });

  it('exports in TensorFlow.js format, and its wasm checkpoint restores on the cpu backend', async () => {
    const writer = await OnlineClassifier.create(mlp);
    await writer.learn(batch.images, batch.labels, batch.count);
    const dir = mkdtempSync(path.join(tmpdir(), 'mlp-export-'));
    try {
      await writer.exportTo(dir);
      const saved: unknown = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
      expect(JSON.stringify(saved)).toContain('streamtrain_mlp');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const checkpoint = await writer.checkpoint();
    const onWasm = await writer.evaluate(batch.images, batch.labels, batch.count);
    writer.dispose();
    // Through selectBackend, as the app does: it also keeps tfjs's "install our node backend" banner out.
    await selectBackend('cpu', () => undefined);
    try {
      const reader = await OnlineClassifier.create(mlp);
      expect(reader.backendName).toBe('cpu');
      await reader.restore(checkpoint);
      const onCpu = await reader.evaluate(batch.images, batch.labels, batch.count);
      expect(onCpu.loss).toBeCloseTo(onWasm.loss, 4);
      expect(onCpu.accuracy).toBe(onWasm.accuracy);
      reader.dispose();
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
