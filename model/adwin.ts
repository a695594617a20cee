// ADWIN (ADaptive WINdowing, Bifet & Gavaldà 2007), as river implements it: the window of recent
// values is kept as an exponential histogram of buckets (rows of at most MAX_BUCKETS buckets of
// 2^row values each), and every `clock` values each cut of the window into an older and a newer
// part is tested; when their means differ by more than the Hoeffding-style bound epsilon_cut, the
// oldest bucket is dropped (repeatedly) and a change is reported. Its whole state is plain
// numbers, so it travels in the trainer's checkpoint as JSON.
import type { JsonValue } from './json';

const MAX_BUCKETS = 5;
/** river's defaults. */
const CLOCK = 32;
const MIN_WINDOW_LENGTH = 5;
const GRACE_PERIOD = 10;

/** One row of buckets of equal size; index 0 is the oldest bucket. */
interface Row {
  totals: number[];
  variances: number[];
}

/** A plain JSON object (a type, not an interface, so that it is a JsonValue for the checkpoint). */
export type AdwinState = {
  delta: number;
  rows: Array<{ totals: number[]; variances: number[] }>;
  total: number;
  variance: number;
  width: number;
  tick: number;
  detections: number;
};

export class Adwin {
  /** rows[0] holds single values (the newest), rows[i] buckets of 2^i values. */
  private rows: Row[] = [{ totals: [], variances: [] }];
  private total = 0;
  private variance = 0;
  private widthNow = 0;
  private tick = 0;
  private detectionsNow = 0;
  /** Largest |mean difference| / epsilon_cut of the cuts tested since the last takeStatistic(). */
  private statistic = 0;
  /** Whether the newer part's mean was the higher one at the latest cut (for an error: worse). */
  private increased = false;

  constructor(readonly delta = 0.002) {
    if (!(delta > 0 && delta < 1)) throw new RangeError(`ADWIN delta must be in (0, 1), got ${delta}`);
  }

  get width(): number {
    return this.widthNow;
  }

  /** The mean of the values in the current window. */
  get estimate(): number {
    return this.widthNow > 0 ? this.total / this.widthNow : 0;
  }

  get detections(): number {
    return this.detectionsNow;
  }

  /** At the latest detection, did the mean go up (newer part above the older one)? */
  get lastChangeIncreased(): boolean {
    return this.increased;
  }

  /** Adds one value; true when it completes the evidence for a change. */
  update(value: number): boolean {
    this.insert(value);
    return this.detectChange();
  }

  /** The largest test statistic since the last call (>= 1 means a cut was made), then resets it. */
  takeStatistic(): number {
    const s = this.statistic;
    this.statistic = 0;
    return s;
  }

  state(): AdwinState {
    return {
      delta: this.delta,
      rows: this.rows.map((r) => ({ totals: [...r.totals], variances: [...r.variances] })),
      total: this.total,
      variance: this.variance,
      width: this.widthNow,
      tick: this.tick,
      detections: this.detectionsNow,
    };
  }

  static fromState(state: AdwinState): Adwin {
    const adwin = new Adwin(state.delta);
    adwin.rows = state.rows.map((r) => ({ totals: [...r.totals], variances: [...r.variances] }));
    adwin.total = state.total;
    adwin.variance = state.variance;
    adwin.widthNow = state.width;
    adwin.tick = state.tick;
    adwin.detectionsNow = state.detections;
    return adwin;
  }

  private insert(value: number): void {
    const newest = this.rows[0];
    newest.totals.push(value);
    newest.variances.push(0);
    this.widthNow += 1;
    if (this.widthNow > 1) {
      const d = value - this.total / (this.widthNow - 1);
      this.variance += ((this.widthNow - 1) * d * d) / this.widthNow;
    }
    this.total += value;
    this.compress();
  }

  /** A row with more than MAX_BUCKETS buckets merges its two oldest into one of the next row. */
  private compress(): void {
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i];
      if (row.totals.length <= MAX_BUCKETS) return;
      if (i + 1 === this.rows.length) this.rows.push({ totals: [], variances: [] });
      const n = 2 ** i;
      const [t1, t2] = row.totals;
      const [v1, v2] = row.variances;
      const d = t1 / n - t2 / n;
      this.rows[i + 1].totals.push(t1 + t2);
      this.rows[i + 1].variances.push(v1 + v2 + (n * n * d * d) / (2 * n));
      row.totals.splice(0, 2);
      row.variances.splice(0, 2);
    }
  }

  /** Drops the oldest bucket; returns how many values it held. */
  private deleteOldest(): number {
    const last = this.rows.length - 1;
    const row = this.rows[last];
    const n = 2 ** last;
    const u = row.totals[0];
    const v = row.variances[0];
    this.widthNow -= n;
    this.total -= u;
    const d = u / n - this.total / this.widthNow;
    this.variance -= v + (n * this.widthNow * d * d) / (n + this.widthNow);
    row.totals.shift();
    row.variances.shift();
    if (row.totals.length === 0 && last > 0) this.rows.pop();
    return n;
  }

  private detectChange(): boolean {
    this.tick += 1;
    if (this.tick % CLOCK !== 0 || this.widthNow <= GRACE_PERIOD) return false;
    let changed = false;
    let cut = true;
    while (cut && this.widthNow > 0) {
      cut = false;
      let n0 = 0;
      let u0 = 0;
      // Walk the cuts from the oldest bucket towards the newest: W0 = older part, W1 = the rest.
      scan: for (let i = this.rows.length - 1; i >= 0; i--) {
        const n2 = 2 ** i;
        const row = this.rows[i];
        for (let k = 0; k < row.totals.length; k++) {
          n0 += n2;
          u0 += row.totals[k];
          const n1 = this.widthNow - n0;
          if (n1 <= 0) break scan;
          if (n0 < MIN_WINDOW_LENGTH || n1 < MIN_WINDOW_LENGTH) continue;
          const newerMinusOlder = (this.total - u0) / n1 - u0 / n0;
          const ratio = Math.abs(newerMinusOlder) / this.epsilonCut(n0, n1);
          this.statistic = Math.max(this.statistic, ratio);
          if (ratio > 1) {
            if (!changed) this.increased = newerMinusOlder > 0;
            this.deleteOldest();
            changed = true;
            cut = true;
            break scan;
          }
        }
      }
    }
    if (changed) this.detectionsNow += 1;
    return changed;
  }

  private epsilonCut(n0: number, n1: number): number {
    const deltaPrime = Math.log((2 * Math.log(this.widthNow)) / this.delta);
    const mRecip = 1 / (n0 - MIN_WINDOW_LENGTH + 1) + 1 / (n1 - MIN_WINDOW_LENGTH + 1);
    const varianceInWindow = this.variance / this.widthNow;
    return Math.sqrt(2 * mRecip * varianceInWindow * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
  }
}

/** Reads an AdwinState back from checkpoint JSON; null if it is not one. */
export function parseAdwinState(value: JsonValue | undefined): AdwinState | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const { delta, rows, total, variance, width, tick, detections } = value;
  const numbers = (v: JsonValue | undefined): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? v.map(Number) : null);
  if (typeof delta !== 'number' || typeof total !== 'number' || typeof variance !== 'number') return null;
  if (typeof width !== 'number' || typeof tick !== 'number' || typeof detections !== 'number' || !Array.isArray(rows)) return null;
  const parsed: Row[] = [];
  for (const row of rows) {
    if (!row || typeof row !== 'object' || Array.isArray(row)) return null;
    const totals = numbers(row.totals);
    const variances = numbers(row.variances);
    if (!totals || !variances || totals.length !== variances.length) return null;
    parsed.push({ totals, variances });
  }
  return { delta, rows: parsed, total, variance, width, tick, detections };
}
