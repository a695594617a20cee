// The drawing pad's server side: a 28x28 drawing is judged by the model the app exported last,
// with real TensorFlow.js, and a newer export replaces the old one without a restart.
import { mkdtempSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OnlineClassifier, selectBackend } from '../../../model';
import { exportedModelFile } from '../../../model/exported-model';
import { syntheticWindow } from '../../../model/synthetic';
import type { Prediction } from '../../../dashboard/protocol';
import { request, startTestServer, type TestServer } from './support';

const exportDir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-export-'));
let server: TestServer;
let classifier: OnlineClassifier;

beforeAll(async () => {
  await selectBackend('wasm', () => undefined);
  classifier = await OnlineClassifier.create({ imageSize: 28, classes: 10, seed: 3, optimizer: 'adam', learningRate: 0.01, l2: 0, batchSize: null });
  await classifier.exportTo(exportDir);
  server = await startTestServer(exportDir);
});
afterAll(async () => {
  await server.close();
  classifier.dispose();
});

async function predict(pixels: number[]): Promise<Prediction> {
  const answer = await request(server.port, 'POST', '/api/predict', JSON.stringify({ pixels }));
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text) as Prediction;
}

test('returns ten probabilities that sum to 1, and the most probable digit', async () => {
  const drawing = Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 16 ? 255 : 0));
  const prediction = await predict(drawing);
  expect(prediction.probabilities).toHaveLength(10);
  expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  expect(prediction.digit).toBe(prediction.probabilities.indexOf(Math.max(...prediction.probabilities)));
  expect(Date.parse(prediction.exportedAt)).not.toBeNaN();
});

test('answers with the same model as the classifier itself', async () => {
  const window = syntheticWindow(1, 28, 10, 5);
  const ours = await predict(Array.from(window.images));
  const theirs = await classifier.evaluate(window.images, window.labels, 1);
  // Cross-entropy of the true label is -log p(label): the two must agree.
  expect(-Math.log(ours.probabilities[window.labels[0] ?? 0] ?? 0)).toBeCloseTo(theirs.loss, 3);
});

test('a newer export is picked up at the next prediction', async () => {
  const before = await predict(Array<number>(784).fill(128));
  const window = syntheticWindow(64, 28, 10, 9);
  for (let i = 0; i < 5; i++) await classifier.learn(window.images, window.labels, window.count);
  await classifier.exportTo(exportDir);
  // A later mtime, even on a file system with coarse timestamps.
  const later = new Date(Date.parse(before.exportedAt) + 2000);
  utimesSync(exportedModelFile(exportDir), later, later);
  const after = await predict(Array<number>(784).fill(128));
  expect(after.exportedAt).toBe(later.toISOString());
  expect(after.probabilities).not.toEqual(before.probabilities);
  expect(server.log.lines.filter((l) => l.includes('predicting with the model exported at'))).toHaveLength(2);
});
