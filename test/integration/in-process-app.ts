import type { AppConfig } from '../../config/load';
import { learnerFactory, mnistAppOptions, mnistTopology } from '../../cli/mnist-app';
import { startMetricsLog } from '../../cli/metrics-log-app';
import type { TrainerStore } from '../../processors/trainer-store';
import { KafkaStreamsApp } from '../../topology/kafka/app';
import { createLogger, memoryLogger } from '../../topology/logger';
import type { Logger } from '../../topology/processor';
import { TRAINER_STORE } from '../../processors/mnist-topology';

/** The MNIST app running in this process against the test broker, as `npm start` runs it. */
export interface RunningApp {
  readonly app: KafkaStreamsApp;
  readonly lines: string[];
  /** What the app logged, as `level message`. */
  readonly logLines: string[];
  /** Trained plus rejected records so far (the trainer's restored counters included). */
  accounted(): number;
  store(): TrainerStore;
  /** Graceful stop: final commit, clients closed. */
  stop(): Promise<void>;
}

export async function startApp(config: AppConfig): Promise<RunningApp> {
  // STREAMTRAIN_TEST_LOG=debug shows the app's log while a test runs.
  const level = process.env.STREAMTRAIN_TEST_LOG;
  const shown = level === 'debug' || level === 'info' ? createLogger(level, config.app.id) : null;
  const kept = memoryLogger();
  const log: Logger = {
    debug: (m) => { kept.debug(m); shown?.debug(m); },
    info: (m) => { kept.info(m); shown?.info(m); },
    warn: (m) => { kept.warn(m); shown?.warn(m); },
    error: (m) => { kept.error(m); shown?.error(m); },
  };
  const createLearner = await learnerFactory(config, log);
  const lines: string[] = [];
  const topology = mnistTopology(config, createLearner, null);
  const app = await KafkaStreamsApp.start(mnistAppOptions(config, topology, log));
  const running = app.run();
  const metricsLog = await startMetricsLog(config, log, (line) => lines.push(line));
  const store = () => app.task.getStateStore<TrainerStore>(TRAINER_STORE);
  let lastAccounted = 0;
  return {
    app,
    lines,
    logLines: kept.lines,
    store,
    accounted: () => {
      // After an abort (a broker restart) the loop rebuilds its task, whose stores exist only once
      // restored: until then, the count seen last.
      try {
        lastAccounted = store().counters.trainedTotal + store().counters.rejectedTotal;
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('no state store'))) throw error;
      }
      return lastAccounted;
    },
    stop: async () => {
      app.stop();
      await running;
      await metricsLog.stop();
    },
  };
}
