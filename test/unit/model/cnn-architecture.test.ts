import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../model';
import { buildCnn, type CnnOptions } from '../../../model/cnn';

const options: CnnOptions = { imageSize: 28, classes: 10, seed: 42, optimizer: 'sgd', learningRate: 0.01, l2: 1e-4 };

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('the reference CNN', () => {
  it('has the reference layer shapes and parameter counts', () => {
    const model = buildCnn(options);
    const layers = model.layers.map((layer) => ({
      name: layer.name,
      output: layer.outputShape,
      params: layer.countParams(),
    }));
    expect(layers).toEqual([
      { name: 'pad', output: [null, 30, 30, 1], params: 0 },
      { name: 'conv', output: [null, 14, 14, 32], params: 32 * 9 + 32 },
      { name: 'pool', output: [null, 13, 13, 32], params: 0 },
      { name: 'flatten', output: [null, 5408], params: 0 },
      { name: 'hidden', output: [null, 100], params: 5408 * 100 + 100 },
      { name: 'output', output: [null, 10], params: 100 * 10 + 10 },
    ]);
    expect(model.countParams()).toBe(320 + 540900 + 1010);
    model.dispose();
  });

  it('gives identical initial weights for the same seed and different ones for another seed', () => {
    // All weights as one byte string: jest's deep equality is slow on 542k-element arrays.
    const weights = (seed: number): string => {
      const model = buildCnn({ ...options, seed });
      const bytes = model.getWeights().map((w) => Buffer.from(Float32Array.from(w.dataSync()).buffer).toString('base64'));
      model.dispose();
      return bytes.join('|');
    };
    const first = weights(7);
    expect(weights(7) === first).toBe(true);
    expect(weights(8) === first).toBe(false);
  });

  it("initialises kernels like DL4J's XAVIER (normal, variance 2/(fanIn+fanOut)) and biases with zeros", () => {
    const model = buildCnn(options);
    const [convKernel, convBias, hiddenKernel] = model.getWeights();
    const std = (t: tf.Tensor): number => Math.sqrt(tf.moments(t).variance.dataSync()[0]);
    // DL4J's convolution fan-out divides by the stride area: 32*9/4.
    expect(std(convKernel)).toBeCloseTo(Math.sqrt(2 / (9 + 72)), 1);
    expect(std(hiddenKernel) / Math.sqrt(2 / (5408 + 100))).toBeCloseTo(1, 2);
    expect(Array.from(convBias.dataSync()).every((v) => v === 0)).toBe(true);
    model.dispose();
  });

  it("halves DL4J's l2 for tfjs, whose penalty lacks DL4J's factor 0.5", () => {
    const model = buildCnn({ ...options, l2: 1e-4 });
    const penalties = model.calculateLosses().map((p) => p.dataSync()[0]);
    const kernels = [0, 2, 4].map((i) => model.getWeights()[i]);
    const expected = kernels.map((k) => 0.5 * 1e-4 * tf.sum(tf.square(k)).dataSync()[0]);
    penalties.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
    model.dispose();
  });

  it('rejects options it cannot build', () => {
    expect(() => buildCnn({ ...options, classes: 1 })).toThrow(/classes must be an integer >= 2/);
    expect(() => buildCnn({ ...options, learningRate: 0 })).toThrow(/learningRate must be > 0/);
  });
});
