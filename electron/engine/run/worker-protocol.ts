// Messages between the runner and a model worker process. Results travel in chunks: a worker reports what it
// has finished at most every CHUNK_MS, and names the case it starts next, so a fast model costs one message
// per chunk rather than two per case, and a hung case is still known exactly (the first unreported one).
import type { ErrorAt } from '../../../shared/api';

export const CHUNK_MS = 50;

export type ToWorker =
  | { type: 'init'; modulePath: string; exportName: string; studyDir: string }
  /** Case `indices[k]` runs with `params[k]`, in this order. */
  | { type: 'run'; indices: number[]; params: Record<string, unknown>[] };

/** A case that failed: its place in its Results, and why. */
export interface CaseFailure {
  k: number;
  /** The message with the person's own frames only. */
  error: string;
  /** Where in the person's files it failed. */
  at?: ErrorAt;
}

/**
 * What a worker finished since it last reported, in the order it ran them, a column per field (one message of a few
 * arrays, not an object per case): case `indices[k]` took `seconds[k]` and returned `outputs[k]`, unless it failed.
 */
export interface Results {
  indices: number[];
  /** How long the model took, in seconds. */
  seconds: number[];
  /** The model's outputs; undefined for a case that failed. */
  outputs: unknown[];
  /** The cases that failed, by their place, in order. */
  failures: CaseFailure[];
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; message: string; at?: ErrorAt }
  /** `next`: the case the worker starts now, or null when its batch is done. */
  | ({ type: 'results'; next: number | null } & Results);
