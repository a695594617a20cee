// Loads the native TensorFlow backends, which are optional: their install downloads libtensorflow,
// so they may be absent, or present but unable to load their shared library. They are required
// dynamically so that this file compiles and runs without them, and at most one of the two is ever
// loaded: both register the same 'tensorflow' backend over the same native library.
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { installTensorflowTrainingKernels } from './tensorflow-kernels';

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
export const CPU_PACKAGE = '@tensorflow/tfjs-node';
export type NodePackage = typeof GPU_PACKAGE | typeof CPU_PACKAGE;

export type NodeBackendLoad =
  | { readonly kind: 'missing'; readonly pkg: NodePackage }
  | { readonly kind: 'broken'; readonly pkg: NodePackage; readonly error: string }
  | { readonly kind: 'loaded'; readonly pkg: NodePackage; readonly gpu: boolean; readonly runtime: string };

/** The package that registered 'tensorflow' in this process, if we loaded one. */
let loadedPackage: NodePackage | undefined;

export function loadedNodePackage(): NodePackage | undefined {
  return loadedPackage;
}

function isInstalled(pkg: NodePackage): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function property(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const found: unknown = Reflect.get(value, key);
  return found;
}

/**
 * Whether the 'tensorflow' backend places ops on a GPU. tfjs-node's backend exposes the answer its
 * binding computed from TensorFlow's device list when it created the eager context
 * (`isUsingGpuDevice`); older versions only expose it on the binding as a function.
 */
export function usesGpuDevice(backend: unknown): boolean {
  const flag = property(backend, 'isUsingGpuDevice');
  if (typeof flag === 'boolean') {
    return flag;
  }
  const binding = property(backend, 'binding');
  const query = property(binding, 'isUsingGpuDevice');
  if (typeof query === 'function') {
    const answer: unknown = query.call(binding);
    return answer === true;
  }
  return false;
}

/**
 * "TensorFlow 2.21.0, 2 intra-op and 2 inter-op threads": the library's version from the binding,
 * and the thread pools TensorFlow sizes from TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS or,
 * unset, from the number of CPUs it may run on.
 */
export function describeRuntime(backend: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const version = property(property(backend, 'binding'), 'TF_Version');
  const cpus = availableParallelism();
  const threads = (name: string): number => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : cpus;
  };
  return (
    `TensorFlow ${typeof version === 'string' ? version : 'of unknown version'}, ` +
    `${threads('TF_NUM_INTRAOP_THREADS')} intra-op and ${threads('TF_NUM_INTEROP_THREADS')} inter-op threads`
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/** Requires `pkg` (unless a node backend is already loaded) and switches tfjs to 'tensorflow'. */
export async function loadNodeBackend(pkg: NodePackage): Promise<NodeBackendLoad> {
  const already = loadedPackage;
  if (already === undefined) {
    if (!isInstalled(pkg)) {
      return { kind: 'missing', pkg };
    }
    // TensorFlow logs INFO lines (oneDNN, CPU features) to stderr when it loads; our one backend
    // line says what matters. Warnings and errors still show. The library reads this at load.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
    try {
      // The module's exports are not needed: importing it registers the 'tensorflow' backend.
      const loaded: unknown = require(pkg);
      void loaded;
    } catch (error) {
      return { kind: 'broken', pkg, error: message(error) };
    }
    loadedPackage = pkg;
  }
  const used = already ?? pkg;
  try {
    if (!(await tf.setBackend('tensorflow'))) {
      return { kind: 'broken', pkg: used, error: "the 'tensorflow' backend failed to initialise" };
    }
  } catch (error) {
    return { kind: 'broken', pkg: used, error: message(error) };
  }
  installTensorflowTrainingKernels();
  return { kind: 'loaded', pkg: used, gpu: usesGpuDevice(tf.backend()), runtime: describeRuntime(tf.backend()) };
}
