// A bounded memory of past examples for rehearsal. "reservoir" keeps a uniform sample of
// everything seen so far (Vitter's algorithm R), "recent" the last `capacity` examples. Its
// contents and counters are part of the trainer's checkpoint, drawn from a SeededRandom that is
// checkpointed too, so a restored buffer is the buffer an uninterrupted run would have.
import type { JsonValue } from './json';
import type { SeededRandom } from './random';

export const REPLAY_POLICIES = ['reservoir', 'recent'] as const;
export type ReplayPolicy = (typeof REPLAY_POLICIES)[number];

export interface ReplayBufferState {
  readonly policy: ReplayPolicy;
  readonly capacity: number;
  readonly size: number;
  /** Examples ever offered to the buffer. */
  readonly seen: number;
  /** The slot "recent" overwrites next. */
  readonly next: number;
}

export class ReplayBuffer {
  private readonly images: Uint8Array;
  private readonly labels: Uint8Array;
  private sizeNow = 0;
  private seen = 0;
  private next = 0;

  constructor(
    readonly policy: ReplayPolicy,
    readonly capacity: number,
    /** Bytes of one example's pixels. */
    readonly pixels: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`replay capacity must be a whole number, got ${capacity}`);
    this.images = new Uint8Array(capacity * pixels);
    this.labels = new Uint8Array(capacity);
  }

  get size(): number {
    return this.sizeNow;
  }

  /** Offers `count` examples, in order; each is kept or not as the policy says. */
  add(images: Uint8Array, labels: Uint8Array, count: number, random: SeededRandom): void {
    for (let i = 0; i < count; i++) {
      const slot = this.slotFor(random);
      this.seen += 1;
      if (slot < 0) continue;
      this.images.set(images.subarray(i * this.pixels, (i + 1) * this.pixels), slot * this.pixels);
      this.labels[slot] = labels[i];
    }
  }

  /** Forgets every example (after a drift they teach the old concept); the reservoir starts over. */
  clear(): void {
    this.sizeNow = 0;
    this.seen = 0;
    this.next = 0;
  }

  /** `count` slots drawn uniformly with replacement; empty when the buffer is. */
  sample(count: number, random: SeededRandom): Uint32Array {
    if (this.sizeNow === 0) return new Uint32Array(0);
    const slots = new Uint32Array(count);
    for (let i = 0; i < count; i++) slots[i] = random.below(this.sizeNow);
    return slots;
  }

  imageAt(slot: number): Uint8Array {
    return this.images.subarray(slot * this.pixels, (slot + 1) * this.pixels);
  }

  labelAt(slot: number): number {
    return this.labels[slot];
  }

  state(): ReplayBufferState {
    return { policy: this.policy, capacity: this.capacity, size: this.sizeNow, seen: this.seen, next: this.next };
  }

  /** The filled part of the buffer, as bytes for the checkpoint. */
  contents(): { images: Uint8Array; labels: Uint8Array } {
    return { images: this.images.subarray(0, this.sizeNow * this.pixels), labels: this.labels.subarray(0, this.sizeNow) };
  }

  /** Replaces everything with a checkpoint's; throws (changing nothing) if it does not fit. */
  restore(state: ReplayBufferState, images: Uint8Array, labels: Uint8Array): void {
    if (state.policy !== this.policy || state.capacity !== this.capacity) {
      throw new Error(`it holds a ${state.policy} replay buffer of ${state.capacity}, this model uses ${this.policy} of ${this.capacity}`);
    }
    if (state.size > this.capacity || images.length !== state.size * this.pixels || labels.length !== state.size) {
      throw new Error(`its replay buffer holds ${labels.length} labels and ${images.length} image bytes for ${state.size} examples`);
    }
    this.images.set(images);
    this.labels.set(labels);
    this.sizeNow = state.size;
    this.seen = state.seen;
    this.next = state.next;
  }

  private slotFor(random: SeededRandom): number {
    if (this.capacity === 0) return -1;
    if (this.policy === 'recent') {
      const slot = this.next;
      this.next = (this.next + 1) % this.capacity;
      this.sizeNow = Math.min(this.sizeNow + 1, this.capacity);
      return slot;
    }
    if (this.sizeNow < this.capacity) {
      this.sizeNow += 1;
      return this.sizeNow - 1;
    }
    const j = random.below(this.seen + 1);
    return j < this.capacity ? j : -1;
  }
}

/** Reads a ReplayBufferState back from checkpoint JSON; null if it is not one. */
export function parseReplayState(value: JsonValue | undefined): ReplayBufferState | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const { policy, capacity, size, seen, next } = value;
  if (policy !== 'reservoir' && policy !== 'recent') return null;
  if (typeof capacity !== 'number' || typeof size !== 'number' || typeof seen !== 'number' || typeof next !== 'number') return null;
  return { policy, capacity, size, seen, next };
}
