// Kernel attributes arrive as the loose `Attribute` union; these helpers narrow them to the
// shapes the tfjs-core shape utilities expect, and fail loudly if an op passes something new.
import * as tf from '@tensorflow/tfjs';

type Attrs = tf.NamedAttrMap | undefined;
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil';

// Typed `unknown` on purpose: the Attribute union contains an index-signature type that
// literal comparisons do not narrow away, while `unknown` narrows cleanly.
function attr(attrs: Attrs, name: string): unknown {
  return attrs === undefined ? undefined : attrs[name];
}

function numbers(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const items: unknown[] = value;
  const result = items.filter((v): v is number => typeof v === 'number');
  return result.length === items.length ? result : undefined;
}

function invalid(name: string, value: unknown): Error {
  return new Error(`unsupported kernel attribute ${name}=${JSON.stringify(value)}`);
}

function isNumberPair(value: unknown): value is [number, number] {
  return numbers(value)?.length === 2;
}

export function numberOrPair(attrs: Attrs, name: string): number | [number, number] {
  const value = attr(attrs, name);
  if (typeof value === 'number' || isNumberPair(value)) {
    return value;
  }
  throw invalid(name, value);
}

export function padding(attrs: Attrs): Pad {
  const value = attr(attrs, 'pad');
  if (value === 'same' || value === 'valid' || typeof value === 'number') {
    return value;
  }
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    const pairs = items.filter(isNumberPair);
    if (items.length === 4 && pairs.length === 4) {
      return [pairs[0], pairs[1], pairs[2], pairs[3]];
    }
  }
  throw invalid('pad', value);
}

export function rounding(attrs: Attrs): Rounding | undefined {
  const value = attr(attrs, 'dimRoundingMode');
  if (value === undefined || value === null) {
    return undefined;
  }
  if (value === 'floor' || value === 'round' || value === 'ceil') {
    return value;
  }
  throw invalid('dimRoundingMode', value);
}

export function flag(attrs: Attrs, name: string): boolean {
  const value = attr(attrs, name);
  if (value === undefined || typeof value === 'boolean') {
    return value === true;
  }
  throw invalid(name, value);
}

export function text(attrs: Attrs, name: string): string | undefined {
  const value = attr(attrs, name);
  if (value === undefined || typeof value === 'string') {
    return value;
  }
  throw invalid(name, value);
}

export function rank4(shape: readonly number[], what: string): [number, number, number, number] {
  if (shape.length !== 4) {
    throw new Error(`${what} must be rank 4, got shape [${shape.join(', ')}]`);
  }
  return [shape[0], shape[1], shape[2], shape[3]];
}

export function shapeAttr4(attrs: Attrs, name: string): [number, number, number, number] {
  const value = attr(attrs, name);
  const shape = numbers(value);
  if (shape !== undefined) {
    return rank4(shape, name);
  }
  throw invalid(name, value);
}

/** Fetches a named input; kernels are called by the engine, so a missing one is a tfjs bug. */
export function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const info = inputs[name];
  if (info === undefined) {
    throw new Error(`kernel input '${name}' is missing`);
  }
  return info;
}
