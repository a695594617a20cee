import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, selectBackend } from '../../../model';

describe('selectBackend', () => {
  it("'tensorflow' fails here with a message naming the package to install", async () => {
    const attempt = selectBackend('tensorflow', () => undefined);
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(/@tensorflow\/tfjs-node is not installed.*npm install @tensorflow\/tfjs-node/);
  });

  it("'tensorflow-gpu' fails here with a message naming the gpu package", async () => {
    await expect(selectBackend('tensorflow-gpu', () => undefined)).rejects.toThrow(
      /@tensorflow\/tfjs-node-gpu is not installed.*npm install @tensorflow\/tfjs-node-gpu/,
    );
  });

  it("'auto' picks wasm here and logs exactly one line saying why", async () => {
    const lines: string[] = [];
    const choice = await selectBackend('auto', (line) => lines.push(line));
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toEqual([
      `backend: wasm (auto: @tensorflow/tfjs-node-gpu not installed; @tensorflow/tfjs-node not installed; ${choice.reason.split('; ').pop()})`,
    ]);
    expect(choice.reason).toMatch(/1 thread$/);
  });

  it("'cpu' switches to the JavaScript backend", async () => {
    const lines: string[] = [];
    expect((await selectBackend('cpu', (line) => lines.push(line))).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(lines).toEqual(['backend: cpu (requested; plain JavaScript kernels)']);
  });

  it("'wasm' can be selected again after switching away", async () => {
    expect((await selectBackend('wasm', () => undefined)).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
