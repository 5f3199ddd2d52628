// Runs cases on a few model worker processes, a batch at a time, with a timeout per case.
// A worker that dies or hangs while running a case fails that case alone; the cases it held but had not
// started go back in the queue and a fresh worker takes over. A model that cannot even be loaded (it throws,
// exits or hangs while importing) fails the run instead, since every worker would fail the same way.
import path from 'node:path';
import type { ErrorAt } from '../../../shared/api';
import type { PsetRecipe } from './pset-hash';
import type { FromWorker, RowParts, ToWorker } from './worker-protocol';
import { CHUNK_MS, paramsBatch, rowPartsAt } from './worker-protocol';
import type { CaseFeed, CaseList } from './case-list';
import { CaseQueue, caseListOf, isCaseFeed } from './case-list';
import type { Spawner, WorkerHandle } from './spawner';
import { FurrowError } from '../errors';
import { cleanModelError } from './model-error';

export interface PoolModel {
  modulePath: string;
  exportName: string;
  /** The folder the model's messages are written relative to (the study's). */
  studyDir: string;
  timeoutSeconds: number;
  loadTimeoutSeconds: number;
  /** What a run's cases are handed besides their own parameters (PoolOptions.own). */
  recipe?: PsetRecipe;
}

/** When and where a case was grown, for outcomes delivered from elsewhere (a crop's reap); else now, here. */
export interface GrownAt {
  timeUtc: string;
  host: string;
}

export interface PoolHooks {
  paramsOf(index: number): Record<string, unknown>;
  /** The number of cases being worked on changed by `delta`. */
  onBusy(delta: number): void;
  /** A case started to run now (its clock starts). */
  onStart?(index: number): void;
  /**
   * `seconds`: how long the case ran (null when it never got to run properly). `made`: the case's row parts, made
   * by its worker (PoolOptions.own), when it got to make them.
   */
  onDone(index: number, outputs: unknown, seconds: number, grown?: GrownAt, made?: RowParts): void;
  /** `at`: where in the person's own files the case failed, when that is known. */
  onFailed(
    index: number,
    message: string,
    seconds: number | null,
    grown?: GrownAt,
    at?: ErrorAt,
    made?: RowParts,
  ): void;
}

export interface PoolOptions {
  spawner: Spawner;
  /** The built worker entry (worker.mjs). */
  entry: string;
  workers: number;
  model: PoolModel;
  /** Aborting kills every worker at once; cases not finished by then are reported by neither hook. */
  signal?: AbortSignal;
  /** Workers started earlier (startWorkers), taken before any new one is spawned. */
  started?: StartedWorkers;
  /**
   * paramsOf gives the cases' own parameters: the workers make what the model is handed by the model's recipe, and
   * each case's row parts.
   */
  own?: boolean;
}

/**
 * Workers started before their cases are known, so that their start-up (a Node process, the model's import)
 * overlaps the run's own (opening the dataset and the database). What a worker says before the pool listens is
 * kept and replayed. Workers never taken are killed by close().
 */
export class StartedWorkers {
  private readonly waiting: WorkerHandle[];

  constructor(spawner: Spawner, entry: string, model: PoolModel, count: number) {
    this.waiting = Array.from({ length: count }, () => {
      const worker = replaying(spawner(entry));
      worker.send(initOf(model));
      return worker;
    });
  }

  /** A started worker, already sent its `init`, or undefined when none is left. */
  take(): WorkerHandle | undefined {
    return this.waiting.shift();
  }

  close(): void {
    this.waiting.splice(0).forEach((w) => w.kill());
  }
}

/** A handle that keeps messages, stderr and the exit until someone listens, then replays them in order. */
function replaying(worker: WorkerHandle): WorkerHandle {
  type Kept = { kind: 'message'; message: unknown } | { kind: 'exit'; code: number | null; signal: string | null };
  const kept: Kept[] = [];
  let stderr = '';
  let onMessage: ((message: unknown) => void) | null = null;
  let onExit: ((code: number | null, signal: string | null) => void) | null = null;
  let onStderr: ((text: string) => void) | null = null;
  worker.onMessage((message) => (onMessage ? onMessage(message) : kept.push({ kind: 'message', message })));
  worker.onExit((code, signal) => (onExit ? onExit(code, signal) : kept.push({ kind: 'exit', code, signal })));
  worker.onStderr((text) => (onStderr ? onStderr(text) : (stderr += text)));
  // The pool attaches stderr, then messages, then the exit: replay once the last is attached.
  return {
    get pid() {
      return worker.pid;
    },
    send: (message, ports) => worker.send(message, ports),
    kill: () => worker.kill(),
    onStderr(listener) {
      onStderr = listener;
      if (stderr) listener(stderr);
    },
    onMessage(listener) {
      onMessage = (message) => listener(message, []);
    },
    onExit(listener) {
      onExit = listener;
      for (const k of kept.splice(0)) {
        if (k.kind === 'message') onMessage?.(k.message);
        else listener(k.code, k.signal);
      }
    },
  };
}

const initOf = (model: PoolModel): ToWorker => ({
  type: 'init',
  modulePath: model.modulePath,
  exportName: model.exportName,
  studyDir: model.studyDir,
  ...(model.recipe ? { recipe: model.recipe } : {}),
});

/** A model that cannot be loaded: the run (or the try) fails with where, in the person's files. */
export class ModelLoadError extends FurrowError {
  constructor(message: string, at: ErrorAt | null) {
    super('bad-input', message, at ? { at } : {});
    this.name = 'ModelLoadError';
  }
}

const MAX_BATCH = 4096;
/** A case's timeout counts from the worker's last word, which may be up to one chunk old. */
const SLACK_SECONDS = CHUNK_MS / 1000;

/** The cases of `batch` not among `reported`: a worker reports its batch's cases in order, so mostly its tail. */
function unreported(batch: number[], reported: number[]): number[] {
  if (reported.every((index, k) => batch[k] === index)) return batch.slice(reported.length);
  const seen = new Set(reported);
  return batch.filter((i) => !seen.has(i));
}

function tailOf(stderr: string): string {
  const lines = stderr.trim().split('\n').slice(-10).join('\n');
  return lines ? `\n${lines}` : '';
}

export async function runCases(
  indices: CaseList | readonly number[] | CaseFeed,
  hooks: PoolHooks,
  options: PoolOptions,
): Promise<void> {
  const queue = isCaseFeed(indices)
    ? indices
    : new CaseQueue(Array.isArray(indices) ? caseListOf(indices) : (indices as CaseList));
  const workers = Math.max(1, Math.min(options.workers, queue.length));
  const { model, signal } = options;
  let loadError: string | null = null;
  let loadErrorAt: ErrorAt | null = null;
  const name = path.relative(model.studyDir, model.modulePath);
  /** A stderr tail or a worker's message, with paths relative to the study and without Furrow's frames. */
  const clean = (text: string) => cleanModelError(text, model.studyDir).text;
  const live = new Set<WorkerHandle>();
  const onAbort = () => live.forEach((w) => w.kill());
  signal?.addEventListener('abort', onAbort);

  const nextBatch = (): number[] => {
    if (signal?.aborted || loadError !== null) return [];
    const size = Math.min(MAX_BATCH, Math.max(1, Math.ceil(queue.length / (workers * 8))));
    return queue.take(size);
  };

  /** One worker process from spawn to exit. Resolves when it is gone. */
  const oneWorker = () =>
    new Promise<void>((resolve) => {
      const started = options.started?.take();
      const worker = started ?? options.spawner(options.entry);
      live.add(worker);
      let loaded = false;
      // The cases handed to this worker and not yet reported, in the order it runs them: the first is running.
      let batch: number[] = [];
      let timer: NodeJS.Timeout | undefined;
      let stderr = '';
      let finished = false;

      const setBatch = (next: number[]) => {
        if (batch.length === 0 && next.length > 0) hooks.onBusy(1);
        if (batch.length > 0 && next.length === 0) hooks.onBusy(-1);
        batch = next;
      };
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        // Cases this worker held but never started go back to the front of the queue.
        queue.giveBack(batch);
        setBatch([]);
        live.delete(worker);
        worker.kill();
        resolve();
      };
      const send = (message: ToWorker) => worker.send(message);
      const arm = (seconds: number, onExpiry: () => void) => {
        clearTimeout(timer);
        timer = setTimeout(onExpiry, seconds * 1000);
      };
      const armCaseTimeout = () =>
        arm(model.timeoutSeconds + SLACK_SECONDS, () => {
          const [hung, ...rest] = batch;
          if (hung !== undefined)
            hooks.onFailed(hung, `timed out after ${model.timeoutSeconds} s (model.timeout)`, model.timeoutSeconds);
          setBatch(rest);
          finish(); // the worker is stuck: it is killed, the rest of its batch goes back in the queue
        });
      const dispatch = () => {
        const next = nextBatch();
        if (next.length === 0) return finish();
        setBatch(next);
        armCaseTimeout();
        const params = paramsBatch(next.map((index) => hooks.paramsOf(index)));
        send({ type: 'run', indices: next, params, ...(options.own ? { own: true } : {}) });
        hooks.onStart?.(next[0]!);
      };

      worker.onStderr((text) => (stderr = (stderr + text).slice(-4000)));
      worker.onMessage((raw) => {
        if (finished) return; // a late message from a worker already given up on
        const message = raw as FromWorker;
        switch (message.type) {
          case 'ready':
            loaded = true;
            clearTimeout(timer);
            return dispatch();
          case 'init-error':
            loadError = message.message;
            loadErrorAt = message.at ?? null;
            return finish();
          case 'results': {
            const { indices, seconds, outputs, failures, made } = message;
            setBatch(unreported(batch, indices));
            // The worker has started its next case already: it runs while these results are recorded.
            if (message.next !== null && batch.length > 0) hooks.onStart?.(message.next);
            for (let k = 0, f = 0; k < indices.length; k++) {
              const failed = failures[f]?.k === k ? failures[f++]! : null;
              const parts = made ? rowPartsAt(made, k) : undefined;
              if (failed === null) hooks.onDone(indices[k]!, outputs[k], seconds[k]!, undefined, parts);
              else hooks.onFailed(indices[k]!, failed.error, seconds[k]!, undefined, failed.at, parts);
            }
            if (message.next === null || batch.length === 0) return dispatch();
            return armCaseTimeout();
          }
        }
      });
      worker.onExit((code, exitSignal) => {
        if (finished) return;
        const how = exitSignal ?? `exit code ${code}`;
        if (signal?.aborted) {
          // cancelled: nothing to report
        } else if (!loaded) {
          loadError = clean(`the model worker exited (${how}) while loading ${name}${tailOf(stderr)}`);
        } else if (batch[0] !== undefined) {
          const [dead, ...rest] = batch;
          const said = cleanModelError(
            `the worker process died (${how}) while running this case${tailOf(stderr)}`,
            model.studyDir,
          );
          hooks.onFailed(dead!, said.text, null, undefined, said.at ?? undefined);
          setBatch(rest);
        }
        finish();
      });
      arm(model.loadTimeoutSeconds, () => {
        loadError = `${name} took longer than ${model.loadTimeoutSeconds} s to load (model.load_timeout); does a top-level await never settle?`;
        finish();
      });
      if (!started) send(initOf(model));
    });

  const slot = async () => {
    while (queue.length > 0 && loadError === null && !signal?.aborted) await oneWorker();
  };
  try {
    await Promise.all(Array.from({ length: workers }, slot));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (loadError !== null) throw new ModelLoadError(loadError, loadErrorAt);
}
