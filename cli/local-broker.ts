import { spawn } from 'node:child_process';
import path from 'node:path';
import { checkBrokers } from '../topology/kafka/admin';
import type { Logger } from '../topology/processor';

const PROJECT = path.resolve(__dirname, '..');

/**
 * Makes sure a broker answers at `brokers`. When none does and `brokers` is this machine's
 * 127.0.0.1:PORT or localhost:PORT, starts the project's local broker (kafka/start.sh) there;
 * anything else is the user's cluster and is only reported.
 */
export async function ensureLocalBroker(brokers: string, log: Logger): Promise<void> {
  try {
    await checkBrokers(brokers, 3000);
    return;
  } catch (error) {
    const local = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(brokers.trim());
    if (!local) throw error;
    log.info(`no broker at ${brokers}: starting the local one (kafka/start.sh; the first start downloads Kafka with Maven)`);
    await runScript('kafka/start.sh', { KAFKA_PORT: local[2] ?? '9092' });
    await checkBrokers(brokers);
  }
}

function runScript(script: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(PROJECT, script)], { cwd: PROJECT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with status ${code}; see its message above`))));
  });
}
