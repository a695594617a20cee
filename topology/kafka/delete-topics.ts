import { AdminClient, CODES, Producer, type Metadata } from 'node-rdkafka';
import { asError, call } from './callbacks';

/** The names of every topic on the cluster. */
export async function listTopics(brokers: string): Promise<string[]> {
  const probe = new Producer({ 'bootstrap.servers': brokers });
  await call<Metadata>((cb) => probe.connect({ timeout: 15000 }, cb));
  try {
    const metadata = await call<Metadata>((cb) => probe.getMetadata({ timeout: 15000 }, cb));
    return metadata.topics.map((t) => t.name);
  } finally {
    await call((cb) => probe.disconnect((err) => cb(err, undefined))).catch(() => undefined);
  }
}

/**
 * Deletes the topics (what a benchmark or a test created); one that is already gone is fine.
 * Returns the names it could not delete, with the broker's reason.
 */
export async function deleteTopics(brokers: string, names: readonly string[]): Promise<string[]> {
  const admin = AdminClient.create({ 'bootstrap.servers': brokers });
  const failed: string[] = [];
  try {
    for (const name of new Set(names)) {
      try {
        await call((cb) => admin.deleteTopic(name, 30000, (err) => cb(err, undefined)));
      } catch (error) {
        const e = asError(error as Error);
        if (e.code !== CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART) failed.push(`${name} (${e.message})`);
      }
    }
  } finally {
    admin.disconnect();
  }
  return failed;
}
