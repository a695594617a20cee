// The MNIST processors: source -> decode -> window -> train -> metrics, and the metrics log.
export { DecodeProcessor, DLQ_HEADERS } from './decode';
export type { DecodeOptions } from './decode';
export { WindowProcessor } from './window';
export type { WindowOptions } from './window';
export { TrainProcessor } from './train';
export type { HoldoutSet, TrainOptions } from './train';
export { TrainerStore } from './trainer-store';
export type { TrainerCounters } from './trainer-store';
export { MetricsLogProcessor, formatMetrics } from './metrics-log';
export type { DecodeOutcome, Example, JsonValue, Learner, OffsetRange, Rejection, WindowBatch, WindowMetrics } from './types';
export { buildMnistTopology, trainerChangelogTopic, TRAINER_STORE } from './mnist-topology';
export type { MnistTopologyOptions } from './mnist-topology';
