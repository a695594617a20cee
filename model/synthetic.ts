// Deterministic synthetic windows for tests and benchmarks: uniform random pixels and labels from
// a seeded generator, so runs are repeatable without shipping data.

/** mulberry32: a tiny, fast, seedable 32-bit PRNG returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticWindow {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export function syntheticWindow(count: number, imageSize: number, classes: number, seed: number): SyntheticWindow {
  const next = mulberry32(seed);
  const images = new Uint8Array(count * imageSize * imageSize);
  for (let i = 0; i < images.length; i++) {
    images[i] = Math.floor(next() * 256);
  }
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = Math.floor(next() * classes);
  }
  return { images, labels, count };
}
