import { loadConfig } from '../config/load';
import { startDashboard } from '../dashboard';
import { selectBackend } from '../model';
import { createLogger } from '../topology/logger';
import { parseArgs } from './args';
import { runMain } from './exit';
import { onStopRequest } from './stop-signals';

const HELP = `npm run dashboard -- [--config FILE]

Serves the live dashboard of the config's topics on dashboard.host:dashboard.port
(default http://127.0.0.1:8080/): the curves of every model on the metrics topic, lag,
dead-letter counts, and predictions of a drawn digit by the model in model.exportDir.
Read-only towards Kafka. Stop with Ctrl-C.`;

/** `npm run dashboard -- --config FILE`: the dashboard alone, until Ctrl-C / SIGTERM. */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { config: 'value', help: 'flag' });
  if (args.get('help') === true) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const config = loadConfig({ argv: process.argv.slice(2) });
  const log = createLogger(config.log.level, 'dashboard');
  // Predictions run on the backend the trainer would use.
  await selectBackend(config.model.backend, (line) => log.info(line));
  const dashboard = await startDashboard(config, log);
  log.info(`dashboard of ${config.topics.metrics} on ${config.kafka.brokers}: ${dashboard.url}`);
  await new Promise<void>((resolve) => onStopRequest(() => resolve()));
  await dashboard.stop();
}

runMain('dashboard', main);
