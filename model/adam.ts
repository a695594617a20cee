// Adam in 12 ops per group of variables, with the L2 term already in the gradients (see
// train-step.ts). The update is tfjs's (and DL4J's) Adam,
//   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g²,  w -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps),
// with the bias corrections folded into two scalars computed in double precision:
//   w -= [lr sqrt(1 - b2^t) / (1 - b1^t)] m / (sqrt(v) + eps sqrt(1 - b2^t)),
// which saves tfjs's two divisions per variable and its two bias-power variables. Each large
// variable is a group of its own; the small ones (biases, the output layer) share one flat group,
// since each op costs about as much to launch as it costs to run on a few thousand floats. (All
// variables in one flat vector was slower: concatenating and splitting the 540,800 weights of the
// hidden layer costs more than the ops it saves, 3x more on wasm.)
import * as tf from '@tensorflow/tfjs';
import type { ParameterOptimizer } from './optimizer';

/** Variables at least this large are updated on their own, without a copy into a flat group. */
const OWN_GROUP_SIZE = 65536;

interface Group {
  /** Indices of the group's variables, in variable order. */
  readonly members: number[];
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

function groupsOf(variables: readonly tf.Variable[]): number[][] {
  const small = variables.flatMap((w, i) => (w.size < OWN_GROUP_SIZE ? [i] : []));
  const large = variables.flatMap((w, i) => (w.size >= OWN_GROUP_SIZE ? [[i]] : []));
  return small.length > 0 ? [...large, small] : large;
}

function flatValues(tensors: readonly tf.Tensor[]): tf.Tensor {
  const flat = tensors.map((t) => tf.reshape(t, [-1]));
  return flat.length === 1 ? flat[0] : tf.concat(flat);
}

export class Adam implements ParameterOptimizer {
  iterations = 0;
  /** Created on the first step (or a restore). */
  private groups: Group[] = [];
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
    if (this.groups.length === 0) {
      this.groups = groupsOf(variables).map((members) => this.group(members, variables, null));
    }
    tf.tidy(() => {
      const step = tf.scalar(stepSize);
      const eps = tf.scalar(epsilonHat);
      for (const { members, m, v } of this.groups) {
        const g = flatValues(members.map((i) => gradients[i]));
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, oneMinusB1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), oneMinusB2));
        m.assign(m1);
        v.assign(v1);
        const delta = tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), eps)), step);
        const parts = members.length === 1 ? [delta] : tf.split(delta, members.map((i) => variables[i].size));
        members.forEach((i, k) => variables[i].assign(tf.sub(variables[i], tf.reshape(parts[k], variables[i].shape))));
      }
    });
    this.iterations = t;
  }

  /** Per variable, in variable order: every first moment, then every second moment. */
  async slots(): Promise<Float32Array[]> {
    const count = this.groups.reduce((n, g) => n + g.members.length, 0);
    const first: Float32Array[] = new Array<Float32Array>(count);
    const second: Float32Array[] = new Array<Float32Array>(count);
    for (const { members, m, v } of this.groups) {
      // Copies made in this realm: tfjs-node's arrays come from Node's main realm (see training-state.ts).
      const [ms, vs] = [Float32Array.from(await m.data<'float32'>()), Float32Array.from(await v.data<'float32'>())];
      let offset = 0;
      for (const i of members) {
        const size = this.sizes[i];
        first[i] = ms.slice(offset, offset + size);
        second[i] = vs.slice(offset, offset + size);
        offset += size;
      }
    }
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
    this.disposeGroups();
    this.iterations = iterations;
    if (slots.length === 0) return;
    this.groups = groupsOf(variables).map((members) => this.group(members, variables, slots));
  }

  dispose(): void {
    this.disposeGroups();
    tf.dispose([...this.constants]);
  }

  /** Sizes of the variables of the current groups, by variable index. */
  private sizes: number[] = [];

  /** A group's moments: zeros, or the checkpoint's per-variable values joined. */
  private group(members: number[], variables: readonly tf.Variable[], slots: readonly Float32Array[] | null): Group {
    members.forEach((i) => (this.sizes[i] = variables[i].size));
    const total = members.reduce((n, i) => n + variables[i].size, 0);
    const moment = (offset: number) => {
      const values = new Float32Array(total);
      if (slots !== null) {
        let at = 0;
        for (const i of members) {
          values.set(slots[offset + i], at);
          at += variables[i].size;
        }
      }
      return tf.tidy(() => tf.variable(tf.tensor1d(values), false));
    };
    return { members, m: moment(0), v: moment(variables.length) };
  }

  private disposeGroups(): void {
    for (const { m, v } of this.groups) {
      m.dispose();
      v.dispose();
    }
    this.groups = [];
  }
}
