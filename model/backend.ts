// Chooses the TensorFlow.js backend for this process (tfjs has one global backend) and says in
// one log line which one and why, so that a slow run can be explained from its log alone.
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from './errors';
import { CPU_PACKAGE, GPU_PACKAGE, loadNodeBackend, type NodeBackendLoad } from './node-backends';
import { startWasmBackend } from './wasm-backend';

export type BackendRequest = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = Exclude<BackendRequest, 'auto'>;

export interface BackendChoice {
  readonly name: BackendName;
  readonly reason: string;
}

function describe(load: NodeBackendLoad): string {
  switch (load.kind) {
    case 'missing':
      return `${load.pkg} not installed`;
    case 'broken':
      return `${load.pkg} failed to load: ${load.error}`;
    case 'loaded':
      return load.gpu ? `${load.pkg} uses a GPU device; ${load.runtime}` : `${load.pkg} found no GPU device`;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function startCpu(reason: string): Promise<BackendChoice> {
  if (!(await tf.setBackend('cpu'))) {
    throw new BackendUnavailableError('cpu', 'initialisation failed', 'reinstall @tensorflow/tfjs');
  }
  // On its first tensor the cpu backend prints a banner asking Node users to install tfjs-node;
  // our backend line already says which backend runs and why, so the banner is marked as shown.
  Reflect.set(tf.backend(), 'firstUse', false);
  return { name: 'cpu', reason };
}

/** auto: a GPU, then native TensorFlow on CPU, then wasm, then plain JavaScript. */
async function chooseAutomatically(): Promise<BackendChoice> {
  const notes: string[] = [];
  const gpu = await loadNodeBackend(GPU_PACKAGE);
  if (gpu.kind === 'loaded') {
    // Without a GPU the gpu package still runs TensorFlow's CPU kernels, which is what
    // tfjs-node would bring, and loading tfjs-node next to it is not supported.
    return gpu.gpu
      ? { name: 'tensorflow-gpu', reason: `auto: ${describe(gpu)}` }
      : { name: 'tensorflow', reason: `auto: ${describe(gpu)}, using its CPU kernels; ${gpu.runtime}` };
  }
  notes.push(describe(gpu));
  const cpu = await loadNodeBackend(CPU_PACKAGE);
  if (cpu.kind === 'loaded') {
    return { name: 'tensorflow', reason: `auto: ${notes.join('; ')}; ${cpu.pkg} loaded; ${cpu.runtime}` };
  }
  notes.push(describe(cpu));
  try {
    const detail = await startWasmBackend();
    return { name: 'wasm', reason: `auto: ${notes.join('; ')}; ${detail}` };
  } catch (error) {
    notes.push(`wasm failed: ${errorText(error)}`);
  }
  return startCpu(`auto: ${notes.join('; ')}`);
}

async function useTensorflowGpu(): Promise<BackendChoice> {
  const load = await loadNodeBackend(GPU_PACKAGE);
  switch (load.kind) {
    case 'missing':
      throw new BackendUnavailableError(
        'tensorflow-gpu',
        `${GPU_PACKAGE} is not installed`,
        `install it with \`npm install ${GPU_PACKAGE}\` (Linux with CUDA; its install downloads libtensorflow) or choose auto`,
      );
    case 'broken':
      throw new BackendUnavailableError(
        'tensorflow-gpu',
        describe(load),
        'install the CUDA and cuDNN versions it was built for, or choose auto',
      );
    case 'loaded':
      if (!load.gpu) {
        throw new BackendUnavailableError(
          'tensorflow-gpu',
          describe(load),
          'check the NVIDIA driver and CUDA libraries, or choose tensorflow or auto',
        );
      }
      return { name: 'tensorflow-gpu', reason: `requested; ${describe(load)}` };
  }
}

async function useTensorflow(): Promise<BackendChoice> {
  const load = await loadNodeBackend(CPU_PACKAGE);
  switch (load.kind) {
    case 'missing':
      throw new BackendUnavailableError(
        'tensorflow',
        `${CPU_PACKAGE} is not installed`,
        `install it with \`npm install ${CPU_PACKAGE}\` (its install downloads libtensorflow) or choose wasm`,
      );
    case 'broken':
      throw new BackendUnavailableError(
        'tensorflow',
        describe(load),
        `reinstall it (\`npm rebuild ${CPU_PACKAGE}\`) or choose wasm`,
      );
    case 'loaded':
      // load.pkg is the gpu package when that one was loaded earlier in this process.
      return { name: load.gpu ? 'tensorflow-gpu' : 'tensorflow', reason: `requested; ${load.pkg} loaded; ${load.runtime}` };
  }
}

async function useNamed(requested: BackendName): Promise<BackendChoice> {
  switch (requested) {
    case 'tensorflow-gpu':
      return useTensorflowGpu();
    case 'tensorflow':
      return useTensorflow();
    case 'wasm':
      return { name: 'wasm', reason: `requested; ${await startWasmBackend()}` };
    case 'cpu':
      return startCpu('requested; plain JavaScript kernels');
  }
}

/**
 * Makes `requested` the process-wide tfjs backend and logs exactly one line naming it and why,
 * e.g. `backend: wasm (auto: @tensorflow/tfjs-node-gpu not installed; ...)`. A named backend that
 * cannot be used throws a BackendUnavailableError saying what to install; only 'auto' falls back.
 */
export async function selectBackend(requested: BackendRequest, log: (line: string) => void): Promise<BackendChoice> {
  const choice = requested === 'auto' ? await chooseAutomatically() : await useNamed(requested);
  log(`backend: ${choice.name} (${choice.reason})`);
  return choice;
}
