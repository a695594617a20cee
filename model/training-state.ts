// Captures and restores everything that determines the next training step: the model's weights
// and the optimizer's state (iteration count, and for Adam its first and second moments). Without
// the moments a restored Adam restarts its running averages and its losses drift away from those
// of an uninterrupted run.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from './cnn';
import { createOptimizer, type ParameterOptimizer } from './optimizer';
import type { CheckpointContents, CheckpointTensor } from './checkpoint-format';
import { CheckpointMismatchError } from './errors';
import type { JsonValue } from './json';
import { trainableVariables } from './train-step';

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

export async function captureState(
  model: tf.LayersModel,
  optimizer: ParameterOptimizer,
  settings: OptimizerSettings,
  extra: JsonValue,
): Promise<CheckpointContents> {
  const weights = await readWeights(model);
  // Named and ordered as tfjs's Adam named its moments (`hidden/kernel/m`, every m, then every v),
  // so that checkpoints written before our own optimizer restore.
  const trainable = model.trainableWeights;
  const slots: CheckpointTensor[] = (await optimizer.slots()).map((values, i) => {
    const weight = trainable[i % trainable.length];
    return { name: `${weight.originalName}/${i < trainable.length ? 'm' : 'v'}`, shape: weightShape(weight), values };
  });
  return { optimizer: { type: settings.optimizer, iterations: optimizer.iterations }, weights, slots, extra };
}

/** The model's weights, named and shaped as a checkpoint stores them. */
export async function readWeights(model: tf.LayersModel): Promise<CheckpointTensor[]> {
  const weights: CheckpointTensor[] = [];
  for (const weight of model.weights) {
    weights.push({ name: weight.originalName, shape: weightShape(weight), values: await float32Values(weight.read()) });
  }
  return weights;
}

/** Writes `weights` (as readWeights gives them) into the model; refuses another network's. */
export function writeWeights(model: tf.LayersModel, weights: readonly CheckpointTensor[]): void {
  checkWeightsFit(model, weights);
  const tensors = weights.map((w) => tf.tensor(w.values, [...w.shape], 'float32'));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
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

function checkWeightsFit(model: tf.LayersModel, weights: readonly CheckpointTensor[]): void {
  if (weights.length !== model.weights.length) {
    throw new CheckpointMismatchError(`it has ${weights.length} weight tensors, the model ${model.weights.length}`);
  }
  model.weights.forEach((weight, i) => {
    const saved = weights[i];
    if (saved.name !== weight.originalName || !sameShape(saved.shape, weightShape(weight))) {
      throw new CheckpointMismatchError(
        `weight ${i} is ${saved.name} [${saved.shape.join(', ')}], the model has ${weight.originalName} [${weight.shape.join(', ')}]`,
      );
    }
  });
}

/** Throws CheckpointMismatchError unless `contents` fits this model and optimizer exactly. */
function checkFits(model: tf.LayersModel, settings: OptimizerSettings, contents: CheckpointContents): void {
  if (contents.optimizer.type !== settings.optimizer) {
    throw new CheckpointMismatchError(`it was written by ${contents.optimizer.type}, this model uses ${settings.optimizer}`);
  }
  checkWeightsFit(model, contents.weights);
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

/** Writes the checkpoint's weights into `model` and returns a new optimizer holding its state. */
export async function restoreState(
  model: tf.LayersModel,
  settings: OptimizerSettings,
  contents: CheckpointContents,
): Promise<ParameterOptimizer> {
  checkFits(model, settings, contents);
  writeWeights(model, contents.weights);
  const optimizer = createOptimizer(settings);
  try {
    optimizer.restore(contents.optimizer.iterations, contents.slots.map((slot) => slot.values), trainableVariables(model));
  } catch (error) {
    optimizer.dispose();
    throw error;
  }
  return optimizer;
}
