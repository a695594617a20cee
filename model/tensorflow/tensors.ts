// Kernels of the 'tensorflow' backend here are compositions of other TensorFlow ops. The engine
// hands a kernel the very Tensors its op was called with (typed as TensorInfo), so they can be
// used as they are; a wrapper made from the data id would free the input's data when disposed.
import * as tf from '@tensorflow/tfjs';

export function asTensor(info: tf.TensorInfo): tf.Tensor {
  if (info instanceof tf.Tensor) return info;
  throw new Error('a tensorflow kernel input is not a Tensor; this tfjs version passes bare TensorInfos');
}
