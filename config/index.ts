// The config folder's public surface: load a validated configuration, describe its keys.
export { configFileOf, describeConfigSource, loadConfig } from './load';
export type { LoadConfigOptions } from './load';
export { describeConfig, describeConfigKeys } from './describe';
export { ConfigError } from './errors';
export type { ConfigErrorReason, ConfigProblem, ConfigProblemKind } from './errors';
export { settings } from './schema';
export type { SettingInfo } from './schema';
export { CONFIG_DIR, resolveConfigPath } from './file';
export { LOG_LEVELS, MODEL_BACKENDS, OPTIMIZERS, PROCESSING_GUARANTEES } from './types';
export type {
  AppConfig,
  AppSection,
  CommitSection,
  DashboardSection,
  DeepPartial,
  EvaluationSection,
  KafkaSection,
  LibrdkafkaSettings,
  LibrdkafkaValue,
  LogLevel,
  LogSection,
  ModelBackend,
  ModelSection,
  OptimizerName,
  ProcessingGuarantee,
  ProcessingSection,
  TopicsSection,
  WindowSection,
} from './types';
