// Messages between the runner and a model worker process. Results travel in chunks: a worker reports what it
// has finished at most every CHUNK_MS, and names the case it starts next, so a fast model costs one message
// per chunk rather than two per case, and a hung case is still known exactly (the first unreported one).
import type { ErrorAt } from '../../../shared/api';

export const CHUNK_MS = 50;

export type ToWorker =
  | { type: 'init'; modulePath: string; exportName: string; studyDir: string }
  | { type: 'run'; cases: { index: number; params: Record<string, unknown> }[] };

export interface CaseResult {
  index: number;
  /** How long the model took, in seconds. */
  seconds: number;
  outputs?: unknown;
  /** Set when the case failed: the message with the person's own frames only. */
  error?: string;
  /** Where in the person's files it failed. */
  at?: ErrorAt;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; message: string; at?: ErrorAt }
  /** `next`: the case the worker starts now, or null when its batch is done. */
  | { type: 'results'; results: CaseResult[]; next: number | null };
