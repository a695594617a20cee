/**
 * Jest global setup of the integration project: makes sure a Kafka broker serves (see
 * ./broker.ts) and passes its address to the test files as KAFKA_BROKERS. Jest runs this in
 * its main process before it forks the test workers, which inherit process.env; with one test
 * file (run in band) the tests run in this very process.
 */
import { ensureBroker, rememberBroker } from './broker';
import { startTestRun } from './cleanup';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  startTestRun();
  const broker = await ensureBroker();
  process.env.KAFKA_BROKERS = broker.brokers;
  rememberBroker(broker);
  const how = broker.startedByUs ? `started in ${((Date.now() - started) / 1000).toFixed(1)}s, stopped after the tests` : 'already running, left as it is';
  process.stderr.write(`\n[integration] Kafka at ${broker.brokers} (${how})\n`);
}
