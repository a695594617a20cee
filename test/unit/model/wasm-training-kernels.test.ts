import * as tf from '@tensorflow/tfjs';
import { OnlineClassifier, selectBackend } from '../../../model';
import { syntheticWindow } from '../../../model/synthetic';
import { unpatchedWasmKernel } from '../../../model/wasm-kernels';

/** Deterministic values in [-1, 1) so both backends see identical inputs. */
function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed;
  for (let i = 0; i < size; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 2 - 1;
  }
  return out;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

async function on(backend: 'cpu' | 'wasm', compute: () => tf.Tensor): Promise<Float32Array> {
  // Through selectBackend, as the app does: it also keeps tfjs's "install our node backend" banner out.
  await selectBackend(backend, () => undefined);
  const result = compute();
  const data = await result.data();
  result.dispose();
  await tf.setBackend('wasm');
  return Float32Array.from(data);
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  }
  expect(worst).toBeLessThan(tolerance);
}

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
});

describe('Conv2DBackpropFilter on wasm', () => {
  const cases: Array<{ name: string; x: [number, number, number, number]; f: [number, number, number, number]; stride: 1 | 2; pad: 'valid' | 'same' }> = [
    { name: 'our conv: 3x3 stride 2 valid after zero padding, 1 -> 32 channels', x: [4, 30, 30, 1], f: [3, 3, 1, 32], stride: 2, pad: 'valid' },
    { name: '3x3 stride 1 valid, 5 -> 7 channels', x: [3, 9, 8, 5], f: [3, 3, 5, 7], stride: 1, pad: 'valid' },
    { name: '2x3 stride 2 same (asymmetric padding), 3 -> 4 channels', x: [2, 7, 9, 3], f: [2, 3, 3, 4], stride: 2, pad: 'same' },
  ];

  it('is registered', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(cases)('equals the cpu gradient for $name', async ({ x, f, stride, pad }) => {
    const filterGradient = (): tf.Tensor => {
      const input = tf.tensor4d(values(size(x), 1), x);
      const filter = tf.tensor4d(values(size(f), 2), f);
      const out = tf.conv2d(input, filter, stride, pad);
      const upstream = tf.tensor(values(size(out.shape), 3), out.shape);
      const gradient = tf.grad((w) => tf.sum(tf.mul(tf.conv2d(input, w.as4D(...f), stride, pad), upstream)))(filter);
      tf.dispose([input, filter, out, upstream]);
      return gradient;
    };
    expectClose(await on('wasm', filterGradient), await on('cpu', filterGradient), 1e-5);
  });
});

describe('MaxPoolGrad on wasm', () => {
  it.each([
    { name: 'our pool: 2x2 stride 1 valid', x: [3, 14, 14, 32], size: 2, stride: 1, pad: 'valid' as const },
    { name: '3x3 stride 2 same', x: [2, 7, 6, 3], size: 3, stride: 2, pad: 'same' as const },
  ])('equals the cpu gradient for $name', async ({ x, size: poolSize, stride, pad }) => {
    const inputGradient = (): tf.Tensor => {
      const input = tf.tensor4d(values(size(x), 4), [x[0], x[1], x[2], x[3]]);
      const out = tf.maxPool(input, poolSize, stride, pad);
      const upstream = tf.tensor(values(size(out.shape), 5), out.shape);
      const gradient = tf.grad((v) => tf.sum(tf.mul(tf.maxPool(v.as4D(x[0], x[1], x[2], x[3]), poolSize, stride, pad), upstream)))(input);
      tf.dispose([input, out, upstream]);
      return gradient;
    };
    expectClose(await on('wasm', inputGradient), await on('cpu', inputGradient), 1e-6);
  });
});

describe('BatchMatMul on wasm with transposed operands', () => {
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  it.each(flags)('equals the unpatched kernel for transposeA=%s transposeB=%s', (transposeA, transposeB) => {
    const original = unpatchedWasmKernel('BatchMatMul');
    expect(original).toBeDefined();
    if (original === undefined) return;
    const a = tf.tensor3d(values(2 * 6 * 5, 6), transposeA ? [2, 5, 6] : [2, 6, 5]);
    const b = tf.tensor3d(values(2 * 5 * 4, 7), transposeB ? [2, 4, 5] : [2, 5, 4]);
    const dataIdsBefore = tf.backend().numDataIds();
    const patched = tf.matMul(a, b, transposeA, transposeB);
    // The wrapper frees its transposed copies: only the product is new.
    expect(tf.backend().numDataIds()).toBe(dataIdsBefore + 1);
    const info = original.kernelFunc({ inputs: { a, b }, backend: tf.backend(), attrs: { transposeA, transposeB } });
    if (Array.isArray(info)) throw new Error('one output expected');
    const reference = tf.engine().makeTensorFromTensorInfo(info);
    expect(patched.shape).toEqual([2, 6, 4]);
    expect(reference.shape).toEqual(patched.shape);
    expectClose(patched.dataSync() as Float32Array, reference.dataSync() as Float32Array, 1e-6);
    tf.dispose([a, b, patched, reference]);
  });

  it('handles rank-2 operands as the dense-layer gradients use them', async () => {
    const product = (): tf.Tensor => tf.matMul(tf.tensor2d(values(7 * 3, 8), [7, 3]), tf.tensor2d(values(7 * 4, 9), [7, 4]), true, false);
    expectClose(await on('wasm', product), await on('cpu', product), 1e-6);
  });
});

describe('a training step of the reference CNN on wasm', () => {
  it('runs only kernels registered for wasm, including the three replaced here', async () => {
    const classifier = await OnlineClassifier.create({
      imageSize: 28, classes: 10, seed: 1, optimizer: 'adam', learningRate: 0.001, l2: 1e-4, batchSize: null,
    });
    const window = syntheticWindow(4, 28, 10, 1);
    const profile = await tf.profile(async () => {
      await classifier.learn(window.images, window.labels, window.count);
    });
    classifier.dispose();
    // Ops with a custom gradient (e.g. fusedMatMul__op) are listed too, but are not kernels.
    const kernels = profile.kernelNames.filter((name) => !name.endsWith('__op'));
    const missing = kernels.filter((name) => tf.getKernel(name, 'wasm') === undefined);
    expect(missing).toEqual([]);
    expect(kernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'MaxPoolGrad', 'BatchMatMul']));
  });
});
