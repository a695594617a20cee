// What the native install fetches and lays out, per variant. TensorFlow's PyPI wheels carry the
// shared library that @tensorflow/tfjs-node's binding links against; Google's libtensorflow
// download, which the package's own install script uses, is gone (tensorflow/tfjs#8742).
import { homedir } from 'node:os';
import path from 'node:path';

export type NativeMode = 'cpu' | 'gpu';

export interface Wheel {
  /** pip requirement, e.g. tensorflow-cpu==2.21.0. */
  readonly requirement: string;
  /** Prefix of the wheel's file name, to find it in the cache without asking pip. */
  readonly filePrefix: string;
  readonly pythonVersion: string;
  readonly platform: string;
}

export interface LibraryFile {
  /** Path inside the wheel. */
  readonly from: string;
  /** File name in deps/lib. */
  readonly to: string;
}

export interface NativeVariant {
  readonly mode: NativeMode;
  readonly pkg: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';
  /** The wheel that holds libtensorflow and its headers. */
  readonly tensorflow: Wheel;
  /** Wheels whose shared libraries TensorFlow needs beside it (CUDA for the GPU). */
  readonly runtime: readonly Wheel[];
  readonly libraries: readonly LibraryFile[];
  /** Header paths (prefixes) under the wheel's tensorflow/include/ that the binding includes. */
  readonly headers: readonly string[];
}

/** tfjs-node 4.22's scripts look for deps/lib/libtensorflow.so.2.9.1 before downloading. */
export const TFJS_LIBTENSORFLOW_VERSION = '2.9.1';

const CPU: NativeVariant = {
  mode: 'cpu',
  pkg: '@tensorflow/tfjs-node',
  tensorflow: {
    requirement: 'tensorflow-cpu==2.21.0',
    filePrefix: 'tensorflow_cpu-2.21.0-',
    pythonVersion: '3.11',
    platform: 'manylinux_2_27_x86_64',
  },
  runtime: [],
  // libtensorflow_cc exports the C and eager C APIs (TF_*, TFE_*) and no Python symbols.
  libraries: [
    { from: 'tensorflow/libtensorflow_cc.so.2', to: 'libtensorflow_cc.so.2' },
    { from: 'tensorflow/libtensorflow_framework.so.2', to: 'libtensorflow_framework.so.2' },
  ],
  headers: ['tensorflow/c/', 'tensorflow/core/platform/ctstring', 'tsl/platform/', 'xla/tsl/c/'],
};

const CUDA11 = ['cudnn-cu11==8.6.0.163', 'cublas-cu11', 'cufft-cu11', 'cusparse-cu11', 'cusolver-cu11', 'curand-cu11', 'cuda-nvrtc-cu11', 'cuda-runtime-cu11'];

// Untested here (no GPU on our machines, and about 2.2 GB of wheels): tfjs-node-gpu 4.22 was
// built against TensorFlow 2.9.1 with CUDA 11.2. The tensorflow==2.9.1 wheel keeps the C API in a
// Python extension that leaves Python symbols undefined, so loading may need libpython preloaded.
const GPU: NativeVariant = {
  mode: 'gpu',
  pkg: '@tensorflow/tfjs-node-gpu',
  tensorflow: {
    requirement: 'tensorflow==2.9.1',
    filePrefix: 'tensorflow-2.9.1-',
    pythonVersion: '3.10',
    platform: 'manylinux2014_x86_64',
  },
  runtime: CUDA11.map((name) => ({
    requirement: `nvidia-${name}`,
    filePrefix: `nvidia_${name.split('==')[0]?.replace(/-/g, '_')}-`,
    pythonVersion: '3.10',
    platform: 'manylinux2014_x86_64',
  })),
  libraries: [
    { from: 'tensorflow/python/_pywrap_tensorflow_internal.so', to: '_pywrap_tensorflow_internal.so' },
    { from: 'tensorflow/libtensorflow_framework.so.2', to: 'libtensorflow_framework.so.2' },
  ],
  headers: ['tensorflow/c/', 'tensorflow/core/platform/ctstring'],
};

export const ENV_VAR = 'STREAMTRAIN_TENSORFLOW';

export type Choice = { readonly kind: 'install'; readonly variant: NativeVariant } | { readonly kind: 'skip'; readonly why: string };

/** STREAMTRAIN_TENSORFLOW: unset or "cpu" (default), "gpu" (opt-in, untested), "skip". */
export function chooseVariant(env: NodeJS.ProcessEnv): Choice {
  const value = (env[ENV_VAR] ?? '').trim().toLowerCase();
  if (value === '' || value === 'cpu') return { kind: 'install', variant: CPU };
  if (value === 'gpu') return { kind: 'install', variant: GPU };
  if (value === 'skip') return { kind: 'skip', why: `${ENV_VAR}=skip` };
  return { kind: 'skip', why: `${ENV_VAR}=${env[ENV_VAR] ?? ''} is not one of cpu, gpu, skip` };
}

/** Wheels are kept here between installs: $STREAMTRAIN_CACHE_DIR, else $XDG_CACHE_HOME/streamtrain, else ~/.cache/streamtrain. */
export function cacheDirectory(env: NodeJS.ProcessEnv): string {
  if (env.STREAMTRAIN_CACHE_DIR) return env.STREAMTRAIN_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'streamtrain');
}
