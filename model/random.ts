// A seeded generator whose whole state is one 32-bit number, so that it can travel in a
// checkpoint: a restored trainer draws the very same shuffles and replay samples as an
// uninterrupted one.

/** mulberry32: tiny, fast and good enough for shuffling and sampling. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The state to checkpoint; `new SeededRandom(state)` continues the sequence. */
  get currentState(): number {
    return this.state;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** 0..count-1 in a uniformly random order (Fisher-Yates). */
  permutation(count: number): Uint32Array {
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    for (let i = count - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
