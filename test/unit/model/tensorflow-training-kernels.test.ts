// The kernels model/tensorflow-kernels.ts swaps into native TensorFlow must compute what the
// kernels they replace compute: each is compared with the plain-JavaScript cpu backend's kernel
// on the same inputs, including the ties a ReLU before the pool creates (zeros).
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../model';
import { installTensorflowTrainingKernels, tensorflowMaxPoolGradRoute } from '../../../model/tensorflow-kernels';
import { MAX_POOL_GRADS, type MaxPoolGradRoute } from '../../../model/tensorflow/max-pool-grad';
import { RELU_GRAD } from '../../../model/tensorflow/relu-grad';

const nativeSkipped = process.env.STREAMTRAIN_TENSORFLOW === 'skip';

async function on(backend: 'cpu' | 'tensorflow', compute: () => tf.Tensor): Promise<Float32Array> {
  await selectBackend(backend, () => undefined);
  const result = compute();
  const values = Float32Array.from(await result.data());
  result.dispose();
  return values;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);
}

type PoolGrad = (x: tf.Tensor4D, dy: tf.Tensor4D) => tf.Tensor;

const registeredKernel: PoolGrad = (x, dy) =>
  tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: tf.maxPool(x, 2, 1, 'valid') }, { filterSize: 2, strides: 1, pad: 'valid' }) as tf.Tensor;

/** ReLU of seeded normals (about half zeros, so windows tie), and a seeded upstream gradient. */
function poolGradient(shape: [number, number, number, number], grad: PoolGrad = registeredKernel): () => tf.Tensor {
  return () =>
    tf.tidy(() => {
      const x = tf.relu(tf.randomNormal(shape, 0, 1, 'float32', 21)) as tf.Tensor4D;
      const dy = tf.randomNormal([shape[0], shape[1] - 1, shape[2] - 1, shape[3]], 0, 1, 'float32', 22) as tf.Tensor4D;
      return grad(x, dy);
    });
}

const SHAPES: Array<[number, number, number, number]> = [[3, 14, 14, 32], [2, 5, 7, 3]];

(nativeSkipped ? describe.skip : describe)('native TensorFlow training kernels', () => {
  beforeAll(async () => {
    await selectBackend('tensorflow', () => undefined);
    installTensorflowTrainingKernels();
  });

  it('MaxPoolGrad 2x2 stride 1 routes every gradient to the first maximum of its window, as the cpu backend does', async () => {
    expect(tensorflowMaxPoolGradRoute()).not.toBeNull();
    for (const shape of SHAPES) {
      const expected = await on('cpu', poolGradient(shape));
      const actual = await on('tensorflow', poolGradient(shape));
      // Two windows may send gradient to one input: float sums in another order.
      expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-5);
    }
  });

  it.each(['onednn', 'dilation'] as MaxPoolGradRoute[])('the %s route of MaxPoolGrad gives the same numbers', async (route) => {
    // oneDNN's kernels exist in the x86-64 wheel we install; elsewhere the probe chose the dilation.
    if (route === 'onednn' && tensorflowMaxPoolGradRoute() !== 'onednn') return;
    for (const shape of SHAPES) {
      const expected = await on('cpu', poolGradient(shape));
      const actual = await on('tensorflow', poolGradient(shape, MAX_POOL_GRADS[route]));
      expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-5);
    }
  });

  it('ReLU\'s gradient passes dy where the ReLU\'s output is above 0, and 0 elsewhere, as Multiply(dy, Step(y)) on cpu', async () => {
    const inputs = () => ({ dy: tf.randomNormal([4, 13, 13, 32], 0, 1, 'float32', 31), y: tf.relu(tf.randomNormal([4, 13, 13, 32], 0, 1, 'float32', 32)) });
    const expected = await on('cpu', () => tf.tidy(() => { const { dy, y } = inputs(); return tf.mul(dy, tf.step(y)); }));
    const actual = await on('tensorflow', () => tf.tidy(() => tf.engine().runKernel(RELU_GRAD, inputs(), {}) as tf.Tensor));
    expect(expected.some((v) => v === 0) && expected.some((v) => v !== 0)).toBe(true);
    expect(maxAbsDifference(actual, expected)).toBe(0);
  });

  it('Step (ReLU\'s gradient) is 1 above zero and 0 elsewhere', async () => {
    const step = () => tf.step(tf.tensor1d([-2, -0, 0, 1e-30, 3]));
    expect(Array.from(await on('tensorflow', step))).toEqual(Array.from(await on('cpu', step)));
  });
});
