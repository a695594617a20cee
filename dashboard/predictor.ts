import { stat } from 'node:fs/promises';
import { exportedModelFile, loadExportedModel, type ExportedModel } from '../model';
import type { Logger } from '../topology/processor';
import type { Prediction } from './protocol';

/** A prediction that cannot be made, with the HTTP status that says why. */
export class PredictionError extends Error {
  override readonly name = 'PredictionError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Predicts with the newest model the app exported to `model.exportDir`: it reloads the export
 * whenever model.json changes (the app rewrites it at each commit), so a drawing is always
 * judged by the model of the last commit.
 */
export class Predictor {
  private loaded: ExportedModel | undefined;
  private loading: Promise<ExportedModel> | undefined;

  constructor(private readonly exportDir: string, private readonly log: Logger) {}

  async predict(pixels: Uint8Array): Promise<Prediction> {
    const model = await this.current();
    const probabilities = model.predict(pixels);
    const digit = probabilities.indexOf(Math.max(...probabilities));
    return { probabilities, digit, exportedAt: model.exportedAt.toISOString() };
  }

  dispose(): void {
    this.loaded?.dispose();
    this.loaded = undefined;
  }

  private async current(): Promise<ExportedModel> {
    if (this.exportDir === '') {
      throw new PredictionError(409, 'no model export is configured: set model.exportDir in the config file, so that the app exports its model at each commit');
    }
    const file = exportedModelFile(this.exportDir);
    const written = await stat(file).then((s) => s.mtime, () => undefined);
    if (written === undefined) {
      throw new PredictionError(404, `no exported model yet in ${this.exportDir}: the app writes one at its first commit (model.exportDir); train a few windows and draw again`);
    }
    if (this.loaded !== undefined && this.loaded.exportedAt.getTime() === written.getTime()) return this.loaded;
    // One load at a time: concurrent requests share it.
    this.loading ??= loadExportedModel(this.exportDir).finally(() => (this.loading = undefined));
    try {
      const fresh = await this.loading;
      if (fresh !== this.loaded) {
        this.loaded?.dispose();
        this.loaded = fresh;
        this.log.info(`dashboard: predicting with the model exported at ${fresh.exportedAt.toISOString()} (${this.exportDir})`);
      }
      return fresh;
    } catch (error) {
      // A read between the app's two writes, or a damaged export: say so, keep the last good model.
      throw new PredictionError(503, `the export in ${this.exportDir} cannot be loaded (${(error as Error).message}); try again after the next commit`);
    }
  }
}
