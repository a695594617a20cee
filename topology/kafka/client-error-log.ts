import type { LibrdKafkaError } from 'node-rdkafka';
import type { Logger } from '../processor';

/**
 * librdkafka repeats a transport error for every connection and retry while a broker is away:
 * each message is logged once per 10 s, with how often it came meanwhile. Fatal errors are not
 * logged here: commit() or consume() reports them once, with what they mean.
 */
export class ClientErrorLog {
  private readonly lastLogged = new Map<string, { at: number; repeats: number }>();

  constructor(private readonly log: Logger) {}

  report(err: LibrdKafkaError): void {
    const seen = this.lastLogged.get(err.message);
    const now = Date.now();
    if (seen && now - seen.at < 10000 && !err.isFatal) {
      seen.repeats += 1;
      return;
    }
    const repeats = seen?.repeats ? ` (${seen.repeats} more since the last report)` : '';
    this.lastLogged.set(err.message, { at: now, repeats: 0 });
    if (!err.isFatal) this.log.warn(`kafka: ${err.message}${repeats}; retrying`);
  }
}
