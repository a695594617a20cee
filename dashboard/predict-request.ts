import { PIXELS } from './protocol';

/** The largest prediction body accepted: 784 pixels of up to "255," plus a model name. */
export const PREDICT_BODY_LIMIT = 16 * 1024;

export type PredictRequest =
  | { readonly ok: true; readonly pixels: Uint8Array; readonly model: string | undefined }
  | { readonly ok: false; readonly error: string };

/** Checks a POST /api/predict body: `{ "pixels": [784 whole numbers 0-255], "model"?: name }`. */
export function parsePredictRequest(body: unknown): PredictRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: `send a JSON object {"pixels": [${PIXELS} whole numbers 0-255]}` };
  }
  const { pixels, model } = body as Record<string, unknown>;
  if (!Array.isArray(pixels)) return { ok: false, error: `"pixels" must be an array of ${PIXELS} whole numbers 0-255` };
  if (pixels.length !== PIXELS) {
    return { ok: false, error: `"pixels" must hold exactly ${PIXELS} values (28x28, row-major), got ${pixels.length}` };
  }
  const bad = pixels.findIndex((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 255);
  if (bad >= 0) return { ok: false, error: `pixel ${bad} is ${JSON.stringify(pixels[bad])}: each pixel must be a whole number 0-255` };
  if (model !== undefined && typeof model !== 'string') return { ok: false, error: '"model", when given, must be a model name (a string)' };
  return { ok: true, pixels: Uint8Array.from(pixels as number[]), model };
}
