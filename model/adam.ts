// Adam in 12 ops per variable, with the L2 term already in the gradients (see train-step.ts).
// The update is tfjs's (and DL4J's) Adam,
//   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g²,  w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),
// with the bias corrections folded into two scalars computed in double precision:
//   w -= [lr sqrt(1 - b2^t) / (1 - b1^t)] m / (sqrt(v) + eps sqrt(1 - b2^t)),
// which saves tfjs's two divisions per variable and its two bias-power variables. (One flat
// vector for all variables cut the op count further but was slower: concatenating and splitting
// 545k floats costs more than the ops saved, 3x more on wasm.)
import * as tf from '@tensorflow/tfjs';
import type { ParameterOptimizer } from './optimizer';

interface Moments {
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

export class Adam implements ParameterOptimizer {
  iterations = 0;
  /** One pair per variable, created on the first step (or a restore). */
  private moments: Moments[] = [];
  /** b1, 1 - b1, b2, 1 - b2 as tensors made once: a number operand is uploaded anew by every op. */
  private readonly constants: readonly [tf.Scalar, tf.Scalar, tf.Scalar, tf.Scalar];

  constructor(
    private rate: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    this.constants = [tf.keep(tf.scalar(beta1)), tf.keep(tf.scalar(1 - beta1)), tf.keep(tf.scalar(beta2)), tf.keep(tf.scalar(1 - beta2))];
  }

  setLearningRate(rate: number): void {
    this.rate = rate;
  }

  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    const { beta1, beta2 } = this;
    const [b1, oneMinusB1, b2, oneMinusB2] = this.constants;
    const t = this.iterations + 1;
    const correction2 = Math.sqrt(1 - beta2 ** t);
    const stepSize = (this.rate * correction2) / (1 - beta1 ** t);
    const epsilonHat = this.epsilon * correction2;
    if (this.moments.length === 0) {
      this.moments = variables.map((w) => tf.tidy(() => ({ m: tf.variable(tf.zerosLike(w), false), v: tf.variable(tf.zerosLike(w), false) })));
    }
    tf.tidy(() => {
      const step = tf.scalar(stepSize);
      const eps = tf.scalar(epsilonHat);
      variables.forEach((w, i) => {
        const g = gradients[i];
        const { m, v } = this.moments[i];
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, oneMinusB1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), oneMinusB2));
        m.assign(m1);
        v.assign(v1);
        w.assign(tf.sub(w, tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), eps)), step)));
      });
    });
    this.iterations = t;
  }

  async slots(): Promise<Float32Array[]> {
    const read = async (t: tf.Tensor) => {
      const values = await t.data<'float32'>();
      // A copy made in this realm: tfjs-node's arrays come from Node's main realm (see training-state.ts).
      return Float32Array.from(values);
    };
    const first = await Promise.all(this.moments.map((p) => read(p.m)));
    const second = await Promise.all(this.moments.map((p) => read(p.v)));
    return [...first, ...second];
  }

  restore(iterations: number, slots: readonly Float32Array[], variables: readonly tf.Variable[]): void {
    if (slots.length !== 0 && slots.length !== 2 * variables.length) {
      throw new Error(`Adam keeps 2 tensors per variable (${2 * variables.length}), got ${slots.length}`);
    }
    slots.forEach((values, i) => {
      const size = variables[i % variables.length].size;
      if (values.length !== size) throw new Error(`an Adam moment has ${values.length} values, its variable ${size}`);
    });
    this.disposeMoments();
    this.iterations = iterations;
    const moment = (values: Float32Array, w: tf.Variable) => tf.tidy(() => tf.variable(tf.tensor(values, w.shape, 'float32'), false));
    this.moments = slots.length === 0 ? [] : variables.map((w, i) => ({ m: moment(slots[i], w), v: moment(slots[variables.length + i], w) }));
  }

  dispose(): void {
    this.disposeMoments();
    tf.dispose([...this.constants]);
  }

  private disposeMoments(): void {
    for (const { m, v } of this.moments) {
      m.dispose();
      v.dispose();
    }
    this.moments = [];
  }
}
