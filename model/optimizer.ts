// The optimizers, with a learning rate that can change between steps (schedules, and the drift
// reaction that raises it for a while) without replacing the optimizer and losing its state.
import * as tf from '@tensorflow/tfjs';

export type OptimizerName = 'sgd' | 'adam';

/** An optimizer whose learning rate may be set before any step. */
export type TunableOptimizer = tf.Optimizer & { setLearningRate(rate: number): void };

/** tfjs's Adam keeps its rate in a protected field and offers no setter; SGD has one. */
class TunableAdam extends tf.AdamOptimizer {
  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }
}

/**
 * Adam's epsilon is fixed (DL4J's default 1e-8) rather than tfjs's default, which is the current
 * backend's epsilon: a checkpoint written on one backend must continue identically on another.
 */
export function createOptimizer(options: { readonly optimizer: OptimizerName; readonly learningRate: number }): TunableOptimizer {
  switch (options.optimizer) {
    case 'sgd':
      return new tf.SGDOptimizer(options.learningRate);
    case 'adam':
      return new TunableAdam(options.learningRate, 0.9, 0.999, 1e-8);
  }
}
