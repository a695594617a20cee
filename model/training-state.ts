// Captures and restores everything that determines the next training step: the model's weights
// and the optimizer's state (iteration count, and for Adam its first and second moments). Without
// the moments a restored Adam restarts its running averages and its losses drift away from those
// of an uninterrupted run.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from './cnn';
import { createOptimizer, type TunableOptimizer } from './optimizer';
import type { CheckpointContents, CheckpointTensor } from './checkpoint-format';
import { CheckpointMismatchError } from './errors';
import type { JsonValue } from './json';
import { trainableVariables } from './train-step';

type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

export interface OptimizerSettings {
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
}

async function float32Values(tensor: tf.Tensor): Promise<Float32Array> {
  if (tensor.dtype !== 'float32') {
    throw new Error(`only float32 tensors can be checkpointed, got ${tensor.dtype}`);
  }
  // A view, not instanceof: tfjs-node's binding makes its arrays in Node's main realm, which is
  // not the realm of code run in a vm context (jest), where instanceof Float32Array is false.
  const values = await tensor.data<'float32'>();
  return new Float32Array(values.buffer, values.byteOffset, values.length);
}

/**
 * Optimizer slots are named after the engine's unique variable names (e.g. `hidden/kernel_7/m`),
 * which depend on how many models the process created; the checkpoint uses the weights' stable
 * names (`hidden/kernel/m`) instead.
 */
function stableSlotName(name: string, model: tf.LayersModel): string {
  for (const weight of model.trainableWeights) {
    const prefix = `${weight.name}/`;
    if (name.startsWith(prefix)) {
      return `${weight.originalName}/${name.slice(prefix.length)}`;
    }
  }
  return name;
}

export async function captureState(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  settings: OptimizerSettings,
  extra: JsonValue,
): Promise<CheckpointContents> {
  const weights: CheckpointTensor[] = [];
  for (const weight of model.weights) {
    weights.push({ name: weight.originalName, shape: weightShape(weight), values: await float32Values(weight.read()) });
  }
  // getWeights() starts with a fresh scalar holding the iteration count; the rest are the
  // optimizer's own variables, which must not be disposed.
  const [iterations, ...state] = await optimizer.getWeights();
  iterations.tensor.dispose();
  const slots: CheckpointTensor[] = [];
  for (const slot of state) {
    slots.push({ name: stableSlotName(slot.name, model), shape: slot.tensor.shape, values: await float32Values(slot.tensor) });
  }
  return { optimizer: { type: settings.optimizer, iterations: optimizer.iterations }, weights, slots, extra };
}

/** Layer weight shapes are typed as possibly unknown; built weights always know theirs. */
function weightShape(weight: tf.LayerVariable): number[] {
  return weight.shape.map((dim) => {
    if (dim === null) {
      throw new Error(`weight ${weight.originalName} has an unknown dimension`);
    }
    return dim;
  });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

/** Throws CheckpointMismatchError unless `contents` fits this model and optimizer exactly. */
function checkFits(model: tf.LayersModel, settings: OptimizerSettings, contents: CheckpointContents): void {
  if (contents.optimizer.type !== settings.optimizer) {
    throw new CheckpointMismatchError(`it was written by ${contents.optimizer.type}, this model uses ${settings.optimizer}`);
  }
  if (contents.weights.length !== model.weights.length) {
    throw new CheckpointMismatchError(`it has ${contents.weights.length} weight tensors, the model ${model.weights.length}`);
  }
  model.weights.forEach((weight, i) => {
    const saved = contents.weights[i];
    if (saved.name !== weight.originalName || !sameShape(saved.shape, weightShape(weight))) {
      throw new CheckpointMismatchError(
        `weight ${i} is ${saved.name} [${saved.shape.join(', ')}], the model has ${weight.originalName} [${weight.shape.join(', ')}]`,
      );
    }
  });
  // Adam keeps one first and one second moment per trainable weight, created on the first step.
  const trainable = model.trainableWeights;
  const perWeight = settings.optimizer === 'adam' ? 2 : 0;
  if (contents.slots.length !== 0 && contents.slots.length !== perWeight * trainable.length) {
    throw new CheckpointMismatchError(`it has ${contents.slots.length} optimizer tensors, expected 0 or ${perWeight * trainable.length}`);
  }
  contents.slots.forEach((slot, i) => {
    const weight = trainable[i % trainable.length];
    if (!sameShape(slot.shape, weightShape(weight))) {
      throw new CheckpointMismatchError(`optimizer tensor ${slot.name} does not have the shape of ${weight.originalName}`);
    }
  });
}

/**
 * Writes the checkpoint's weights into `model` and returns a new optimizer holding its state;
 * the caller disposes the old optimizer. A fresh optimizer is used because tfjs's Adam.setWeights
 * replaces its moment variables without disposing the old ones.
 */
export async function restoreState(
  model: tf.LayersModel,
  settings: OptimizerSettings,
  contents: CheckpointContents,
): Promise<TunableOptimizer> {
  checkFits(model, settings, contents);
  const weights = contents.weights.map((w) => tf.tensor(w.values, [...w.shape], 'float32'));
  try {
    model.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
  // Slot order must match the order of the variables the optimizer is given on each step.
  const variables = trainableVariables(model);
  const state: NamedTensor[] = [
    { name: 'iter', tensor: tf.scalar(contents.optimizer.iterations, 'int32') },
    ...contents.slots.map((slot, i) => ({
      name: `${variables[i % variables.length].name}/${i < variables.length ? 'm' : 'v'}`,
      tensor: tf.tensor(slot.values, [...slot.shape], 'float32'),
    })),
  ];
  const optimizer = createOptimizer(settings);
  try {
    await optimizer.setWeights(state);
  } catch (error) {
    optimizer.dispose();
    throw error;
  } finally {
    // Adam's moment variables were made from these tensors and hold their own references.
    tf.dispose(state.map((s) => s.tensor));
  }
  return optimizer;
}
