// Adam over all the model's parameters at once: the gradients are concatenated into one flat
// vector, so a step is about 30 ops whatever the number of variables (tfjs's Adam: ~14 per
// variable), and the moments live in two flat variables. The update is tfjs's (and DL4J's) Adam,
//   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g²,  w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),
// with the bias corrections folded into two scalars computed in double precision:
//   w -= [lr sqrt(1 - b2^t) / (1 - b1^t)] m / (sqrt(v) + eps sqrt(1 - b2^t)).
import * as tf from '@tensorflow/tfjs';
import type { ParameterOptimizer } from './optimizer';

function flatten(tensors: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.concat(tensors.map((t) => tf.reshape(t, [-1])));
}

export class FlatAdam implements ParameterOptimizer {
  iterations = 0;
  /** Created on the first step (or a restore), when the parameters' sizes are known. */
  private moments: { m: tf.Variable; v: tf.Variable; sizes: number[] } | null = null;

  constructor(
    private rate: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {}

  setLearningRate(rate: number): void {
    this.rate = rate;
  }

  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[]): void {
    const { beta1, beta2 } = this;
    const t = this.iterations + 1;
    const correction2 = Math.sqrt(1 - beta2 ** t);
    const stepSize = (this.rate * correction2) / (1 - beta1 ** t);
    const epsilonHat = this.epsilon * correction2;
    tf.tidy(() => {
      const g = flatten(gradients);
      const { m, v, sizes } = this.momentsFor(variables);
      const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
      const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
      m.assign(m1);
      v.assign(v1);
      const delta = tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), epsilonHat)), stepSize);
      tf.split(delta, sizes).forEach((d, i) => variables[i].assign(tf.sub(variables[i], tf.reshape(d, variables[i].shape))));
    });
    this.iterations = t;
  }

  async slots(): Promise<Float32Array[]> {
    if (this.moments === null) return [];
    const { m, v, sizes } = this.moments;
    const split = async (flat: tf.Tensor): Promise<Float32Array[]> => {
      const values = await flat.data<'float32'>();
      let offset = 0;
      return sizes.map((size) => {
        offset += size;
        // A copy made in this realm: tfjs-node's arrays come from Node's main realm (see training-state.ts).
        return Float32Array.from(values.subarray(offset - size, offset));
      });
    };
    return [...(await split(m)), ...(await split(v))];
  }

  restore(iterations: number, slots: readonly Float32Array[], variables: readonly tf.Variable[]): void {
    if (slots.length !== 0 && slots.length !== 2 * variables.length) {
      throw new Error(`Adam keeps 2 tensors per variable (${2 * variables.length}), got ${slots.length}`);
    }
    this.disposeMoments();
    this.iterations = iterations;
    if (slots.length === 0) return;
    const sizes = variables.map((w) => w.size);
    const join = (parts: readonly Float32Array[]) => {
      const flat = new Float32Array(sizes.reduce((a, b) => a + b, 0));
      let offset = 0;
      parts.forEach((part, i) => {
        if (part.length !== sizes[i]) throw new Error(`an Adam moment has ${part.length} values, its variable ${sizes[i]}`);
        flat.set(part, offset);
        offset += part.length;
      });
      return tf.tidy(() => tf.variable(tf.tensor1d(flat), false));
    };
    this.moments = { m: join(slots.slice(0, variables.length)), v: join(slots.slice(variables.length)), sizes };
  }

  dispose(): void {
    this.disposeMoments();
  }

  private momentsFor(variables: readonly tf.Variable[]): { m: tf.Variable; v: tf.Variable; sizes: number[] } {
    if (this.moments === null) {
      const sizes = variables.map((w) => w.size);
      const total = sizes.reduce((a, b) => a + b, 0);
      this.moments = { m: tf.variable(tf.zeros([total]), false), v: tf.variable(tf.zeros([total]), false), sizes };
    }
    return this.moments;
  }

  private disposeMoments(): void {
    if (this.moments === null) return;
    this.moments.m.dispose();
    this.moments.v.dispose();
    this.moments = null;
  }
}
