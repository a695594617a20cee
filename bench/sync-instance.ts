// One instance of a model-sync bench run, in a process of its own (so it has its own
// TensorFlow thread pools, sized by TF_NUM_INTRAOP_THREADS): the app from the config in
// BENCH_SYNC_CONFIG. It prints a JSON line with its trained records every 250 ms; on SIGTERM it
// scores its replica on the whole MNIST test set, prints that, and stops gracefully.
import type { AppConfig } from '../config/load';
import { learnerFactory, mnistAppOptions, mnistTopology } from '../cli/mnist-app';
import { loadMnist } from '../data';
import { TRAINER_STORE } from '../processors/mnist-topology';
import type { TrainerStore } from '../processors/trainer-store';
import { KafkaStreamsApp } from '../topology/kafka/app';
import { createLogger } from '../topology/logger';

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_SYNC_CONFIG ?? '') as AppConfig;
  const log = createLogger(config.log.level, `instance ${config.app.instance}`);
  const topology = mnistTopology(config, await learnerFactory(config, log), null);
  const app = await KafkaStreamsApp.start(mnistAppOptions(config, topology, log));
  const running = app.run();
  const store = () => app.task.getStateStore<TrainerStore>(TRAINER_STORE);
  const say = (line: object) => process.stdout.write(`${JSON.stringify({ instance: config.app.instance, ...line })}\n`);
  // After an abort (a rebalance took partitions with uncommitted work) the task is rebuilt from
  // its last commit and has no store until restored: that tick is skipped, not fatal.
  let trained = 0;
  const ticker = setInterval(() => {
    try {
      trained = store().counters.trainedTotal;
    } catch {
      return;
    }
    say({ trained });
  }, 250);
  process.once('SIGTERM', () => {
    void (async () => {
      clearInterval(ticker);
      const test = loadMnist('test');
      const { accuracy } = await store().learner.evaluate(test.images, test.labels, test.count);
      say({ trained: store().counters.trainedTotal, accuracy });
      app.stop();
      await running;
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
