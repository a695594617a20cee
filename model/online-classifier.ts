// An online image classifier with river's small verbs: learn a window, evaluate, checkpoint,
// restore, export. It knows nothing of streams: a window is just `count` images and labels.
import * as tf from '@tensorflow/tfjs';
import { batchTensors, checkBatch, chunks } from './batch';
import { compressCheckpoint, decompressCheckpoint } from './checkpoint-compression';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-format';
import { buildCnn, createOptimizer, type CnnOptions } from './cnn';
import { exportModel } from './export';
import type { JsonValue } from './json';
import { evaluateSums, trainStep } from './train-step';
import { captureState, restoreState } from './training-state';

export interface ClassifierOptions extends CnnOptions {
  /** Records per gradient step; null (or a size >= the window) makes each window one step. */
  readonly batchSize: number | null;
}

export interface LearnResult {
  /** Mean cross-entropy of the window, measured before it was learned. */
  readonly loss: number;
  /** Accuracy on the window, measured before it was learned. */
  readonly accuracy: number;
  readonly count: number;
}

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

  private constructor(
    private readonly options: ClassifierOptions,
    private readonly model: tf.Sequential,
    private optimizer: tf.Optimizer,
    /** The backend that was active at creation, where the weights live. */
    readonly backendName: string,
  ) {}

  /** Builds the network on the current tfjs backend; select it first (see selectBackend). */
  static async create(options: ClassifierOptions): Promise<OnlineClassifier> {
    const { batchSize } = options;
    if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new RangeError(`invalid classifier option: batchSize must be null or a positive integer, got ${batchSize}`);
    }
    await tf.ready();
    const model = buildCnn(options);
    return new OnlineClassifier(options, model, createOptimizer(options), tf.getBackend());
  }

  get parameterCount(): number {
    return this.model.countParams();
  }

  /**
   * Learns `count` records in order, in mini-batches of `batchSize`. Prequential: each batch's
   * loss and accuracy come from the forward pass of its own gradient step, i.e. before the model
   * learned it; the result is their record-weighted mean over the window.
   */
  learn(images: Uint8Array, labels: Uint8Array, count: number): Promise<LearnResult> {
    return this.serially(async () => {
      checkBatch(images, labels, count, this.options);
      let loss = 0;
      let accuracy = 0;
      for (const [start, size] of chunks(count, this.options.batchSize)) {
        const { xs, ys } = batchTensors(images, labels, start, size, this.options);
        try {
          const metrics = await trainStep(this.model, this.optimizer, xs, ys);
          loss += metrics.loss * size;
          accuracy += metrics.accuracy * size;
        } finally {
          tf.dispose([xs, ys]);
        }
      }
      return { loss: loss / count, accuracy: accuracy / count, count };
    });
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
    return this.serially(async () => compressCheckpoint(encodeCheckpoint(await captureState(this.model, this.optimizer, this.options, extra))));
  }

  /**
   * Replaces weights and optimizer state with a checkpoint's (written on any backend) and returns
   * its `extra`. Nothing changes if the bytes are corrupt or were written by another configuration.
   */
  restore(bytes: Uint8Array): Promise<JsonValue> {
    return this.serially(async () => {
      const contents = decodeCheckpoint(await decompressCheckpoint(bytes));
      const optimizer = await restoreState(this.model, this.options, contents);
      this.optimizer.dispose();
      this.optimizer = optimizer;
      return contents.extra;
    });
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
