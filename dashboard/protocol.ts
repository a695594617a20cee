/**
 * What the dashboard server sends the page: one snapshot at connect, then events. Shared by the
 * server and the page (type-only, so the page's bundle holds none of the server's code).
 */
import type { WindowMetrics } from '../processors/types';

/** A metrics record as read from the topic; fields added later (drift flags) ride along. */
export type MetricsRecord = WindowMetrics & Readonly<Record<string, unknown>>;

export interface ModelHistory {
  /** The metrics record's key: the app id that trained the model. */
  readonly name: string;
  readonly windows: readonly MetricsRecord[];
}

export interface LagRow {
  readonly model: string;
  readonly topic: string;
  readonly partition: number;
  /** null: the group has committed no offset on this partition yet. */
  readonly committed: number | null;
  readonly end: number;
  readonly lag: number | null;
}

export interface BrokerStatus {
  readonly ok: boolean;
  /** What the page and the log say: the problem and that the dashboard keeps retrying. */
  readonly message: string;
  readonly since: string;
}

export interface DashboardSnapshot {
  readonly brokers: string;
  readonly topics: { readonly metrics: string; readonly deadLetter: string; readonly source: string };
  readonly broker: BrokerStatus;
  readonly models: readonly ModelHistory[];
  readonly lag: readonly LagRow[];
  /** Dead-lettered records by their `streamtrain.error.code` header. */
  readonly deadLetters: Readonly<Record<string, number>>;
}

export type DashboardEvent =
  | { readonly type: 'window'; readonly model: string; readonly metrics: MetricsRecord }
  | { readonly type: 'lag'; readonly rows: readonly LagRow[] }
  | { readonly type: 'dead-letters'; readonly counts: Readonly<Record<string, number>> }
  | { readonly type: 'broker'; readonly status: BrokerStatus };

/** The answer of POST /api/predict. */
export interface Prediction {
  readonly probabilities: readonly number[];
  readonly digit: number;
  readonly exportedAt: string;
}

/** Every error answer of the API: a sentence for the page. */
export interface ApiError {
  readonly error: string;
}

/** Pixels of one digit, as the page sends them and the model takes them. */
export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
