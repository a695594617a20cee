import { configFileOf, describeConfigSource, loadConfig } from '../config/load';
import { startDashboard } from '../dashboard';
import { checkBrokers } from '../topology/kafka/admin';
import { unreachableRemedy } from './broker-hint';
import { intArg } from './args';
import { parseCommandLine } from './command-line';
import { START } from './commands';
import { runMain } from './exit';
import { KafkaStreamsApp } from '../topology/kafka/app';
import { createLogger } from '../topology/logger';
import { learnerFactory, mnistAppOptions, mnistTopology } from './mnist-app';
import { startMetricsLog } from './metrics-log-app';
import { stopRequestsFromNow } from './stop-signals';

/**
 * `npm start -- --config prod.json`: trains on the source topic and logs the metrics until
 * stopped (SIGINT, SIGTERM, or ENTER in a terminal); exits non-zero with a message that says what
 * to fix when it cannot start or fails (`--help` for the options and the configuration keys).
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseCommandLine(START, argv);
  // Several instances of one app.id can share a config file: each is started with its own number.
  const instance = args.has('instance') ? intArg(args, 'instance', 0) : undefined;
  const config = loadConfig({ argv, overrides: instance === undefined ? {} : { app: { instance } } });
  const log = createLogger(config.log.level, config.app.id);
  const stopRequests = stopRequestsFromNow((line) => log.info(line));
  log.info(describeConfigSource(configFileOf({ argv })));
  await checkBrokers(config.kafka.brokers, undefined, unreachableRemedy(config.kafka.brokers));
  const createLearner = await learnerFactory(config, log);
  // Before the app: a port in use stops the start at once, not after the restore.
  const dashboard = config.dashboard.enabled ? await startDashboard(config, log) : undefined;
  if (dashboard) log.info(`dashboard: ${dashboard.url}`);
  const topology = mnistTopology(config, createLearner, null);
  log.debug(topology.describe());
  const app = await KafkaStreamsApp.start(mnistAppOptions(config, topology, log));
  stopRequests.whenRunning((why) => {
    log.info(`${why}: stopping after the current record: a time window is closed and trained, then a last commit`);
    app.stop();
  });
  const metricsLog = await startMetricsLog(config, log, (line) => process.stdout.write(`${line}\n`));
  await app.run();
  // Let the log show the windows of the final commit before it closes.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await metricsLog.stop();
  await dashboard?.stop();
}

runMain('streamtrain', main);
