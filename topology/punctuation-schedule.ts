import type { Cancellable, PunctuationType, Punctuator } from './processor';

interface Scheduled {
  readonly node: string;
  readonly intervalMs: number;
  readonly type: PunctuationType;
  readonly punctuator: Punctuator;
  nextDue: number | null;
  cancelled: boolean;
}

export interface DuePunctuation {
  readonly node: string;
  readonly punctuator: Punctuator;
}

/**
 * Keeps the punctuators of one task. A punctuation missed while the task was busy fires once;
 * the next one is due an interval after it fired, not after it was due.
 */
export class PunctuationSchedule {
  private readonly entries: Scheduled[] = [];

  add(node: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator, now: number | null): Cancellable {
    if (!(intervalMs > 0)) throw new RangeError(`punctuation interval must be > 0 ms, got ${intervalMs}`);
    const entry: Scheduled = { node, intervalMs, type, punctuator, nextDue: now === null ? null : now + intervalMs, cancelled: false };
    this.entries.push(entry);
    return { cancel: () => { entry.cancelled = true; } };
  }

  /** Takes the punctuations of `type` due at `now` and sets their next due time. */
  due(type: PunctuationType, now: number): DuePunctuation[] {
    const due: DuePunctuation[] = [];
    for (const e of this.entries) {
      if (e.cancelled || e.type !== type) continue;
      if (e.nextDue === null) {
        e.nextDue = now + e.intervalMs; // stream time was unknown when it was scheduled
        continue;
      }
      if (now >= e.nextDue) {
        e.nextDue = now + e.intervalMs;
        due.push({ node: e.node, punctuator: e.punctuator });
      }
    }
    return due;
  }

  /** When the next wall-clock punctuation is due, or null; lets a runtime size its poll wait. */
  nextWallClockDue(): number | null {
    let next: number | null = null;
    for (const e of this.entries) {
      if (e.cancelled || e.type !== 'wall-clock' || e.nextDue === null) continue;
      next = next === null ? e.nextDue : Math.min(next, e.nextDue);
    }
    return next;
  }
}
