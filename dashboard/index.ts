import type { AppConfig } from '../config/load';
import type { Logger } from '../topology/processor';
import { buildAssets } from './assets';
import { LagPoller } from './lag-poller';
import { Predictor } from './predictor';
import { createServer } from './server';
import { DashboardState } from './state';
import { TopicReader } from './topic-reader';

/** The dashboard cannot start: one line that says what to fix. */
export class DashboardError extends Error {
  override readonly name = 'DashboardError';
}

export interface RunningDashboard {
  /** e.g. http://127.0.0.1:8080/ */
  readonly url: string;
  stop(): Promise<void>;
}

/** How often lag and the broker's health are polled: what "live" means for those two. */
const POLL_MS = 2000;

/**
 * Starts the dashboard of `config`'s topics: reads the metrics and dead-letter topics from their
 * beginning, polls lag, and serves the page on dashboard.host:dashboard.port. It starts even
 * when no broker answers; the page says so, and it catches up once one does.
 */
export async function startDashboard(config: AppConfig, log: Logger): Promise<RunningDashboard> {
  const { brokers } = config.kafka;
  const consumer = config.kafka.consumer;
  const state = new DashboardState({ brokers, topics: { metrics: config.topics.metrics, deadLetter: config.topics.deadLetter, source: config.topics.source } });
  const reader = new TopicReader({ brokers, metricsTopic: config.topics.metrics, deadLetterTopic: config.topics.deadLetter, consumer, state, log });
  const lag = new LagPoller({ brokers, sourceTopic: config.topics.source, consumer, state, log, intervalMs: POLL_MS });
  const predictor = new Predictor(config.model.exportDir, log);
  const server = createServer({ state, predictor, assets: await buildAssets(), log, allowedHosts: loopbackNames(config.dashboard.host) });
  await server.listen({ host: config.dashboard.host, port: config.dashboard.port }).catch((error: NodeJS.ErrnoException) => {
    throw new DashboardError(
      `cannot serve the dashboard on ${config.dashboard.host}:${config.dashboard.port} (${error.code ?? error.message}): ` +
        'another program may use that port; set dashboard.port (and dashboard.host) in the config file',
    );
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.dashboard.port;
  const host = config.dashboard.host.includes(':') ? `[${config.dashboard.host}]` : config.dashboard.host;
  reader.start();
  lag.start();
  return {
    url: `http://${host}:${port}/`,
    stop: async () => {
      await server.close();
      await Promise.all([reader.stop(), lag.stop()]);
      predictor.dispose();
    },
  };
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The names a loopback-bound dashboard answers to; undefined (any) when bound elsewhere. */
function loopbackNames(host: string): ReadonlySet<string> | undefined {
  const name = host.includes(':') ? `[${host}]` : host;
  return LOOPBACK_NAMES.has(name.toLowerCase()) || /^127\./.test(name) ? new Set([...LOOPBACK_NAMES, name]) : undefined;
}
