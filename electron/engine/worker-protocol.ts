// Messages between the runner and a model worker process.
export type ToWorker =
  | { type: 'init'; modulePath: string; exportName: string }
  | { type: 'run'; cases: { index: number; params: Record<string, unknown> }[] };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; message: string }
  | { type: 'start'; index: number }
  | { type: 'done'; index: number; outputs: unknown }
  | { type: 'failed'; index: number; message: string };
