// Reads back what export.ts writes (model.json + weights.bin) with plain fs, for the same reason
// it writes with plain fs: the `file://` handler exists only in tfjs-node, which may be missing.
import { promises as fs } from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { MODEL_FILE, WEIGHTS_FILE } from './export';

/** A model exported by `exportModel`, loaded for prediction. */
export interface ExportedModel {
  /** When model.json was written: tells a reader whether a newer export exists. */
  readonly exportedAt: Date;
  /** Class probabilities of one square image of 0-255 pixels, row-major. */
  predict(pixels: Uint8Array): number[];
  dispose(): void;
}

/** Where an export's model.json sits; its mtime changes at each export. */
export function exportedModelFile(dir: string): string {
  return path.join(dir, MODEL_FILE);
}

/** Loads `dir/model.json` and `dir/weights.bin` on the current tfjs backend. */
export async function loadExportedModel(dir: string): Promise<ExportedModel> {
  const modelFile = exportedModelFile(dir);
  const [json, weights, stat] = await Promise.all([
    fs.readFile(modelFile, 'utf8'),
    fs.readFile(path.join(dir, WEIGHTS_FILE)),
    fs.stat(modelFile),
  ]);
  const parsed = JSON.parse(json) as tf.io.ModelJSON;
  const weightSpecs = parsed.weightsManifest.flatMap((group) => group.weights);
  // A copy: Buffer's backing store may be a shared pool larger than the file.
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs, weightData }));
  const shape = model.inputs[0]?.shape ?? [];
  const height = shape[1] ?? 0;
  const width = shape[2] ?? 0;
  return {
    exportedAt: stat.mtime,
    predict: (pixels) =>
      tf.tidy(() => {
        if (pixels.length !== height * width) {
          throw new RangeError(`the model takes ${height}x${width} = ${height * width} pixels, got ${pixels.length}`);
        }
        const scaled = Float32Array.from(pixels, (p) => p / 255);
        const output = model.predict(tf.tensor4d(scaled, [1, height, width, 1])) as tf.Tensor;
        return Array.from(output.dataSync());
      }),
    dispose: () => model.dispose(),
  };
}
