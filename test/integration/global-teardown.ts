/**
 * Jest global teardown of the integration project: stops the local broker, but only when the
 * global setup started it (a KAFKA_BROKERS cluster or a broker that was already running stays).
 */
import { rememberedBroker, stopBroker } from './broker';

export default async function globalTeardown(): Promise<void> {
  if (rememberedBroker()?.startedByUs) await stopBroker();
}
