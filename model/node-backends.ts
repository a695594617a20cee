// Loads the native TensorFlow backends, which are optional: their install downloads libtensorflow,
// so they may be absent, or present but unable to load their shared library. They are required
// dynamically so that this file compiles and runs without them, and at most one of the two is ever
// loaded: both register the same 'tensorflow' backend over the same native library.
import * as tf from '@tensorflow/tfjs';

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
export const CPU_PACKAGE = '@tensorflow/tfjs-node';
export type NodePackage = typeof GPU_PACKAGE | typeof CPU_PACKAGE;

export type NodeBackendLoad =
  | { readonly kind: 'missing'; readonly pkg: NodePackage }
  | { readonly kind: 'broken'; readonly pkg: NodePackage; readonly error: string }
  | { readonly kind: 'loaded'; readonly pkg: NodePackage; readonly gpu: boolean };

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
  return { kind: 'loaded', pkg: used, gpu: usesGpuDevice(tf.backend()) };
}
