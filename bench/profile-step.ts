// Where a training step's time goes: tf.profile of one OnlineClassifier.learn window (one step)
// per window size, kernels grouped by name with calls and summed kernel time, next to the
// unprofiled wall time of the same window. Run: node --import tsx bench/profile-step.ts [backend] [architecture]
import * as tf from '@tensorflow/tfjs';
import { OnlineClassifier, selectBackend, type BackendName } from '../model';
import type { Architecture } from '../model/architecture';
import { syntheticWindow } from '../model/synthetic';

interface KernelRow {
  calls: number;
  ms: number;
}

async function profileWindow(backend: BackendName, architecture: Architecture, window: number): Promise<void> {
  const classifier = await OnlineClassifier.create({ imageSize: 28, classes: 10, seed: 1, optimizer: 'adam', learningRate: 0.001, l2: 1e-4, batchSize: null, architecture });
  const data = syntheticWindow(window * 12, 28, 10, 1);
  const learn = (i: number) =>
    classifier.learn(data.images.subarray(i * window * 784, (i + 1) * window * 784), data.labels.subarray(i * window, (i + 1) * window), window);
  for (let i = 0; i < 3; i++) await learn(i);
  const walls: number[] = [];
  for (let i = 3; i < 11; i++) {
    const t = process.hrtime.bigint();
    await learn(i);
    walls.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const info = await tf.profile(async () => {
    await learn(11);
    return [];
  });
  const rows = new Map<string, KernelRow>();
  let total = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const row = rows.get(k.name) ?? { calls: 0, ms: 0 };
    row.calls += 1;
    row.ms += ms;
    rows.set(k.name, row);
    total += ms;
  }
  walls.sort((a, b) => a - b);
  console.log(`${backend} ${architecture} window ${window}: ${info.kernels.length} kernels, ${total.toFixed(1)} ms kernel time profiled; unprofiled wall ${walls[0].toFixed(1)}-${walls[walls.length - 1].toFixed(1)} ms (median ${walls[4].toFixed(1)})`);
  for (const [name, row] of [...rows].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${name.padEnd(24)} ${String(row.calls).padStart(4)} ${row.ms.toFixed(2).padStart(8)} ms`);
  }
  classifier.dispose();
}

(async () => {
  const backend = (process.argv[2] ?? 'tensorflow') as BackendName;
  const architecture = (process.argv[3] ?? 'cnn') as Architecture;
  await selectBackend(backend, (line) => console.log(line));
  for (const window of [100, 500]) await profileWindow(backend, architecture, window);
})().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
