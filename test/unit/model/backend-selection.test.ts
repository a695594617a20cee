// `npm ci` builds @tensorflow/tfjs-node on TensorFlow's PyPI library (scripts/native-tensorflow.ts),
// so 'auto' picks native TensorFlow; an install run with STREAMTRAIN_TENSORFLOW=skip has no
// tfjs-node and must fall back to wasm. Both branches assert what a user reads in the log.
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, selectBackend } from '../../../model';

const nativeSkipped = process.env.STREAMTRAIN_TENSORFLOW === 'skip';
const RUNTIME = /TensorFlow \d+\.\d+\.\d+, \d+ intra-op and \d+ inter-op threads$/;

describe('selectBackend', () => {
  (nativeSkipped ? it.skip : it)("'auto' picks native TensorFlow and logs its version and threads in one line", async () => {
    const lines: string[] = [];
    const choice = await selectBackend('auto', (line) => lines.push(line));
    expect(choice.name).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^backend: tensorflow \(auto: @tensorflow\/tfjs-node-gpu not installed; @tensorflow\/tfjs-node loaded; /);
    expect(lines[0]).toMatch(new RegExp(RUNTIME.source.replace('$', '\\)$')));
  });

  (nativeSkipped ? it.skip : it)("'tensorflow' by name loads tfjs-node", async () => {
    const choice = await selectBackend('tensorflow', () => undefined);
    expect(choice.name).toBe('tensorflow');
    expect(choice.reason).toMatch(RUNTIME);
    expect(tf.getBackend()).toBe('tensorflow');
  });

  (nativeSkipped ? it : it.skip)("without the native install 'auto' picks wasm and says why", async () => {
    const lines: string[] = [];
    const choice = await selectBackend('auto', (line) => lines.push(line));
    expect(choice.name).toBe('wasm');
    expect(lines).toEqual([
      `backend: wasm (auto: @tensorflow/tfjs-node-gpu not installed; @tensorflow/tfjs-node not installed; ${choice.reason.split('; ').pop()})`,
    ]);
    expect(choice.reason).toMatch(/1 thread$/);
    await expect(selectBackend('tensorflow', () => undefined)).rejects.toThrow(/@tensorflow\/tfjs-node is not installed.*npm install @tensorflow\/tfjs-node/);
  });

  it("'tensorflow-gpu' fails here (no GPU) with a message saying what to do", async () => {
    const attempt = selectBackend('tensorflow-gpu', () => undefined);
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    // With tfjs-node loaded in this process the answer is that TensorFlow sees no GPU.
    await expect(attempt).rejects.toThrow(
      nativeSkipped
        ? /@tensorflow\/tfjs-node-gpu is not installed.*npm install @tensorflow\/tfjs-node-gpu/
        : /@tensorflow\/tfjs-node found no GPU device; check the NVIDIA driver and CUDA libraries/,
    );
  });

  it("'wasm' can be selected after native TensorFlow and says SIMD and threads", async () => {
    const lines: string[] = [];
    expect((await selectBackend('wasm', (line) => lines.push(line))).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toEqual(['backend: wasm (requested; SIMD, 1 thread)']);
  });

  it("'cpu' switches to the JavaScript backend, without tfjs's 'install our node backend' banner", async () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => warnings.push(args.join(' ')));
    try {
      expect((await selectBackend('cpu', (line) => lines.push(line))).name).toBe('cpu');
      expect(tf.getBackend()).toBe('cpu');
      tf.tidy(() => tf.tensor1d([1, 2]).square().dataSync());
    } finally {
      warn.mockRestore();
    }
    expect(lines).toEqual(['backend: cpu (requested; plain JavaScript kernels)']);
    expect(warnings.filter((w) => w.includes('looks like you are running TensorFlow.js in Node.js'))).toEqual([]);
  });

  it("'wasm' can be selected again after switching away", async () => {
    expect((await selectBackend('wasm', () => undefined)).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
