// How the classifier uses a window beyond one plain pass: passes (epochs) over it, rehearsal of
// past examples from a replay buffer, the learning-rate schedule, and drift detection with an
// optional reaction. Every field has a default that reproduces plain one-pass training.
import { LEARNING_RATE_DECAYS, type LearningRateDecay } from './learning-rate-schedule';
import { REPLAY_POLICIES, type ReplayPolicy } from './replay-buffer';

export const DRIFT_DETECTORS = ['off', 'adwin'] as const;
export type DriftDetectorName = (typeof DRIFT_DETECTORS)[number];
export const DRIFT_REACTIONS = ['none', 'reset-optimizer', 'raise-learning-rate'] as const;
export type DriftReaction = (typeof DRIFT_REACTIONS)[number];

export interface TrainingOptions {
  /** Passes over each window; passes after the first use a seeded shuffle. */
  readonly epochs: number;
  readonly replay: {
    readonly policy: ReplayPolicy;
    /** Examples the buffer keeps; 0 = no replay. */
    readonly size: number;
    /** Replayed examples added to each mini-batch, per new example in it (0.5: 100 new + 50 old). */
    readonly ratio: number;
  };
  readonly schedule: {
    readonly warmupRecords: number;
    readonly decay: LearningRateDecay;
    readonly halfLifeRecords: number;
  };
  readonly drift: {
    /** ADWIN on the prequential error (1 for a wrong prediction, else 0) of each new record. */
    readonly detector: DriftDetectorName;
    readonly delta: number;
    readonly reaction: DriftReaction;
    /** raise-learning-rate: the rate is multiplied by this ... */
    readonly boostFactor: number;
    /** ... for this many new records after a detection. */
    readonly boostRecords: number;
  };
}

export const PLAIN_TRAINING: TrainingOptions = {
  epochs: 1,
  replay: { policy: 'reservoir', size: 0, ratio: 0 },
  schedule: { warmupRecords: 0, decay: 'constant', halfLifeRecords: 1 },
  drift: { detector: 'off', delta: 0.002, reaction: 'none', boostFactor: 1, boostRecords: 0 },
};

function check(ok: boolean, what: string): void {
  if (!ok) throw new RangeError(`invalid training option: ${what}`);
}

const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;

export function validateTrainingOptions(o: TrainingOptions): void {
  check(whole(o.epochs, 1), `epochs must be a whole number >= 1, got ${o.epochs}`);
  check(REPLAY_POLICIES.includes(o.replay.policy), `replay.policy must be one of ${REPLAY_POLICIES.join(', ')}, got ${String(o.replay.policy)}`);
  check(whole(o.replay.size, 0), `replay.size must be a whole number >= 0, got ${o.replay.size}`);
  check(o.replay.ratio >= 0 && Number.isFinite(o.replay.ratio), `replay.ratio must be >= 0, got ${o.replay.ratio}`);
  check(whole(o.schedule.warmupRecords, 0), `schedule.warmupRecords must be a whole number >= 0, got ${o.schedule.warmupRecords}`);
  check(LEARNING_RATE_DECAYS.includes(o.schedule.decay), `schedule.decay must be one of ${LEARNING_RATE_DECAYS.join(', ')}, got ${String(o.schedule.decay)}`);
  check(whole(o.schedule.halfLifeRecords, 1), `schedule.halfLifeRecords must be a whole number >= 1, got ${o.schedule.halfLifeRecords}`);
  check(DRIFT_DETECTORS.includes(o.drift.detector), `drift.detector must be one of ${DRIFT_DETECTORS.join(', ')}, got ${String(o.drift.detector)}`);
  check(o.drift.delta > 0 && o.drift.delta < 1, `drift.delta must be in (0, 1), got ${o.drift.delta}`);
  check(DRIFT_REACTIONS.includes(o.drift.reaction), `drift.reaction must be one of ${DRIFT_REACTIONS.join(', ')}, got ${String(o.drift.reaction)}`);
  check(o.drift.boostFactor > 0 && Number.isFinite(o.drift.boostFactor), `drift.boostFactor must be > 0, got ${o.drift.boostFactor}`);
  check(whole(o.drift.boostRecords, 0), `drift.boostRecords must be a whole number >= 0, got ${o.drift.boostRecords}`);
}
