import type { Headers } from '../topology/record';

/** A decoded MNIST training example. `pixels` is a view into the record's value. */
export interface Example {
  readonly key: string | null;
  readonly pixels: Uint8Array;
  readonly label: number;
}

/** An input record that could not be decoded, kept byte for byte for the dead-letter topic. */
export interface Rejection {
  readonly code: string;
  readonly reason: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
}

export type DecodeOutcome =
  | { readonly kind: 'example'; readonly example: Example }
  | { readonly kind: 'rejected'; readonly rejection: Rejection };

/** The input offsets a window covers on one partition (inclusive). */
export interface OffsetRange {
  readonly topic: string;
  readonly partition: number;
  readonly first: number;
  readonly last: number;
}

/** A closed micro-batch window: what the trainer learns from. */
export interface WindowBatch {
  readonly count: number;
  /** count * imageSize * imageSize bytes, row-major. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly rejected: number;
  readonly offsets: readonly OffsetRange[];
  readonly openedAt: number;
  readonly closedAt: number;
  readonly closedBy: 'count' | 'time' | 'stop';
}

/** What the drift detector made of a window's prequential errors. */
export interface DriftMetrics {
  readonly detected: boolean;
  /** At a detection: did the error rate go up (worse: the reaction, if any, ran) or down? */
  readonly direction: 'worse' | 'better' | null;
  /** Largest |mean difference| / threshold of the cuts tested in the window; > 1 is a detection. */
  readonly statistic: number;
  /** The detector's estimate of the current error rate, over `width` records. */
  readonly errorRate: number;
  readonly width: number;
  /** Detections since the model started. */
  readonly detections: number;
}

/**
 * The value of a metrics record: one a window, JSON on the metrics topic, keys in this order
 * (what a reader looks for first, the offsets last; see window-metrics.ts).
 */
export interface WindowMetrics {
  readonly model: string;
  /**
   * app.instance of the instance that trained the window: window numbers run per (model,
   * instance). Absent in records written before several instances (they were instance 0's).
   */
  readonly instance?: number;
  readonly window: number;
  readonly loss: number | null;
  readonly prequentialAccuracy: number | null;
  readonly holdoutAccuracy: number | null;
  readonly holdoutSize: number;
  readonly records: number;
  readonly rejected: number;
  /** null when drift detection is off or the window had no examples. */
  readonly drift: DriftMetrics | null;
  readonly trainedTotal: number;
  readonly rejectedTotal: number;
  /** Records (trained and rejected) over the window's wall time from its first record to its metrics, waiting included. */
  readonly arrivalRecordsPerSecond: number;
  /** Trained records over the training step's time alone: the model's speed. */
  readonly trainRecordsPerSecond: number;
  /** The same as arrivalRecordsPerSecond; the name of earlier records, kept for their readers. */
  readonly recordsPerSecond: number;
  readonly trainMs: number;
  readonly backend: string;
  readonly closedBy: WindowBatch['closedBy'];
  readonly windowOpenedAt: string;
  readonly emittedAt: string;
  /** A number when the window read one partition, else by partition. */
  readonly firstOffset: number | Readonly<Record<string, number>> | null;
  readonly lastOffset: number | Readonly<Record<string, number>> | null;
  readonly offsets: readonly OffsetRange[];
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What the trainer needs of a model: river-style verbs, nothing about streams. The
 * TensorFlow.js OnlineClassifier in model/ is one.
 */
/** One weight tensor of a model, as the model sync reads and writes them. */
export interface ParameterTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface Learner {
  readonly backendName: string;
  /** Prequential: the metrics are of the predictions made before the update. */
  learn(images: Uint8Array, labels: Uint8Array, count: number): Promise<{ loss: number; accuracy: number; count: number; drift?: DriftMetrics | null }>;
  evaluate(images: Uint8Array, labels: Uint8Array, count: number): Promise<{ accuracy: number; loss: number }>;
  checkpoint(extra?: JsonValue): Promise<Uint8Array>;
  /** Returns the `extra` stored with the checkpoint. */
  restore(bytes: Uint8Array): Promise<JsonValue | undefined>;
  /** The weights alone (no optimizer or training state): what the model sync averages. */
  weights(): Promise<readonly ParameterTensor[]>;
  /** Replaces the weights alone; a model of another shape refuses them. */
  setWeights(weights: readonly ParameterTensor[]): Promise<void>;
  exportTo(dir: string): Promise<void>;
  dispose(): void;
}
