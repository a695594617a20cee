import type { AppConfig } from '../config/load';
import { endOffsets } from '../topology/kafka/admin';
import { KafkaStreamsApp } from '../topology/kafka/app';
import { buildMetricsLogTopology } from '../processors/mnist-topology';
import type { Logger } from '../topology/processor';
import { clientSettings } from './mnist-app';

/**
 * The metrics log's consumer group: `<app.id>-metrics-log`, and for app.instance N > 0
 * `<app.id>-metrics-log-N`. A group of its own per instance: in a shared one only one instance's
 * log would get the metrics topic's partition, and the others would print nothing.
 */
export function metricsLogGroup(config: AppConfig): string {
  const base = `${config.app.id}-metrics-log`;
  return config.app.instance === 0 ? base : `${base}-${config.app.instance}`;
}

/**
 * The metrics log on a broker: its own consumer (group: metricsLogGroup), so that its lines
 * do not wait behind the training backlog in the trainer's consumer. Like `tail -f`, it starts at
 * the end of the metrics topic and shows the windows committed from then on (read_committed), of
 * every instance of the app.
 */
export async function startMetricsLog(config: AppConfig, log: Logger, writeLine: (line: string) => void): Promise<{ stop(): Promise<void>; lines(): number }> {
  let lines = 0;
  const topology = buildMetricsLogTopology(config.topics.metrics, (line) => {
    lines += 1;
    writeLine(line);
  });
  const app = await KafkaStreamsApp.start({
    // Not a static member: it has nothing to take back after a crash, and a second instance's
    // log must not fence this one's.
    settings: { ...clientSettings(config), appId: metricsLogGroup(config), exactlyOnce: false, staticMembership: false },
    topology,
    topics: [],
    log,
    pollTimeoutMs: 100,
    // It starts at the end of the topic every time: its offsets are never read back.
    commitIntervalMs: null,
    idleNoticeAfterMs: null, // waiting for metrics is its normal state
    startOffsets: (brokers) => endOffsets(brokers, [config.topics.metrics]),
  });
  const running = app.run();
  running.catch(() => undefined); // a failure is reported by stop(), which awaits it
  return {
    lines: () => lines,
    stop: async () => {
      app.stop();
      await running;
    },
  };
}
