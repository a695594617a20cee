/**
 * What the integration tests leave behind, removed. Every topic a test creates is named with the
 * run's prefix (testTopicPrefix). After the run:
 * - a broker the tests started is stopped and its data folder (kafka/.data/<port>) deleted: a
 *   full run writes hundreds of MB there (STREAMTRAIN_TEST_KEEP_DATA=1 keeps it, to look into);
 * - on a broker that was already running, or a KAFKA_BROKERS cluster, the run's topics are deleted.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { deleteTopics, listTopics } from '../../topology/kafka/delete-topics';
import { PROJECT_ROOT } from './broker';

const RUN_VARIABLE = 'STREAMTRAIN_TEST_RUN';

/** For the global setup: a fresh id for this run, passed to the test files through the environment. */
export function startTestRun(): void {
  process.env[RUN_VARIABLE] = randomUUID().slice(0, 6);
}

/** The prefix of every topic this run creates, e.g. "it-3f9a1c-". */
export function testTopicPrefix(): string {
  const run = process.env[RUN_VARIABLE];
  if (!run) throw new Error(`${RUN_VARIABLE} is not set: run the integration tests through jest (its global setup sets it)`);
  return `it-${run}-`;
}

/** Deletes the topics named with this run's prefix (or `prefix`); returns how many, and what could not be deleted. */
export async function deleteTestTopics(brokers: string, prefix: string = testTopicPrefix()): Promise<{ deleted: number; failed: string[] }> {
  const ours = (await listTopics(brokers)).filter((name) => name.startsWith(prefix));
  const failed = await deleteTopics(brokers, ours);
  return { deleted: ours.length - failed.length, failed };
}

/** Deletes the data folder of the local broker on `port`, which must be stopped. */
export function removeBrokerData(port: number): string {
  if (!Number.isInteger(port) || port <= 0) throw new Error(`not a port: ${port}`);
  const dir = path.join(PROJECT_ROOT, 'kafka', '.data', String(port));
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
