// The wasm MaxPoolGrad is correct but slow: for our 2x2/stride-1 pool over 500x14x14x32 it took
// ~195 ms, half of a whole training step; this one takes ~80 ms on random data (less on MNIST,
// whose ReLU zeros make the comparisons predictable). It does one pass over the pooling windows,
// keeping the running max of all channels at once (channels are contiguous in NHWC), and routes
// each output gradient to the first position holding the window's max, as the cpu kernel does.
import * as tf from '@tensorflow/tfjs';
import { input, numberOrPair, padding, rank4, rounding } from './attrs';
import { asWasmBackend, float32View } from './heap';

/** Accumulates dy into dx (which must be zeroed) at each window's first maximum of x. */
export function maxPoolBackprop(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  pool: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = pool;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = pool;
  const { top, left } = pool.padInfo;
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const r0 = oh * strideHeight - top;
      const rStart = Math.max(r0, 0);
      const rEnd = Math.min(r0 + filterHeight, inHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const c0 = ow * strideWidth - left;
        const cStart = Math.max(c0, 0);
        const cEnd = Math.min(c0 + filterWidth, inWidth);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = rStart; r < rEnd; r++) {
          for (let c = cStart; c < cEnd; c++) {
            const base = ((b * inHeight + r) * inWidth + c) * channels;
            for (let ch = 0; ch < channels; ch++) {
              const v = x[base + ch];
              if (v > best[ch]) {
                best[ch] = v;
                where[ch] = base + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < channels; ch++, dyIndex++) {
          if (where[ch] >= 0) {
            dx[where[ch]] += dy[dyIndex];
          }
        }
      }
    }
  }
}

export function maxPoolGrad(): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const wasm = asWasmBackend(backend, 'MaxPoolGrad');
    const x = input(inputs, 'input');
    const dy = input(inputs, 'dy');
    const pool = tf.backend_util.computePool2DInfo(
      rank4(x.shape, 'MaxPoolGrad input'),
      numberOrPair(attrs, 'filterSize'),
      numberOrPair(attrs, 'strides'),
      1,
      padding(attrs),
      rounding(attrs),
    );
    const dx = wasm.makeOutput(x.shape, 'float32');
    const dxView = float32View(wasm, dx);
    dxView.fill(0);
    maxPoolBackprop(float32View(wasm, x), float32View(wasm, dy), dxView, pool);
    return dx;
  };
  return { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc };
}
