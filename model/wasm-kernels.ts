// Makes the wasm backend able to train our CNN, and fast at it. Measured with tfjs 4.22 on a
// training step of the reference CNN (2 cores, SIMD, one thread):
//   - Conv2DBackpropFilter is missing (tensorflow/tfjs#8474): added (im2col + BatchMatMul).
//   - BatchMatMul with a transposed operand is ~8x slower: wrapped to transpose explicitly.
//   - MaxPoolGrad exists but took half of the step: replaced by a one-pass kernel.
// Every other kernel the step uses (PadV2, Conv2D, Relu, MaxPool, _FusedMatMul, Softmax, ...) is
// registered for wasm. Installing is idempotent and must happen after tf.setBackend('wasm'),
// since the original kernels' setup functions have run by then.
import * as tf from '@tensorflow/tfjs';
import { transposingBatchMatMul } from './wasm/batch-mat-mul';
import { conv2dBackpropFilter } from './wasm/conv2d-backprop-filter';
import { maxPoolGrad } from './wasm/max-pool-grad';

const BACKEND = 'wasm';
/** Kernels as tfjs-backend-wasm registered them, kept before we replace them. */
const originals = new Map<string, tf.KernelConfig>();

function registered(name: string): tf.KernelConfig | undefined {
  const config: tf.KernelConfig | undefined = tf.getKernel(name, BACKEND);
  return config;
}

function required(name: string): tf.KernelConfig {
  const config = registered(name);
  if (config === undefined) {
    throw new Error(`wasm kernel ${name} is not registered; import @tensorflow/tfjs-backend-wasm first`);
  }
  return config;
}

function replace(name: string, make: (original: tf.KernelConfig) => tf.KernelConfig): void {
  if (originals.has(name)) {
    return;
  }
  const original = required(name);
  originals.set(name, original);
  tf.unregisterKernel(name, BACKEND);
  tf.registerKernel(make(original));
}

/** Registers the training kernels on the wasm backend; returns the names it changed. */
export function installWasmTrainingKernels(): string[] {
  const changed: string[] = [];
  const transpose = required('Transpose');
  if (!originals.has('BatchMatMul')) {
    replace('BatchMatMul', (original) => transposingBatchMatMul(original, transpose));
    changed.push('BatchMatMul');
  }
  if (registered('Conv2DBackpropFilter') === undefined) {
    tf.registerKernel(conv2dBackpropFilter(unpatchedWasmKernel('BatchMatMul') ?? required('BatchMatMul')));
    changed.push('Conv2DBackpropFilter');
  }
  if (!originals.has('MaxPoolGrad')) {
    replace('MaxPoolGrad', () => maxPoolGrad());
    changed.push('MaxPoolGrad');
  }
  return changed;
}

/** The kernel tfjs-backend-wasm registered under `name` before we replaced it, if we did. */
export function unpatchedWasmKernel(name: string): tf.KernelConfig | undefined {
  return originals.get(name);
}
