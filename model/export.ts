// Saves a model in the TensorFlow.js layers format (model.json + one weights file) with plain
// fs, because the `file://` save handler only exists in tfjs-node, which may not be installed.
// The result loads with tf.loadLayersModel in Node (tfjs-node) or from any web server.
import { promises as fs } from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Writes `dir/model.json` and `dir/weights.bin`, creating `dir` if needed. The weights are read and
 * laid out here rather than through `model.save`: tfjs' encoder tells typed arrays apart with
 * `instanceof`, which fails for arrays that native TensorFlow made in another realm (as under jest),
 * while a byte copy works for all of them.
 */
export async function exportModel(model: tf.LayersModel, dir: string): Promise<void> {
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Buffer[] = [];
  for (const weight of model.weights) {
    const variable = weight.read(); // the variable itself: not ours to dispose
    const values = await variable.data();
    weightSpecs.push({ name: weight.originalName, shape: [...variable.shape], dtype: 'float32' });
    parts.push(Buffer.from(Float32Array.from(values).buffer));
  }
  const modelJson: tf.io.ModelJSON = {
    modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'],
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: weightSpecs }],
  };
  await fs.mkdir(dir, { recursive: true });
  // Weights first: a reader that finds model.json may rely on the weights being there.
  await fs.writeFile(path.join(dir, WEIGHTS_FILE), Buffer.concat(parts));
  await fs.writeFile(path.join(dir, MODEL_FILE), JSON.stringify(modelJson));
}
