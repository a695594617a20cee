/**
 * The Kafka broker of the integration tests.
 *
 * - `KAFKA_BROKERS` set (and not empty): that cluster is used as it is, never started or stopped.
 * - otherwise a broker answering on 127.0.0.1:`KAFKA_TEST_PORT` (default 19092, so tests never
 *   touch a developer's broker on 9092) is used as it is;
 * - otherwise the project's local broker is started there with `kafka/start.sh` (first start:
 *   Maven downloads Kafka), and the global teardown stops it again.
 *
 * `restartBroker()` lets a test stop and start that local broker (same port, same data) while
 * the app under test keeps running.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { probeTcp } from '../../topology/kafka/tcp-probe';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_TEST_PORT = 19092;
const HOST = '127.0.0.1';

export interface BrokerInfo {
  /** bootstrap servers, e.g. "127.0.0.1:19092" */
  readonly brokers: string;
  /** true when kafka/start.sh was run by this call (so the caller should stop it again) */
  readonly startedByUs: boolean;
}

/** The port of the tests' local broker: KAFKA_TEST_PORT, or 19092. */
export function testPort(): number {
  const raw = process.env.KAFKA_TEST_PORT?.trim();
  if (!raw) return DEFAULT_TEST_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65534) {
    throw new Error(`KAFKA_TEST_PORT must be a port number (its controller uses port+1), got "${raw}"`);
  }
  return port;
}

/** True when something accepts a TCP connection on host:port within timeoutMs. */
export async function portAnswers(port: number, host: string = HOST, timeoutMs = 1000): Promise<boolean> {
  return (await probeTcp(host, port, timeoutMs)) === 'open';
}

function configuredBrokers(): string | undefined {
  const brokers = process.env.KAFKA_BROKERS?.trim();
  return brokers ? brokers : undefined;
}

/** Uses KAFKA_BROKERS, or a broker on the test port, or starts the local one there. */
export async function ensureBroker(): Promise<BrokerInfo> {
  const configured = configuredBrokers();
  if (configured) return { brokers: configured, startedByUs: false };
  const port = testPort();
  const brokers = `${HOST}:${port}`;
  if (await portAnswers(port)) return { brokers, startedByUs: false };
  try {
    await runKafkaScript('start.sh', port);
  } catch (error) {
    // another test run may have started a broker there at the same moment: use it
    if (await portAnswers(port)) return { brokers, startedByUs: false };
    throw error;
  }
  return { brokers, startedByUs: true };
}

/** The port of the local broker the tests use (from KAFKA_BROKERS when it is 127.0.0.1/localhost:PORT). */
function localPort(): number | undefined {
  const configured = configuredBrokers();
  if (!configured) return testPort();
  const local = /^(?:127\.0\.0\.1|localhost):(\d+)$/.exec(configured);
  return local?.[1] === undefined ? undefined : Number(local[1]);
}

function pidFile(port: number): string {
  return path.join(PROJECT_ROOT, 'kafka', '.data', String(port), 'broker.pid');
}

/**
 * True when the tests' broker is one this checkout's kafka/start.sh runs (so stopBroker and
 * restartBroker can act on it); false for KAFKA_BROKERS clusters and brokers started elsewhere.
 */
export function canRestartBroker(): boolean {
  const port = localPort();
  if (port === undefined || !existsSync(pidFile(port))) return false;
  const pid = Number(readFileSync(pidFile(port), 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function managedPort(action: string): number {
  const port = localPort();
  if (port === undefined || !canRestartBroker()) {
    const where = configuredBrokers() ?? `${HOST}:${testPort()}`;
    throw new Error(`cannot ${action} the broker at ${where}: it was not started by this checkout's kafka/start.sh`);
  }
  return port;
}

/** Stops the local test broker with kafka/stop.sh (clean shutdown; SIGKILL after 30 s). */
export async function stopBroker(): Promise<void> {
  const port = localPort();
  if (port === undefined) return; // KAFKA_BROKERS is someone else's cluster
  await runKafkaScript('stop.sh', port);
}

/** Starts the local test broker again after `stopBroker()`: same port, same data. */
export async function startBroker(): Promise<void> {
  const port = localPort();
  if (port === undefined) throw new Error(`cannot start the broker at ${configuredBrokers() ?? ''}: it is not a local one`);
  await runKafkaScript('start.sh', port);
}

/**
 * Stops the local test broker and starts it again on the same port with the same data, as a
 * broker restart under a running app. Resolves when it serves again.
 */
export async function restartBroker(): Promise<BrokerInfo> {
  const port = managedPort('restart');
  await runKafkaScript('stop.sh', port);
  await runKafkaScript('start.sh', port);
  return { brokers: `${HOST}:${port}`, startedByUs: true };
}

const TAIL_LINES = 60;
const SCRIPT_TIMEOUT_MS = 10 * 60 * 1000; // the first start downloads Kafka with Maven

/** Runs kafka/<script> with KAFKA_PORT=port, streaming its output to stderr (the jest log). */
function runKafkaScript(script: 'start.sh' | 'stop.sh', port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(PROJECT_ROOT, 'kafka', script)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, KAFKA_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const forward = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      process.stderr.write(text);
      tail.push(...text.split('\n').filter((line) => line.length > 0));
      tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    const timer = setTimeout(() => child.kill('SIGTERM'), SCRIPT_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run kafka/${script}: ${error.message}`));
    });
    // 'close', not 'exit': all of the script's output has been read by then (the broker JVM
    // it starts writes to its own log files, so it does not hold these pipes open)
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve();
        return;
      }
      const status = signal ? `was killed by ${signal}` : `exited with status ${String(code)}`;
      reject(new Error(`KAFKA_PORT=${port} bash kafka/${script} ${status}:\n${tail.join('\n')}`));
    });
  });
}

interface BrokerGlobal {
  __streamtrainTestBroker?: BrokerInfo;
}

/** For the global setup: remembers the broker for the global teardown (same process). */
export function rememberBroker(info: BrokerInfo): void {
  (globalThis as BrokerGlobal).__streamtrainTestBroker = info;
}

/** For the global teardown: the broker the global setup remembered, if any. */
export function rememberedBroker(): BrokerInfo | undefined {
  return (globalThis as BrokerGlobal).__streamtrainTestBroker;
}
