// Calls TensorFlow ops that tfjs-node has no kernel for, through its backend's own entry points
// (executeSingleOutput / executeMultipleOutputs, which run one eager TFE op). Typed here, checked
// at run time, so that a tfjs-node without them fails with one clear message.
import * as tf from '@tensorflow/tfjs';

export interface OpAttr {
  readonly name: string;
  readonly type: number;
  readonly value: boolean | number | string | number[] | string[];
}

interface NativeBackend {
  readonly binding: { readonly TF_ATTR_TYPE: number; readonly TF_ATTR_INT: number; readonly TF_ATTR_STRING: number; readonly TF_ATTR_BOOL: number; readonly TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[], outputs: number): tf.Tensor[];
}

function isNativeBackend(backend: unknown): backend is NativeBackend {
  if (typeof backend !== 'object' || backend === null) return false;
  return (
    typeof Reflect.get(backend, 'executeSingleOutput') === 'function' &&
    typeof Reflect.get(backend, 'executeMultipleOutputs') === 'function' &&
    typeof Reflect.get(backend, 'binding') === 'object'
  );
}

export function nativeBackend(): NativeBackend {
  const backend = tf.findBackend('tensorflow');
  if (!isNativeBackend(backend)) throw new Error('the tensorflow backend does not expose executeSingleOutput; load @tensorflow/tfjs-node 4.x');
  return backend;
}

/** Attribute helpers in the binding's terms. */
export function attrs(backend: NativeBackend) {
  const b = backend.binding;
  return {
    float: (name: string): OpAttr => ({ name, type: b.TF_ATTR_TYPE, value: b.TF_FLOAT }),
    ints: (name: string, value: number[]): OpAttr => ({ name, type: b.TF_ATTR_INT, value }),
    string: (name: string, value: string): OpAttr => ({ name, type: b.TF_ATTR_STRING, value }),
    bool: (name: string, value: boolean): OpAttr => ({ name, type: b.TF_ATTR_BOOL, value }),
  };
}
