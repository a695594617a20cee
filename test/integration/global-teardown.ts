/**
 * Jest global teardown of the integration project: stops the local broker and deletes its data,
 * but only when the global setup started it; on a KAFKA_BROKERS cluster or a broker that was
 * already running, deletes the topics this run created (see ./cleanup.ts).
 */
import { rememberedBroker, stopBroker, testPort } from './broker';
import { deleteTestTopics, removeBrokerData } from './cleanup';

export default async function globalTeardown(): Promise<void> {
  const broker = rememberedBroker();
  if (!broker) return;
  if (broker.startedByUs) {
    await stopBroker();
    if (process.env.STREAMTRAIN_TEST_KEEP_DATA === '1') return;
    process.stderr.write(`[integration] deleted the test broker's data: ${removeBrokerData(testPort())}\n`);
    return;
  }
  const { deleted, failed } = await deleteTestTopics(broker.brokers);
  process.stderr.write(`[integration] deleted the ${deleted} topics of this run${failed.length ? `; could not delete ${failed.join(', ')}` : ''}\n`);
}
