import { spawn } from 'node:child_process';
import path from 'node:path';
import { configFileOf, describeConfigSource, loadConfig, type AppConfig } from '../config/load';
import type { Logger } from '../topology/processor';
import { TRAINER_STORE } from '../processors/mnist-topology';
import type { TrainerStore } from '../processors/trainer-store';
import { KafkaStreamsApp } from '../topology/kafka/app';
import { endOffsets } from '../topology/kafka/admin';
import { createLogger } from '../topology/logger';
import { loadMnist } from '../data';
import { startDashboard, type RunningDashboard } from '../dashboard';
import { intArg } from './args';
import { parseCommandLine } from './command-line';
import { DEMO } from './commands';
import { driftedSet, parseDriftKind } from '../data/drift';
import { runMain } from './exit';
import { ensureLocalBroker, stillRunningNotice } from './local-broker';
import { learnerFactory, mnistAppOptions, mnistTopology } from './mnist-app';
import { startMetricsLog } from './metrics-log-app';
import { stopRequestsFromNow } from './stop-signals';

const PROJECT = path.resolve(__dirname, '..');

/**
 * `npm run demo [-- --config FILE] [--delay MS] [--limit N] [--follow] [--drift-after N [--drift-kind K]]`: starts the local broker
 * if none answers, creates the topics, streams the training set through the producer while
 * the topology trains, logs the metrics, prints the final holdout accuracy on all 10,000 test
 * images and exits (--follow keeps it running). Each run is a fresh model: its app id carries
 * the run's time and it reads only what this run produces. --drift-after makes the producer
 * switch to a transformed MNIST after N records (labels permuted, or images rotated: --drift-kind
 * permute-labels|rotate); the final accuracy is then scored on the test set transformed alike.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseCommandLine(DEMO, argv);
  const base = loadConfig({ argv, file: 'demo.json' });
  const runId = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const config = { ...base, app: { ...base.app, id: `${base.app.id}-${runId}` }, topics: { ...base.topics, changelog: `${base.app.id}-${runId}-trainer-changelog` } };
  const log = createLogger(config.log.level, 'demo');
  const stopRequests = stopRequestsFromNow((line) => log.info(line));
  log.info(describeConfigSource(configFileOf({ argv, file: 'demo.json' })));
  const startedBroker = await ensureLocalBroker(config.kafka.brokers, log);
  if (startedBroker) process.on('exit', () => process.stderr.write(`${stillRunningNotice(startedBroker)}\n`));
  const createLearner = await learnerFactory(config, log);
  const topology = mnistTopology(config, createLearner, null);
  const app = await KafkaStreamsApp.start({
    ...mnistAppOptions(config, topology, log),
    // Start where the topics end now: earlier runs' records are not this run's.
    startOffsets: (brokers) => endOffsets(brokers, [config.topics.source, config.topics.metrics]),
  });
  let interrupted = false;
  stopRequests.whenRunning(() => {
    interrupted = true;
    app.stop();
  });
  const running = app.run();
  const metricsLog = await startMetricsLog(config, log, (line) => process.stdout.write(`${line}\n`));
  const dashboard = await serveDashboard(config, log);

  const limit = intArg(args, 'limit', 60000, 1);
  const started = Date.now();
  const driftAfter = argValue(args, 'drift-after');
  const driftKind = driftAfter === undefined ? null : parseDriftKind(argValue(args, 'drift-kind') ?? 'permute-labels');
  const driftArgs = driftAfter === undefined || driftKind === null ? [] : ['--drift-after', driftAfter, '--drift-kind', driftKind];
  const producerExit = runProducer(['--config', configFileOf({ argv, file: 'demo.json' }) ?? 'demo.json', '--topic', config.topics.source, '--limit', String(limit), '--delay', argValue(args, 'delay') ?? '0', ...driftArgs]);
  const producerCode = await producerExit;
  if (producerCode !== 0) log.warn(`the producer exited with status ${producerCode}; training what arrived`);

  const store = () => app.task.getStateStore<TrainerStore>(TRAINER_STORE);
  while (!interrupted && store().counters.trainedTotal + store().counters.rejectedTotal < limit && producerCode === 0) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seconds = (Date.now() - started) / 1000;
  if (interrupted) {
    await running;
    await metricsLog.stop();
    await dashboard?.stop();
    return;
  }
  if (args.get('follow') === true) {
    log.info('--follow: still running; stop with Ctrl-C');
    await running;
    await metricsLog.stop();
    await dashboard?.stop();
    return;
  }
  const plainTest = loadMnist('test');
  const test = driftKind !== null && limit > Number(driftAfter) ? driftedSet(plainTest, driftKind) : plainTest;
  const { accuracy } = await store().learner.evaluate(test.images, test.labels, test.count);
  const { trainedTotal, window } = store().counters;
  const backend = store().learner.backendName;
  app.stop();
  await running;
  // The log shows every window once its commit is read back; give it the last ones.
  const deadline = Date.now() + 5000;
  while (metricsLog.lines() < window && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await metricsLog.stop();
  await dashboard?.stop();
  process.stdout.write(
    `\nfinal holdout accuracy on all ${test.count} test images: ${(accuracy * 100).toFixed(2)}% ` +
      `(${trainedTotal} records trained in ${window} windows, ${Math.round(trainedTotal / seconds)} records/s end to end, ${seconds.toFixed(1)} s, backend ${backend})\n`,
  );
}

/** The demo's dashboard; a port in use costs the dashboard, not the demo. */
async function serveDashboard(config: AppConfig, log: Logger): Promise<RunningDashboard | undefined> {
  try {
    const dashboard = await startDashboard(config, log);
    log.info(`dashboard: ${dashboard.url} (live while the demo runs; afterwards \`npm run dashboard -- --config demo.json\` shows every run on ${config.topics.metrics})`);
    return dashboard;
  } catch (error) {
    log.warn(`no dashboard: ${(error as Error).message}`);
    return undefined;
  }
}

function argValue(args: Map<string, string | true>, name: string): string | undefined {
  const v = args.get(name);
  return typeof v === 'string' ? v : undefined;
}

function runProducer(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    // `node --import tsx`, not the tsx CLI: one process, so a signal reaches the app itself rather
  // than a wrapper that relays it (twice for a Ctrl-C) or dies alone on SIGKILL.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT, 'cli/produce.ts'), ...argv], { cwd: PROJECT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

runMain('demo', main);
