// How one window is learned: passes over it in mini-batches, each topped up with replayed past
// examples, at the scheduled learning rate; then drift detection on the window's prequential
// errors. Prequential stays honest: the first pass scores each new record in the forward pass
// of the step that first learns it (replayed rows ride at the end of the batch and are not
// scored), so every record is predicted before any step uses it and counts once. Everything
// random comes from one SeededRandom whose state is checkpointed with the buffer, the records
// seen and the detector, so a restored run continues exactly like an uninterrupted one.
import { Adwin, parseAdwinState } from './adwin';
import type { PickedRecords } from './batch';
import type { CheckpointBlob } from './checkpoint-format';
import type { JsonValue } from './json';
import { learningRateAt } from './learning-rate-schedule';
import { SeededRandom } from './random';
import { ReplayBuffer, parseReplayState, type ReplayBufferState } from './replay-buffer';
import type { BatchMetrics } from './train-step';
import type { TrainingOptions } from './training-options';

/** What the window training needs of the network: a step, and a fresh optimizer on request. */
export interface StepRunner {
  /** One gradient step at `rate` on the picked records, scoring the first `counted` rows. */
  step(batch: readonly PickedRecords[], counted: number, rate: number): Promise<BatchMetrics>;
  resetOptimizer(): void;
}

export interface DriftReport {
  /** ADWIN cut its window while reading this window's errors. */
  readonly detected: boolean;
  /** At a detection, whether the error rate went up (a drift to react to) or down (learning). */
  readonly direction: 'worse' | 'better' | null;
  /** The largest |mean difference| / epsilon_cut of the cuts tested in this window; > 1 is a cut. */
  readonly statistic: number;
  /** ADWIN's current estimate of the error rate, and how many records it rests on. */
  readonly errorRate: number;
  readonly width: number;
  readonly detections: number;
}

export interface WindowOutcome {
  readonly loss: number;
  readonly accuracy: number;
  readonly count: number;
  /** null when drift detection is off. */
  readonly drift: DriftReport | null;
}

interface Settings {
  readonly training: TrainingOptions;
  readonly learningRate: number;
  readonly batchSize: number | null;
  readonly seed: number;
  readonly pixels: number;
}

const IMAGES_BLOB = 'replay/images';
const LABELS_BLOB = 'replay/labels';

export class WindowTraining {
  private random: SeededRandom;
  private readonly buffer: ReplayBuffer;
  private adwin: Adwin | null;
  /** New records learned so far (what the schedule follows). */
  private recordsSeen = 0;
  /** New records still to learn at the raised rate after a detection. */
  private boostLeft = 0;

  constructor(private readonly settings: Settings) {
    const { training, seed, pixels } = settings;
    // A seed of its own, so that drawing shuffles never changes the weight initialisation.
    this.random = new SeededRandom(seed ^ 0x5eed5eed);
    this.buffer = new ReplayBuffer(training.replay.policy, training.replay.size, pixels);
    this.adwin = training.drift.detector === 'adwin' ? new Adwin(training.drift.delta) : null;
  }

  async learn(runner: StepRunner, images: Uint8Array, labels: Uint8Array, count: number): Promise<WindowOutcome> {
    const { training, batchSize } = this.settings;
    const window = (indices: ArrayLike<number>): PickedRecords => ({ images, labels, indices });
    const step = batchSize === null || batchSize >= count ? count : batchSize;
    const errors = new Uint8Array(count);
    let crossEntropy = 0;
    let correct = 0;
    let learned = 0;
    for (let pass = 0; pass < training.epochs; pass++) {
      const order = pass === 0 ? identity(count) : this.random.permutation(count);
      for (let start = 0; start < count; start += step) {
        const fresh = order.subarray(start, Math.min(start + step, count));
        const replayed = this.buffer.sample(Math.round(fresh.length * training.replay.ratio), this.random);
        const picked = [window(fresh)];
        if (replayed.length > 0) picked.push({ ...this.buffer.contents(), indices: replayed });
        const counted = pass === 0 ? fresh.length : 0;
        // The schedule follows new records: during the first pass the ones learned so far, later
        // passes (after recordsSeen took in the window) the window's end.
        const metrics = await runner.step(picked, counted, this.rate(this.recordsSeen + (pass === 0 ? learned : 0)));
        if (pass > 0) continue;
        crossEntropy += metrics.crossEntropySum;
        metrics.correct.forEach((ok, k) => {
          correct += ok;
          errors[fresh[k]] = 1 - ok;
        });
        learned += fresh.length;
        this.boostLeft = Math.max(0, this.boostLeft - fresh.length);
      }
      if (pass === 0) this.recordsSeen += count;
    }
    const drift = this.detect(errors, runner);
    // Added after the reaction, so that a window that showed a drift seeds the emptied buffer.
    this.buffer.add(images, labels, count, this.random);
    return { loss: crossEntropy / count, accuracy: correct / count, count, drift };
  }

  /** The JSON and the byte blobs of the checkpoint. */
  checkpoint(): { state: JsonValue; blobs: CheckpointBlob[] } {
    const { images, labels } = this.buffer.contents();
    const replay: ReplayBufferState = this.buffer.state();
    return {
      state: {
        random: this.random.currentState,
        recordsSeen: this.recordsSeen,
        boostLeft: this.boostLeft,
        replay: { ...replay },
        adwin: this.adwin ? this.adwin.state() : null,
      },
      blobs: [
        { name: IMAGES_BLOB, bytes: images.slice() },
        { name: LABELS_BLOB, bytes: labels.slice() },
      ],
    };
  }

  /**
   * Checks a checkpoint's training state against these options and returns the function that
   * applies it, so that the caller can check everything before changing anything. A checkpoint
   * without training state (format 1) restarts it.
   */
  prepareRestore(state: JsonValue | undefined, blobs: readonly CheckpointBlob[]): () => void {
    if (state === null || state === undefined) return () => this.reset();
    if (typeof state !== 'object' || Array.isArray(state)) throw new Error('its training state is not an object');
    const { random, recordsSeen, boostLeft } = state;
    if (typeof random !== 'number' || typeof recordsSeen !== 'number' || typeof boostLeft !== 'number') {
      throw new Error('its training state lacks random, recordsSeen or boostLeft');
    }
    const replay = parseReplayState(state.replay);
    if (!replay) throw new Error('its training state has no replay buffer description');
    const images = blobs.find((b) => b.name === IMAGES_BLOB)?.bytes ?? new Uint8Array(0);
    const labels = blobs.find((b) => b.name === LABELS_BLOB)?.bytes ?? new Uint8Array(0);
    const probe = new ReplayBuffer(this.buffer.policy, this.buffer.capacity, this.settings.pixels);
    probe.restore(replay, images, labels);
    const adwinState = parseAdwinState(state.adwin);
    if ((adwinState === null) !== (this.adwin === null)) {
      throw new Error(`it was written with drift detection ${adwinState ? 'on' : 'off'}, this model has it ${this.adwin ? 'on' : 'off'}`);
    }
    return () => {
      this.random = new SeededRandom(random);
      this.recordsSeen = recordsSeen;
      this.boostLeft = boostLeft;
      this.buffer.restore(replay, images, labels);
      this.adwin = adwinState ? Adwin.fromState(adwinState) : null;
    };
  }

  private reset(): void {
    const fresh = new WindowTraining(this.settings);
    this.prepareRestore(fresh.checkpoint().state, [])();
  }

  private rate(recordsSeen: number): number {
    const { training, learningRate } = this.settings;
    const scheduled = learningRateAt({ base: learningRate, ...training.schedule }, recordsSeen);
    return this.boostLeft > 0 ? scheduled * training.drift.boostFactor : scheduled;
  }

  private detect(errors: Uint8Array, runner: StepRunner): DriftReport | null {
    if (!this.adwin) return null;
    let detected = false;
    let worse = false;
    for (const e of errors) {
      if (!this.adwin.update(e)) continue;
      detected = true;
      worse = worse || this.adwin.lastChangeIncreased;
    }
    const report: DriftReport = {
      detected,
      direction: detected ? (worse ? 'worse' : 'better') : null,
      statistic: this.adwin.takeStatistic(),
      errorRate: this.adwin.estimate,
      width: this.adwin.width,
      detections: this.adwin.detections,
    };
    // A falling error (the model learning) is a change too, but nothing to react to.
    if (worse) this.react(runner);
    return report;
  }

  /** Any reaction also empties the replay buffer: its examples teach the concept that just ended. */
  private react(runner: StepRunner): void {
    const { drift } = this.settings.training;
    if (drift.reaction !== 'none') this.buffer.clear();
    if (drift.reaction === 'reset-optimizer') runner.resetOptimizer();
    if (drift.reaction === 'raise-learning-rate') this.boostLeft = drift.boostRecords;
  }
}

function identity(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}
