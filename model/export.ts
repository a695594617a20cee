// Saves a model in the TensorFlow.js layers format (model.json + one weights file) with plain
// fs, because the `file://` save handler only exists in tfjs-node, which may not be installed.
// The result loads with tf.loadLayersModel in Node (tfjs-node) or from any web server.
import { promises as fs } from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

async function writeArtifacts(dir: string, artifacts: tf.io.ModelArtifacts): Promise<void> {
  if (artifacts.modelTopology === undefined || artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
    throw new Error('the model produced no topology or weights to export');
  }
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
  };
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  await fs.mkdir(dir, { recursive: true });
  // Weights first: a reader that finds model.json may rely on the weights being there.
  await fs.writeFile(path.join(dir, WEIGHTS_FILE), weights);
  await fs.writeFile(path.join(dir, MODEL_FILE), JSON.stringify(modelJson));
}

/** Writes `dir/model.json` and `dir/weights.bin`, creating `dir` if needed. */
export async function exportModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await writeArtifacts(dir, artifacts);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}
