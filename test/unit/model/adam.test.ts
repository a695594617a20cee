// Our Adam (model/adam.ts) replaced tfjs's for speed; checkpoints written with tfjs's Adam
// must continue identically, so it must take the same steps and expose the same moments.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../model';
import { createOptimizer } from '../../../model/optimizer';

const SHAPES: number[][] = [[3, 4], [4], [2, 2, 3]];
const RATES = [0.01, 0.01, 0.003, 0.02];

function gradients(step: number): tf.Tensor[] {
  return SHAPES.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 10 * step + i + 1));
}

function variables(): tf.Variable[] {
  return SHAPES.map((shape, i) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', 1000 + i)));
}

beforeAll(async () => {
  await selectBackend('cpu', () => undefined);
});

it('takes the steps tfjs\'s Adam takes, with rates changing between steps, and holds the same moments', async () => {
  const ours = variables();
  const theirs = variables();
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: RATES[0] });
  RATES.forEach((rate, step) => {
    optimizer.setLearningRate(rate);
    optimizer.apply(ours, gradients(step));
  });
  // The reference: one tfjs Adam whose protected rate is changed between steps.
  const reference = new tf.AdamOptimizer(RATES[0], 0.9, 0.999, 1e-8);
  RATES.forEach((rate, step) => {
    Reflect.set(reference, 'learningRate', rate);
    const grads = gradients(step);
    reference.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: grads[i] })));
  });
  expect(optimizer.iterations).toBe(RATES.length);
  ours.forEach((v, i) => {
    expect(tf.max(tf.abs(tf.sub(v, theirs[i]))).dataSync()[0]).toBeLessThan(1e-6);
  });
  const slots = await optimizer.slots();
  const [, ...referenceSlots] = await reference.getWeights();
  expect(slots).toHaveLength(referenceSlots.length);
  slots.forEach((values, i) => {
    const expected = referenceSlots[i].tensor.dataSync();
    expect(values.length).toBe(expected.length);
    values.forEach((value, k) => expect(Math.abs(value - expected[k])).toBeLessThan(1e-6));
  });
});

it('continues from restored moments exactly as it would have without the restore', async () => {
  const uninterrupted = variables();
  const restored = variables();
  const a = createOptimizer({ optimizer: 'adam', learningRate: 0.01 });
  const first = createOptimizer({ optimizer: 'adam', learningRate: 0.01 });
  a.apply(uninterrupted, gradients(0));
  first.apply(restored, gradients(0));
  // A fresh optimizer takes over the state of the first step before step two.
  const b = createOptimizer({ optimizer: 'adam', learningRate: 0.01 });
  b.restore(first.iterations, await first.slots(), restored);
  a.apply(uninterrupted, gradients(1));
  b.apply(restored, gradients(1));
  uninterrupted.forEach((v, i) => expect(tf.max(tf.abs(tf.sub(v, restored[i]))).dataSync()[0]).toBe(0));
});

it('refuses moments that do not fit the variables, naming the counts', () => {
  const adam = createOptimizer({ optimizer: 'adam', learningRate: 0.01 });
  expect(() => adam.restore(1, [new Float32Array(12)], variables())).toThrow('Adam keeps 2 tensors per variable (6), got 1');
});
