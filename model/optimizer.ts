// The optimizers: each applies one step's gradients to the model's variables, with a learning rate
// that can change between steps (schedules, and the drift reaction that raises it for a while)
// without losing its state, and exposes that state for checkpoints. They replace tfjs's own
// optimizers, which spend ~14 small ops per variable per step and take the L2 term's gradient
// through autodiff.
import * as tf from '@tensorflow/tfjs';
import { Adam } from './adam';

export type OptimizerName = 'sgd' | 'adam';

export interface ParameterOptimizer {
  /** Steps taken so far. */
  readonly iterations: number;
  setLearningRate(rate: number): void;
  /** One step: each variable moves against its gradient (same order, same shapes). */
  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void;
  /**
   * What the next steps depend on besides the weights, one array per variable and moment (Adam:
   * every first moment in variable order, then every second moment); none for SGD or before the
   * first step. The checkpoint stores them as tfjs's Adam did, so older checkpoints restore.
   */
  slots(): Promise<Float32Array[]>;
  /** Takes over a checkpoint's iterations and slots (as slots() returns them) for `variables`. */
  restore(iterations: number, slots: readonly Float32Array[], variables: readonly tf.Variable[]): void;
  dispose(): void;
}

/** Plain gradient descent: w -= rate * g, two ops per variable; it has no state but its step count. */
class Sgd implements ParameterOptimizer {
  iterations = 0;

  constructor(private rate: number) {}

  setLearningRate(rate: number): void {
    this.rate = rate;
  }

  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    tf.tidy(() => variables.forEach((w, i) => w.assign(tf.sub(w, tf.mul(gradients[i], this.rate)))));
    this.iterations += 1;
  }

  async slots(): Promise<Float32Array[]> {
    return [];
  }

  restore(iterations: number, slots: readonly Float32Array[]): void {
    if (slots.length > 0) throw new Error(`SGD keeps no optimizer tensors, got ${slots.length}`);
    this.iterations = iterations;
  }

  dispose(): void {}
}

/**
 * Adam's epsilon is fixed (DL4J's default 1e-8) rather than tfjs's default, which is the current
 * backend's epsilon: a checkpoint written on one backend must continue identically on another.
 */
export function createOptimizer(options: { readonly optimizer: OptimizerName; readonly learningRate: number }): ParameterOptimizer {
  switch (options.optimizer) {
    case 'sgd':
      return new Sgd(options.learningRate);
    case 'adam':
      return new Adam(options.learningRate, 0.9, 0.999, 1e-8);
  }
}
