import type { Logger } from './processor';
import type { Clock } from './seam';

/**
 * Says once that the app is waiting for records, so that a start on an empty topic (or a run
 * that has read everything) is not a silent terminal. Quiet for `afterMs` first: a poll can come
 * back empty just because the first fetch is still on its way.
 */
export class IdleNotice {
  private lastRecordAt: number;
  private told = false;

  constructor(
    private readonly topics: readonly string[],
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly afterMs: number,
  ) {
    this.lastRecordAt = clock.now();
  }

  /** Called after each poll with the number of records it returned. */
  observe(records: number): void {
    const now = this.clock.now();
    if (records > 0) {
      this.lastRecordAt = now;
      return;
    }
    if (this.told || now - this.lastRecordAt < this.afterMs) return;
    this.told = true;
    this.log.info(`no new records on ${this.topics.join(', ')}: waiting for records`);
  }
}
