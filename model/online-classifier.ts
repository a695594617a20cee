// An online image classifier with river's small verbs: learn a window, evaluate, checkpoint,
// restore, export. It knows nothing of streams: a window is just `count` images and labels.
import * as tf from '@tensorflow/tfjs';
import { buildNetwork, type Architecture } from './architecture';
import { batchTensors, checkBatch, chunks, gatherTensors } from './batch';
import { compressCheckpoint, decompressCheckpoint } from './checkpoint-compression';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointTensor } from './checkpoint-format';
import type { CnnOptions } from './cnn';
import { CheckpointMismatchError } from './errors';
import { exportModel } from './export';
import type { JsonValue } from './json';
import { createOptimizer, type ParameterOptimizer } from './optimizer';
import { evaluateSums, trainStep } from './train-step';
import { PLAIN_TRAINING, validateTrainingOptions, type TrainingOptions } from './training-options';
import { captureState, readWeights, restoreState, writeWeights } from './training-state';
import { WindowTraining, type StepRunner, type WindowOutcome } from './window-training';

export interface ClassifierOptions extends CnnOptions {
  /** Records per gradient step; null (or a size >= the window) makes each window one step. */
  readonly batchSize: number | null;
  /** The network; the CNN when absent. */
  readonly architecture?: Architecture;
  /** Passes, replay, schedule and drift detection; one plain pass when absent. */
  readonly training?: TrainingOptions;
}

/**
 * Loss and accuracy are of the window's records measured before they were learned
 * (prequential); `drift` is null when drift detection is off.
 */
export type LearnResult = WindowOutcome;

export interface EvaluateResult {
  readonly accuracy: number;
  readonly loss: number;
}

/** Evaluation runs in chunks of this many images to bound memory on large test sets. */
const EVALUATION_CHUNK = 1000;

export class OnlineClassifier {
  /** Every verb runs after the previous one finished, so overlapping calls cannot interleave steps. */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private readonly architecture: Architecture;
  private readonly training: WindowTraining;

  private constructor(
    private readonly options: ClassifierOptions,
    private readonly model: tf.Sequential,
    private optimizer: ParameterOptimizer,
    /** The backend that was active at creation, where the weights live. */
    readonly backendName: string,
  ) {
    this.architecture = options.architecture ?? 'cnn';
    this.training = new WindowTraining({
      training: options.training ?? PLAIN_TRAINING,
      learningRate: options.learningRate,
      batchSize: options.batchSize,
      seed: options.seed,
      pixels: options.imageSize * options.imageSize,
    });
  }

  /** Builds the network on the current tfjs backend; select it first (see selectBackend). */
  static async create(options: ClassifierOptions): Promise<OnlineClassifier> {
    const { batchSize } = options;
    if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new RangeError(`invalid classifier option: batchSize must be null or a positive integer, got ${batchSize}`);
    }
    if (options.training) validateTrainingOptions(options.training);
    await tf.ready();
    const model = buildNetwork(options.architecture ?? 'cnn', options);
    return new OnlineClassifier(options, model, createOptimizer(options), tf.getBackend());
  }

  get parameterCount(): number {
    return this.model.countParams();
  }

  /**
   * Learns `count` records: the first pass in order, in mini-batches of `batchSize` (with replayed
   * records added and further passes as `training` says; see window-training.ts). Prequential:
   * each batch's loss and accuracy come from the forward pass of the step that first learns it,
   * i.e. before the model learned it; the result is their record-weighted mean over the window.
   */
  learn(images: Uint8Array, labels: Uint8Array, count: number): Promise<LearnResult> {
    return this.serially(async () => {
      checkBatch(images, labels, count, this.options);
      return this.training.learn(this.stepRunner(), images, labels, count);
    });
  }

  private stepRunner(): StepRunner {
    return {
      step: async (batch, counted, rate) => {
        const { xs, ys } = gatherTensors(batch, this.options);
        try {
          this.optimizer.setLearningRate(rate);
          return await trainStep({ model: this.model, architecture: this.architecture, l2: this.options.l2 }, this.optimizer, xs, ys, counted);
        } finally {
          tf.dispose([xs, ys]);
        }
      },
      resetOptimizer: () => {
        this.optimizer.dispose();
        this.optimizer = createOptimizer(this.options);
      },
    };
  }

  /** Loss and accuracy over `count` records without learning them. */
  evaluate(images: Uint8Array, labels: Uint8Array, count: number): Promise<EvaluateResult> {
    return this.serially(async () => {
      checkBatch(images, labels, count, this.options);
      let crossEntropy = 0;
      let correct = 0;
      for (const [start, size] of chunks(count, EVALUATION_CHUNK)) {
        const { xs, ys } = batchTensors(images, labels, start, size, this.options);
        try {
          const [chunkLoss, chunkCorrect] = await evaluateSums(this.model, xs, ys);
          crossEntropy += chunkLoss;
          correct += chunkCorrect;
        } finally {
          tf.dispose([xs, ys]);
        }
      }
      return { accuracy: correct / count, loss: crossEntropy / count };
    });
  }

  /**
   * Weights and optimizer state as bytes (checkpoint-format.ts, compressed by
   * checkpoint-compression.ts), with `extra` stored alongside.
   */
  checkpoint(extra: JsonValue = null): Promise<Uint8Array> {
    return this.serially(async () => {
      const { state, blobs } = this.training.checkpoint();
      const contents = await captureState(this.model, this.optimizer, this.options, extra);
      return compressCheckpoint(encodeCheckpoint({ ...contents, architecture: this.architecture, training: state, blobs }));
    });
  }

  /**
   * Replaces weights and optimizer state with a checkpoint's (written on any backend) and returns
   * its `extra`. Nothing changes if the bytes are corrupt or were written by another configuration.
   */
  restore(bytes: Uint8Array): Promise<JsonValue> {
    return this.serially(async () => {
      const contents = decodeCheckpoint(await decompressCheckpoint(bytes));
      const written = contents.architecture ?? 'cnn';
      if (written !== this.architecture) {
        throw new CheckpointMismatchError(`it holds the ${written} network, this model is the ${this.architecture} (model.architecture)`);
      }
      const applyTraining = this.prepareTrainingRestore(contents);
      const optimizer = await restoreState(this.model, this.options, contents);
      applyTraining();
      this.optimizer.dispose();
      this.optimizer = optimizer;
      return contents.extra;
    });
  }

  private prepareTrainingRestore(contents: ReturnType<typeof decodeCheckpoint>): () => void {
    try {
      return this.training.prepareRestore(contents.training, contents.blobs ?? []);
    } catch (error) {
      throw new CheckpointMismatchError(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The weights alone (no optimizer or training state), for parameter averaging: reading them
   * through a checkpoint would compress and copy the whole replay buffer at every sync.
   */
  weights(): Promise<CheckpointTensor[]> {
    return this.serially(() => readWeights(this.model));
  }

  /** Replaces the weights alone; optimizer and training state stay. Refuses another network's. */
  setWeights(weights: readonly CheckpointTensor[]): Promise<void> {
    return this.serially(async () => writeWeights(this.model, weights));
  }

  /** Saves the model in TensorFlow.js layers format: `dir/model.json` and `dir/weights.bin`. */
  exportTo(dir: string): Promise<void> {
    return this.serially(() => exportModel(this.model, dir));
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.model.dispose();
      this.optimizer.dispose();
    }
  }

  private serially<T>(verb: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.disposed) {
        throw new Error('the classifier was disposed; create a new one');
      }
      return verb();
    });
    // A failed verb must not block the ones after it.
    this.queue = run.catch(() => undefined);
    return run;
  }
}
