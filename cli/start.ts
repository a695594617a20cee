import { configFileOf, describeConfigSource, loadConfig } from '../config/load';
import { checkBrokers } from '../topology/kafka/admin';
import { unreachableRemedy } from './broker-hint';
import { parseCommandLine } from './command-line';
import { START } from './commands';
import { runMain } from './exit';
import { KafkaStreamsApp } from '../topology/kafka/app';
import { createLogger } from '../topology/logger';
import { learnerFactory, mnistAppOptions, mnistTopology } from './mnist-app';
import { startMetricsLog } from './metrics-log-app';
import { onStopRequest } from './stop-signals';

/**
 * `npm start -- --config prod.json`: trains on the source topic and logs the metrics until
 * stopped (SIGINT, SIGTERM, or ENTER in a terminal); exits non-zero with one clear line when it
 * cannot start or fails.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  parseCommandLine(START, argv);
  const config = loadConfig({ argv });
  const log = createLogger(config.log.level, config.app.id);
  log.info(describeConfigSource(configFileOf({ argv })));
  await checkBrokers(config.kafka.brokers, undefined, unreachableRemedy(config.kafka.brokers));
  const createLearner = await learnerFactory(config, log);
  const topology = mnistTopology(config, createLearner, null);
  log.debug(topology.describe());
  const app = await KafkaStreamsApp.start(mnistAppOptions(config, topology, log));
  const metricsLog = await startMetricsLog(config, log, (line) => process.stdout.write(`${line}\n`));
  onStopRequest((why) => {
    log.info(`${why}: finishing the current window, committing and closing`);
    app.stop();
  });
  await app.run();
  // Let the log show the windows of the final commit before it closes.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await metricsLog.stop();
}

runMain('streamtrain', main);
