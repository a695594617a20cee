import { spawn } from 'node:child_process';
import path from 'node:path';
import { checkBrokers } from '../topology/kafka/admin';
import type { Logger } from '../topology/processor';
import { unreachableRemedy } from './broker-hint';

const PROJECT = path.resolve(__dirname, '..');

/**
 * Makes sure a broker answers at `brokers`. When none does and `brokers` is this machine's
 * 127.0.0.1:PORT or localhost:PORT, starts the project's local broker (kafka/start.sh) there;
 * anything else is the user's cluster and is only reported. Returns the broker it started, if any.
 */
export async function ensureLocalBroker(brokers: string, log: Logger): Promise<LocalBroker | null> {
  try {
    await checkBrokers(brokers, 3000, unreachableRemedy(brokers));
    return null;
  } catch (error) {
    const local = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(brokers.trim());
    if (!local) throw error;
    const port = local[2] ?? '9092';
    log.info(`no broker at ${brokers}: starting the local one (kafka/start.sh; the first start downloads Kafka with Maven)`);
    await runScript('kafka/start.sh', { KAFKA_PORT: port });
    await checkBrokers(brokers);
    return { port, stopCommand: port === '9092' ? 'npm run kafka:stop' : `KAFKA_PORT=${port} npm run kafka:stop` };
  }
}

/** A broker ensureLocalBroker started: it outlives the process, so the user is told how to stop it. */
export interface LocalBroker {
  readonly port: string;
  readonly stopCommand: string;
}

/** The line that tells the user the broker keeps running, and how to stop it. */
export function stillRunningNotice(broker: LocalBroker): string {
  return (
    `the local Kafka broker this run started on 127.0.0.1:${broker.port} keeps running (a Java process of 200-350 MB), ` +
    `so the next run starts at once; stop it with \`${broker.stopCommand}\``
  );
}

function runScript(script: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(PROJECT, script)], { cwd: PROJECT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with status ${code}; see its message above`))));
  });
}
