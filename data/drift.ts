// A concept drift to demonstrate detection and recovery: after a given number of records the
// stream switches to a transformed MNIST, its labels permuted or its images rotated a quarter
// turn. Both are deterministic, so two runs see the same stream.

export const DRIFT_KINDS = ['permute-labels', 'rotate'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** A fixed permutation of the ten digits with no fixed point: 0->5, 1->6, ... 9->4. */
export function permutedLabel(label: number): number {
  return (label + 5) % 10;
}

/** The image turned 90 degrees clockwise (row-major, side x side). */
export function rotatedImage(pixels: Uint8Array, side: number): Uint8Array {
  const out = new Uint8Array(side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) out[c * side + (side - 1 - r)] = pixels[r * side + c];
  }
  return out;
}

export function driftedExample(kind: DriftKind, pixels: Uint8Array, label: number, side: number): { pixels: Uint8Array; label: number } {
  return kind === 'permute-labels' ? { pixels, label: permutedLabel(label) } : { pixels: rotatedImage(pixels, side), label };
}

export function parseDriftKind(value: string): DriftKind {
  const kind = DRIFT_KINDS.find((k) => k === value);
  if (!kind) throw new Error(`drift kind must be one of ${DRIFT_KINDS.join(', ')}, got '${value}'`);
  return kind;
}

/** Every example of a set, drifted: the world a model must work in after the switch. */
export function driftedSet(
  set: { readonly images: Uint8Array; readonly labels: Uint8Array; readonly count: number; readonly rows: number },
  kind: DriftKind,
): { images: Uint8Array; labels: Uint8Array; count: number } {
  const pixels = set.rows * set.rows;
  const images = new Uint8Array(set.count * pixels);
  const labels = new Uint8Array(set.count);
  for (let i = 0; i < set.count; i++) {
    const drifted = driftedExample(kind, set.images.subarray(i * pixels, (i + 1) * pixels), set.labels[i] ?? 0, set.rows);
    images.set(drifted.pixels, i * pixels);
    labels[i] = drifted.label;
  }
  return { images, labels, count: set.count };
}
