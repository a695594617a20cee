import { DecodeProcessor } from './decode';
import { MetricsLogProcessor } from './metrics-log';
import { ModelSyncProcessor, type ParameterAveraging } from './model-sync';
import { syncPublicationSerde } from './model-sync-publication';
import { ModelSyncState } from './model-sync-state';
import { TrainProcessor, type HoldoutSet } from './train';
import { TrainerStore } from './trainer-store';
import type { DecodeOutcome, Learner, WindowMetrics } from './types';
import { WindowProcessor } from './window';
import { bytesSerde, jsonSerde, mnistRecordSerde, stringSerde } from '../serdes';
import type { Serde } from '../serdes/serde';
import { TopologyBuilder } from '../topology/builder';
import type { Topology } from '../topology/topology';

export interface MnistTopologyOptions {
  readonly appId: string;
  /** app.instance, named in every metrics record (default 0). */
  readonly instance?: number;
  readonly topics: { readonly source: string; readonly metrics: string; readonly deadLetter: string; readonly changelog: string };
  readonly window: { readonly maxRecords: number; readonly maxMs: number };
  readonly classes: number;
  readonly imageSize: number;
  readonly holdout: HoldoutSet;
  readonly evaluateEveryWindows: number;
  /** The trainer asks for a commit after this many windows (0 = off), on top of the engine's commit interval. */
  readonly commitEveryWindows: number;
  readonly exportDir: string;
  /** Builds the model; called when the trainer's store starts (after the backend is chosen). */
  readonly createLearner: () => Promise<Learner>;
  /**
   * Where the metrics log writes its lines; null leaves the metrics log out. On a broker the
   * CLI runs the log as a topology of its own (buildMetricsLogTopology) with its own consumer,
   * so its lines do not queue behind the training backlog.
   */
  readonly writeMetricsLine: ((line: string) => void) | null;
  /** Model sync with the app's other instances (see model-sync.ts); absent or null = off. */
  readonly sync?: MnistSyncOptions | null;
}

export interface MnistSyncOptions {
  readonly everyWindows: number;
  readonly intervalMs: number;
  readonly peerTimeoutMs: number;
  readonly averaging: ParameterAveraging;
}

export const TRAINER_STORE = 'trainer';
export const SYNC_STATE_STORE = 'model-sync';
export const SYNC_PUBLICATIONS_STORE = 'model-sync-publications';

/** The compacted topic every instance publishes its parameters to, keyed by instance. */
export function modelSyncTopic(appId: string): string {
  return `${appId}-model-sync`;
}

/** The changelog topic of the trainer's store: `topics.changelog`, else `<app.id>-trainer-changelog`. */
export function trainerChangelogTopic(options: Pick<MnistTopologyOptions, 'appId' | 'topics'>): string {
  return options.topics.changelog || `${options.appId}-${TRAINER_STORE}-changelog`;
}

/**
 * source -> decode -> window -> train -> metrics (topic), window -> dead-letter (topic);
 * with sync, train -> model-sync -> metrics (topic) and model-sync -> model-sync (topic);
 * and a second sub-topology: metrics (topic) -> metrics-log.
 */
export function buildMnistTopology(options: MnistTopologyOptions): Topology {
  const { topics } = options;
  const deadLetterValue: Serde<DecodeOutcome> = {
    // The dead-letter topic gets the original bytes, untouched.
    serialize: (outcome) => (outcome.kind === 'rejected' ? outcome.rejection.value : null),
    deserialize: () => {
      throw new Error('the dead-letter serde only writes');
    },
  };
  const metricsSerde = jsonSerde<WindowMetrics>();
  const builder = new TopologyBuilder()
    .addSource('source', { topics: [topics.source], keySerde: bytesSerde(), valueSerde: bytesSerde() })
    .addProcessor(
      'decode',
      () =>
        new DecodeProcessor({
          keyDeserializer: stringSerde(),
          valueDeserializer: mnistRecordSerde({ classes: options.classes, imageSize: options.imageSize }),
          deadLetterTopic: topics.deadLetter,
        }),
      'source',
    )
    .addProcessor('window', () => new WindowProcessor({ ...options.window, imageSize: options.imageSize, trainChild: 'train', deadLetterChild: 'dead-letter' }), 'decode')
    .addProcessor(
      'train',
      () =>
        new TrainProcessor({
          modelName: options.appId,
          instance: options.instance ?? 0,
          storeName: TRAINER_STORE,
          holdout: options.holdout,
          evaluateEveryWindows: options.evaluateEveryWindows,
          commitEveryWindows: options.commitEveryWindows,
        }),
      'window',
    )
    .addSink('dead-letter', { topic: topics.deadLetter, keySerde: bytesSerde(), valueSerde: deadLetterValue }, 'window');
  const sync = options.sync ?? null;
  if (sync) addModelSync(builder, options, sync);
  builder
    .addSink('metrics', { topic: topics.metrics, keySerde: stringSerde(), valueSerde: metricsSerde }, sync ? 'model-sync' : 'train')
    .addStateStore(TRAINER_STORE, {
      factory: () => new TrainerStore(TRAINER_STORE, options.createLearner, options.exportDir),
      processors: sync ? ['train', 'model-sync'] : ['train'],
      changelogTopic: trainerChangelogTopic(options),
    });
  if (options.writeMetricsLine) addMetricsLog(builder, topics.metrics, options.writeMetricsLine);
  return builder.build();
}

/** train -> model-sync -> model-sync (topic), its state in the trainer's changelog, its peers from the topic. */
function addModelSync(builder: TopologyBuilder, options: MnistTopologyOptions, sync: MnistSyncOptions): void {
  const topic = modelSyncTopic(options.appId);
  builder
    .addProcessor(
      'model-sync',
      () =>
        new ModelSyncProcessor({
          ...sync,
          instance: String(options.instance ?? 0),
          trainerStore: TRAINER_STORE,
          stateStore: SYNC_STATE_STORE,
          publications: SYNC_PUBLICATIONS_STORE,
          holdout: options.holdout,
          metricsChild: 'metrics',
          publicationChild: 'model-sync-publish',
        }),
      'train',
    )
    .addSink('model-sync-publish', { topic, keySerde: stringSerde(), valueSerde: syncPublicationSerde() }, 'model-sync')
    .addStateStore(SYNC_STATE_STORE, { factory: () => new ModelSyncState(SYNC_STATE_STORE), processors: ['model-sync'], changelogTopic: trainerChangelogTopic(options) })
    .addGlobalStore(SYNC_PUBLICATIONS_STORE, { topic, keySerde: stringSerde(), valueSerde: syncPublicationSerde(), processors: ['model-sync'] });
}

/** metrics (topic) -> metrics-log: a line a window, as a topology of its own. */
export function buildMetricsLogTopology(metricsTopic: string, writeLine: (line: string) => void): Topology {
  return addMetricsLog(new TopologyBuilder(), metricsTopic, writeLine).build();
}

function addMetricsLog(builder: TopologyBuilder, metricsTopic: string, writeLine: (line: string) => void): TopologyBuilder {
  return builder
    .addSource('metrics-source', { topics: [metricsTopic], keySerde: stringSerde(), valueSerde: jsonSerde<WindowMetrics>() })
    .addProcessor('metrics-log', () => new MetricsLogProcessor(writeLine), 'metrics-source');
}
