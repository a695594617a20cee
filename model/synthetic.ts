// Deterministic synthetic windows for tests and benchmarks: uniform random pixels and labels from
// a seeded generator, so runs are repeatable without shipping data.
import { SeededRandom } from './random';

export interface SyntheticWindow {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export function syntheticWindow(count: number, imageSize: number, classes: number, seed: number): SyntheticWindow {
  const random = new SeededRandom(seed);
  const next = () => random.next();
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
