// Starts the WebAssembly backend in Node: binaries from the installed package's dist folder (read
// from disk, no fetch), one thread (threads need cross-origin-isolated workers and bring nothing
// on our 2-core machines next to the Kafka client), SIMD whenever the runtime supports it (the
// backend detects it itself), and the kernels that let it train (see wasm-kernels.ts).
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError } from './errors';
import { installWasmTrainingKernels } from './wasm-kernels';

function wasmDistDirectory(): string {
  const binary = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return path.dirname(binary) + path.sep;
}

/** Switches tfjs to wasm; returns a short description such as "SIMD, 1 thread". */
export async function startWasmBackend(): Promise<string> {
  // Paths and flags only matter before the first initialisation; later calls just switch back.
  // (tf.findBackend would start the initialisation itself, hence the registry look-up.)
  if (!('wasm' in tf.engine().registry)) {
    setWasmPaths(wasmDistDirectory());
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BackendUnavailableError('wasm', `initialisation failed (${detail})`, 'reinstall @tensorflow/tfjs-backend-wasm or choose cpu');
  }
  if (!ok) {
    throw new BackendUnavailableError('wasm', 'initialisation failed', 'reinstall @tensorflow/tfjs-backend-wasm or choose cpu');
  }
  installWasmTrainingKernels();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return `${simd ? 'SIMD' : 'no SIMD'}, 1 thread`;
}
