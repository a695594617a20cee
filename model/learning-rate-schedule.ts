// The learning rate as a function of the records learned so far: a linear warm-up from a tenth
// of the base rate, then constant or decaying. Only records seen for the first time count, not
// replayed ones or later passes, so the rate is the same whatever the window size.

export const LEARNING_RATE_DECAYS = ['constant', 'inverse', 'exponential'] as const;
export type LearningRateDecay = (typeof LEARNING_RATE_DECAYS)[number];

export interface LearningRateSchedule {
  readonly base: number;
  /** Records over which the rate climbs from base/10 to base; 0 = no warm-up. */
  readonly warmupRecords: number;
  /** inverse: base / (1 + t/h); exponential: base * 2^(-t/h); t counts records after the warm-up. */
  readonly decay: LearningRateDecay;
  /** h above: records after which a decaying rate has halved. */
  readonly halfLifeRecords: number;
}

export function checkSchedule(schedule: LearningRateSchedule): void {
  const { base, warmupRecords, halfLifeRecords } = schedule;
  if (!(base > 0) || !Number.isFinite(base)) throw new RangeError(`learning rate must be > 0, got ${base}`);
  if (!Number.isInteger(warmupRecords) || warmupRecords < 0) throw new RangeError(`warmupRecords must be a whole number, got ${warmupRecords}`);
  if (!Number.isInteger(halfLifeRecords) || halfLifeRecords < 1) throw new RangeError(`halfLifeRecords must be a whole number >= 1, got ${halfLifeRecords}`);
}

export function learningRateAt(schedule: LearningRateSchedule, recordsSeen: number): number {
  const { base, warmupRecords, decay, halfLifeRecords } = schedule;
  if (recordsSeen < warmupRecords) return base * (0.1 + (0.9 * recordsSeen) / warmupRecords);
  const t = recordsSeen - warmupRecords;
  switch (decay) {
    case 'constant':
      return base;
    case 'inverse':
      return base / (1 + t / halfLifeRecords);
    case 'exponential':
      return base * Math.pow(2, -t / halfLifeRecords);
  }
}
