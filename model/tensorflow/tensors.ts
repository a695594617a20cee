// Kernels of the 'tensorflow' backend here are compositions of other TensorFlow ops; inside a
// kernel the inputs are bare TensorInfos, so they are wrapped as Tensors over the same data.
import * as tf from '@tensorflow/tfjs';

export function asTensor(info: tf.TensorInfo): tf.Tensor {
  return tf.engine().makeTensorFromDataId(info.dataId, info.shape, info.dtype);
}
