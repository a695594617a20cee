// Which network the classifier trains: the reference's CNN or its MLP. The name is written into
// every checkpoint, so a checkpoint of one refuses to restore into the other with that reason.
import type * as tf from '@tensorflow/tfjs';
import { buildCnn, type CnnOptions } from './cnn';
import { buildMlp } from './mlp';

export const ARCHITECTURES = ['cnn', 'mlp'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export function buildNetwork(architecture: Architecture, options: CnnOptions): tf.Sequential {
  switch (architecture) {
    case 'cnn':
      return buildCnn(options);
    case 'mlp':
      return buildMlp(options);
  }
}
