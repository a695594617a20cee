// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter (tensorflow/tfjs#8474), so the gradient of
// any conv2d kernel throws on wasm. This kernel computes it as one plain matrix product:
//   dW[k, co] = sum_n cols[k, n] * dy[n, co]
// where cols is the im2col matrix built already transposed (k = filter tap and input channel,
// n = batch x output position), so the fast non-transposed wasm BatchMatMul does the work.
import * as tf from '@tensorflow/tfjs';
import { input, numberOrPair, padding, rank4, rounding, shapeAttr4, text } from './attrs';
import { asWasmBackend, float32View, runSingle, withShape } from './heap';

/** Fills cols ([filterH*filterW*inChannels, batch*outH*outW], row-major) from NHWC x. */
export function im2colTransposed(x: Float32Array, cols: Float32Array, conv: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = conv;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = conv;
  const { top, left } = conv.padInfo;
  let n = 0;
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      for (let ch = 0; ch < inChannels; ch++) {
        for (let b = 0; b < batchSize; b++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * strideHeight + fh - top;
            if (ih < 0 || ih >= inHeight) {
              cols.fill(0, n, n + outWidth);
              n += outWidth;
              continue;
            }
            const rowBase = (b * inHeight + ih) * inWidth;
            for (let ow = 0; ow < outWidth; ow++) {
              const iw = ow * strideWidth + fw - left;
              cols[n++] = iw >= 0 && iw < inWidth ? x[(rowBase + iw) * inChannels + ch] : 0;
            }
          }
        }
      }
    }
  }
}

/** A Conv2DBackpropFilter kernel for wasm that multiplies with the given BatchMatMul kernel. */
export function conv2dBackpropFilter(batchMatMul: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const wasm = asWasmBackend(backend, 'Conv2DBackpropFilter');
    const x = input(inputs, 'x');
    const dy = input(inputs, 'dy');
    const dataFormat = text(attrs, 'dataFormat');
    if (dataFormat !== undefined && dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
    }
    const conv = tf.backend_util.computeConv2DInfo(
      rank4(x.shape, 'Conv2DBackpropFilter x'),
      shapeAttr4(attrs, 'filterShape'),
      numberOrPair(attrs, 'strides'),
      1,
      padding(attrs),
      rounding(attrs),
    );
    const taps = conv.filterHeight * conv.filterWidth * conv.inChannels;
    const positions = conv.batchSize * conv.outHeight * conv.outWidth;
    const cols = wasm.makeOutput([1, taps, positions], 'float32');
    try {
      im2colTransposed(float32View(wasm, x), float32View(wasm, cols), conv);
      const dw = runSingle(
        batchMatMul.kernelFunc,
        { a: cols, b: withShape(dy, [1, positions, conv.outChannels]) },
        wasm,
        { transposeA: false, transposeB: false },
      );
      return withShape(dw, conv.filterShape);
    } finally {
      wasm.disposeData(cols.dataId);
    }
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc };
}
