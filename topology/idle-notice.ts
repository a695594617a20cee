import type { Logger } from './processor';
import type { Clock } from './seam';

/**
 * Says once that the app is waiting for records, so that a start on an empty topic (or a run
 * that has read everything) is not a silent terminal. It counts only while partitions are
 * assigned (before that the app waits for its group, not for records), and stays quiet for
 * `afterMs` first: a poll can come back empty just because the first fetch is on its way.
 */
export class IdleNotice {
  private lastRecordAt = 0;
  private counting = false;
  private told = false;

  constructor(
    private readonly topics: readonly string[],
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly afterMs: number,
  ) {}

  /** The runtime assigned `partitions` partitions (0: it revoked them all). */
  assigned(partitions: number): void {
    this.counting = partitions > 0;
    this.lastRecordAt = this.clock.now();
  }

  /** Called after each poll with the number of records it returned. */
  observe(records: number): void {
    const now = this.clock.now();
    if (records > 0) {
      this.lastRecordAt = now;
      return;
    }
    if (this.told || !this.counting || now - this.lastRecordAt < this.afterMs) return;
    this.told = true;
    this.log.info(`no new records on ${this.topics.join(', ')}: waiting for records`);
  }
}
