// Makes native TensorFlow (tfjs-node's 'tensorflow' backend) faster at training our CNN, as
// wasm-kernels.ts does for wasm: two kernels that took 60% of a training step are replaced, and
// ReLU's gradient gets a one-op kernel (see model/tensorflow/). Installing is idempotent and must happen after tfjs-node is loaded.
import * as tf from '@tensorflow/tfjs';
import { fastMaxPoolGrad, type MaxPoolGradRoute } from './tensorflow/max-pool-grad';
import { RELU_GRAD, reluGradKernel } from './tensorflow/relu-grad';
import { cheapStep } from './tensorflow/step';

const BACKEND = 'tensorflow';
const replaced = new Set<string>();
let poolGradRoute: MaxPoolGradRoute | null = null;

function replace(name: string, make: (original: tf.KernelConfig) => tf.KernelConfig): void {
  if (replaced.has(name)) return;
  const original = tf.getKernel(name, BACKEND);
  if (original === undefined) throw new Error(`tensorflow kernel ${name} is not registered; load @tensorflow/tfjs-node first`);
  replaced.add(name);
  tf.unregisterKernel(name, BACKEND);
  tf.registerKernel(make(original));
}

/** Registers the faster kernels on the 'tensorflow' backend; returns the names it changed. */
export function installTensorflowTrainingKernels(): string[] {
  const before = replaced.size;
  replace('Step', cheapStep);
  replace('MaxPoolGrad', (original) => {
    const { config, route } = fastMaxPoolGrad(original);
    poolGradRoute = route;
    return config;
  });
  if (tf.getKernel(RELU_GRAD, BACKEND) === undefined) {
    tf.registerKernel(reluGradKernel());
    replaced.add(RELU_GRAD);
  }
  return before === replaced.size ? [] : [...replaced];
}

/** How MaxPoolGrad runs on native TensorFlow (null before installing): for logs and benches. */
export function tensorflowMaxPoolGradRoute(): MaxPoolGradRoute | null {
  return poolGradRoute;
}
