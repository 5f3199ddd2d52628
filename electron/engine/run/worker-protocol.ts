// Messages between the runner and a model worker process. Results travel in chunks: a worker reports what it
// has finished at most every CHUNK_MS, and names the case it starts next, so a fast model costs one message
// per chunk rather than two per case, and a hung case is still known exactly (the first unreported one).
// A run's workers also make each case's row parts (its pset_id, pset hash and _params), which a run's own process would
// otherwise make for every case: they are mostly idle, and the run's process bounds its throughput.
import type { ErrorAt } from '../../../shared/api';
import type { PsetRecipe } from './pset-hash';

export const CHUNK_MS = 50;

export type ToWorker =
  /** `recipe`: what a run's cases are handed besides their own parameters (runs only). */
  | { type: 'init'; modulePath: string; exportName: string; studyDir: string; recipe?: PsetRecipe }
  /**
   * Case `indices[k]` runs with the k-th parameters of `params`, in this order. `own`: they are the cases' own
   * parameters, and the worker makes from them, by init's recipe, what the model is handed and each case's row parts.
   */
  | { type: 'run'; indices: number[]; params: ParamsBatch; own?: boolean };

/**
 * A batch's parameters: a column per name when every case has the same names in the same order (a run's cases
 * do), which crosses to the worker as a few arrays rather than an object per case; else an object per case.
 */
export type ParamsBatch = { names: string[]; columns: unknown[][] } | { each: Record<string, unknown>[] };

export function paramsBatch(list: Record<string, unknown>[]): ParamsBatch {
  const names = list.length > 0 ? Object.keys(list[0]!) : [];
  const columns: unknown[][] = names.map(() => new Array<unknown>(list.length));
  for (let c = 0; c < list.length; c++) {
    const params = list[c]!;
    // A library's learner hands its function a number or an array, not a mapping: those go as they are.
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return { each: list };
    let k = 0;
    for (const name in params) {
      if (!Object.hasOwn(params, name)) continue;
      if (names[k] !== name) return { each: list };
      columns[k]![c] = params[name];
      k++;
    }
    if (k !== names.length) return { each: list };
  }
  return { names, columns };
}

/** The parameters of a batch's c-th case. */
export function paramsIn(batch: ParamsBatch, c: number): Record<string, unknown> {
  if ('each' in batch) return batch.each[c]!;
  const params: Record<string, unknown> = {};
  for (let k = 0; k < batch.names.length; k++) params[batch.names[k]!] = batch.columns[k]![c];
  return params;
}

/** A case's row parts made by its worker. */
export interface RowParts {
  psetId: string;
  psetHash: string;
  /** The row's _params: the scalar constants and the case's parameters, as JSON. */
  paramsJson: string;
}

/** Each case's row parts, one after the other: its pset_id (36 characters), its pset hash (40), then its _params. */
export interface MadeRows {
  text: string;
  /** Where each case's parts end in `text`. */
  ends: number[];
}

export const ID_LENGTH = 36;
export const HASH_LENGTH = 40;

/** The k-th case's row parts. */
export function rowPartsAt(made: MadeRows, k: number): RowParts {
  const start = k === 0 ? 0 : made.ends[k - 1]!;
  const hashAt = start + ID_LENGTH;
  const jsonAt = hashAt + HASH_LENGTH;
  return {
    psetId: made.text.slice(start, hashAt),
    psetHash: made.text.slice(hashAt, jsonAt),
    paramsJson: made.text.slice(jsonAt, made.ends[k]),
  };
}

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
  /** Their row parts, in the same order, when the worker was sent their own parameters. */
  made?: MadeRows;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; message: string; at?: ErrorAt }
  /** `next`: the case the worker starts now, or null when its batch is done. */
  | ({ type: 'results'; next: number | null } & Results);
