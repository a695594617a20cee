// The model folder's public surface: backend selection and the online classifier.
export { selectBackend } from './backend';
export type { BackendChoice, BackendName, BackendRequest } from './backend';
export { OnlineClassifier } from './online-classifier';
export { exportedModelFile, loadExportedModel } from './exported-model';
export type { ExportedModel } from './exported-model';
export type { ClassifierOptions, EvaluateResult, LearnResult } from './online-classifier';
export type { CnnOptions, OptimizerName } from './cnn';
export type { Architecture } from './architecture';
export type { TrainingOptions } from './training-options';
export type { JsonValue } from './json';
export { BackendUnavailableError, CheckpointFormatError, CheckpointMismatchError, InvalidBatchError } from './errors';
