/**
 * The typed shape of a loaded configuration. Hand-written so that readers see it in one place;
 * `schema.ts` is typed against it, so a key added to one and not the other fails to compile.
 */

export const MODEL_BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type ModelBackend = (typeof MODEL_BACKENDS)[number];

export const ARCHITECTURES = ['cnn', 'mlp'] as const;
export type ArchitectureName = (typeof ARCHITECTURES)[number];

export const OPTIMIZERS = ['sgd', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const PROCESSING_GUARANTEES = ['exactly_once', 'at_least_once'] as const;
export type ProcessingGuarantee = (typeof PROCESSING_GUARANTEES)[number];

export const REPLAY_POLICIES = ['reservoir', 'recent'] as const;
export const LEARNING_RATE_DECAYS = ['constant', 'inverse', 'exponential'] as const;
export const DRIFT_DETECTORS = ['off', 'adwin'] as const;
export const DRIFT_REACTIONS = ['none', 'reset-optimizer', 'raise-learning-rate'] as const;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LibrdkafkaValue = string | number | boolean;
/** librdkafka settings by their dotted names ("fetch.wait.max.ms"), passed through unchanged. */
export type LibrdkafkaSettings = Readonly<Record<string, LibrdkafkaValue>>;

export interface AppSection {
  readonly id: string;
  readonly instance: number;
}

export interface KafkaSection {
  readonly brokers: string;
  readonly consumer: LibrdkafkaSettings;
  readonly producer: LibrdkafkaSettings;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface TopicsSection {
  readonly source: string;
  readonly metrics: string;
  readonly deadLetter: string;
  /** Always a topic name once loaded: '' in the file becomes `<app.id>-trainer-changelog`. */
  readonly changelog: string;
}

export interface WindowSection {
  readonly maxRecords: number;
  /** 0 = windows close on count only. */
  readonly maxMs: number;
}

export interface ModelSection {
  readonly backend: ModelBackend;
  readonly architecture: ArchitectureName;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  /** DL4J's meaning: loss + l2/2 * sum(w^2) over weights (TF.js's l2 regularizer takes l2/2). */
  readonly l2: number;
  readonly seed: number;
  /** null = the whole window is one gradient step, as in the reference. */
  readonly batchSize: number | null;
  readonly classes: number;
  readonly imageSize: number;
  /** '' = no export. */
  readonly exportDir: string;
}

/** How each window is used: passes, replay, learning-rate schedule (see model/training-options.ts). */
export interface TrainingSection {
  readonly epochs: number;
  /** 0 = no replay. */
  readonly replaySize: number;
  readonly replayRatio: number;
  readonly replayPolicy: (typeof REPLAY_POLICIES)[number];
  readonly warmupRecords: number;
  readonly decay: (typeof LEARNING_RATE_DECAYS)[number];
  readonly halfLifeRecords: number;
}

export interface DriftSection {
  readonly detector: (typeof DRIFT_DETECTORS)[number];
  readonly delta: number;
  readonly reaction: (typeof DRIFT_REACTIONS)[number];
  readonly boostFactor: number;
  readonly boostRecords: number;
}

export interface EvaluationSection {
  readonly holdoutSize: number;
  readonly everyWindows: number;
}

export interface CommitSection {
  readonly intervalMs: number;
  /** 0 = commit on the interval only. */
  readonly everyWindows: number;
}

/** Model sync between the live instances of one app.id (see processors/model-sync.ts). */
export interface SyncSection {
  readonly enabled: boolean;
  /** 0 = not on a window count. */
  readonly everyWindows: number;
  /** 0 = not on time. */
  readonly intervalMs: number;
  readonly peerTimeoutMs: number;
}

export interface ProcessingSection {
  readonly guarantee: ProcessingGuarantee;
}

export interface DashboardSection {
  /** `npm start` serves the dashboard too. */
  readonly enabled: boolean;
  readonly host: string;
  /** 0 = any free port (tests). */
  readonly port: number;
}

export interface LogSection {
  readonly level: LogLevel;
}

export interface AppConfig {
  readonly app: AppSection;
  readonly kafka: KafkaSection;
  readonly topics: TopicsSection;
  readonly window: WindowSection;
  readonly model: ModelSection;
  readonly training: TrainingSection;
  readonly drift: DriftSection;
  readonly evaluation: EvaluationSection;
  readonly commit: CommitSection;
  readonly sync: SyncSection;
  readonly processing: ProcessingSection;
  readonly dashboard: DashboardSection;
  readonly log: LogSection;
}

/** Any subset of `T`, nested: the shape of `loadConfig`'s overrides. */
export type DeepPartial<T> = {
  readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K];
};
