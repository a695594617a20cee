/**
 * What to do when no broker answers at `brokers`, for a user of this project: a local address
 * gets the command that starts the project's broker on that very port (`npm run kafka:start`
 * alone would start one on 9092), anything else is a cluster of the user's own.
 */
export function unreachableRemedy(brokers: string): string {
  const local = /^(?:127\.0\.0\.1|localhost):(\d+)$/.exec(brokers.trim());
  const elsewhere = 'or set KAFKA_BROKERS (or kafka.brokers in the config file) to a running cluster.';
  if (!local) return `Check that the address is right and reachable from here, ${elsewhere}`;
  const port = local[1] ?? '9092';
  const start = port === '9092' ? 'npm run kafka:start' : `KAFKA_PORT=${port} npm run kafka:start`;
  return `Start the project's local broker on that port with \`${start}\`, ${elsewhere}`;
}
