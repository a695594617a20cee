import { configFileOf, describeConfigSource, loadConfig } from '../config/load';
import { startDashboard } from '../dashboard';
import { selectBackend } from '../model';
import { createLogger } from '../topology/logger';
import { parseCommandLine } from './command-line';
import { DASHBOARD } from './commands';
import { runMain } from './exit';
import { onStopRequest } from './stop-signals';

/** `npm run dashboard -- --config FILE`: the dashboard alone, until Ctrl-C / SIGTERM. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  parseCommandLine(DASHBOARD, argv);
  const config = loadConfig({ argv });
  const log = createLogger(config.log.level, 'dashboard');
  log.info(describeConfigSource(configFileOf({ argv })));
  // Predictions run on the backend the trainer would use.
  await selectBackend(config.model.backend, (line) => log.info(line));
  const dashboard = await startDashboard(config, log);
  log.info(`dashboard of ${config.topics.metrics} on ${config.kafka.brokers}: ${dashboard.url}`);
  await new Promise<void>((resolve) => onStopRequest(() => resolve()));
  await dashboard.stop();
}

runMain('dashboard', main);
