// Jest runs each test file in a vm context with its own Float32Array, Int32Array, ... The native
// TensorFlow binding makes its typed arrays in Node's main context, so inside a test
// `values instanceof Float32Array` was false for them and tfjs's own checks (model export's
// concatenateTypedArrays) rejected a Float32Array. The test context gets the main context's
// typed array constructors, as the app (no vm) has.
import NodeEnvironment from 'jest-environment-node';

const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

export default class NativeRealmEnvironment extends NodeEnvironment {
  override async setup(): Promise<void> {
    await super.setup();
    for (const constructor of TYPED_ARRAYS) Reflect.set(this.global, constructor.name, constructor);
  }
}
