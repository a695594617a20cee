// Makes native TensorFlow (tfjs-node's 'tensorflow' backend) faster at training our CNN, as
// wasm-kernels.ts does for wasm: two kernels that took 60% of a training step are replaced by
// cheaper compositions of TensorFlow ops (see model/tensorflow/). Installing is idempotent and
// must happen after tf.setBackend('tensorflow').
import * as tf from '@tensorflow/tfjs';
import { dilationMaxPoolGrad } from './tensorflow/max-pool-grad';
import { cheapStep } from './tensorflow/step';

const BACKEND = 'tensorflow';
const replaced = new Set<string>();

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
  replace('MaxPoolGrad', dilationMaxPoolGrad);
  return before === replaced.size ? [] : [...replaced];
}
