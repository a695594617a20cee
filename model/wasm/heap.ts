// Access to the wasm backend's heap for kernels written in TypeScript. Views must be taken
// after every allocation of the kernel: growing the heap detaches views taken before.
import * as tf from '@tensorflow/tfjs';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Narrows the untyped `backend` a kernel receives; these kernels are registered for wasm only. */
export function asWasmBackend(backend: unknown, kernel: string): BackendWasm {
  if (backend instanceof BackendWasm) {
    return backend;
  }
  throw new Error(`${kernel}: registered for the wasm backend but called with another backend`);
}

export function float32View(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== 'float32') {
    throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  }
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) {
    throw new Error('wasm heap view of a float32 tensor is not a Float32Array');
  }
  return view;
}

/** The same data under another shape, as the wasm Reshape kernel does, without a copy. */
export function withShape(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Runs a registered kernel function and insists on the single output every kernel here has. */
export function runSingle(
  kernelFunc: tf.KernelFunc,
  inputs: tf.NamedTensorInfoMap,
  backend: BackendWasm,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const out = kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    throw new Error('expected a kernel with one output');
  }
  return out;
}
