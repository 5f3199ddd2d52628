// Runs cases on a few model worker processes, a batch at a time, with a timeout per case.
// A worker that dies or hangs fails only the case it was running; its other cases go back in the queue.
import type { FromWorker, ToWorker } from './worker-protocol';
import type { Spawner, WorkerHandle } from './spawner';
import { FurrowError } from './errors';

export interface PoolModel {
  modulePath: string;
  exportName: string;
  timeoutSeconds: number;
}

export interface PoolHooks {
  paramsOf(index: number): Record<string, unknown>;
  onStart(index: number): void;
  onDone(index: number, outputs: unknown): void;
  onFailed(index: number, message: string): void;
}

export interface PoolOptions {
  spawner: Spawner;
  /** The built worker entry (worker.mjs). */
  entry: string;
  workers: number;
  model: PoolModel;
  /** Stop handing out new cases when this says so (cancel). */
  signal?: AbortSignal;
}

const MAX_BATCH = 64;

export async function runCases(indices: number[], hooks: PoolHooks, options: PoolOptions): Promise<void> {
  const queue = [...indices];
  const workers = Math.max(1, Math.min(options.workers, queue.length));
  let initError: string | null = null;

  const nextBatch = (): number[] => {
    const size = Math.min(MAX_BATCH, Math.max(1, Math.ceil(queue.length / (workers * 4))));
    return queue.splice(0, size);
  };

  const slot = async (): Promise<void> => {
    while (queue.length > 0 && initError === null && !options.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const worker: WorkerHandle = options.spawner(options.entry);
        let batch: number[] = [];
        let running: number | null = null;
        let timer: NodeJS.Timeout | undefined;
        let stderr = '';
        let finished = false;
        let ready = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          // Cases this worker held but never started go back to the front of the queue.
          queue.unshift(...batch);
          batch = [];
          worker.kill();
          resolve();
        };
        const send = (message: ToWorker) => worker.send(message);
        const dispatch = () => {
          batch = options.signal?.aborted ? [] : nextBatch();
          if (batch.length === 0) return finish();
          send({ type: 'run', cases: batch.map((index) => ({ index, params: hooks.paramsOf(index) })) });
        };
        const settle = (index: number) => {
          clearTimeout(timer);
          running = null;
          batch = batch.filter((i) => i !== index);
          if (batch.length === 0) dispatch();
        };
        worker.onStderr((text) => (stderr = (stderr + text).slice(-4000)));
        worker.onMessage((raw) => {
          const message = raw as FromWorker;
          switch (message.type) {
            case 'ready':
              ready = true;
              return dispatch();
            case 'init-error':
              initError = message.message;
              return finish();
            case 'start':
              running = message.index;
              hooks.onStart(message.index);
              timer = setTimeout(() => {
                hooks.onFailed(message.index, `timed out after ${options.model.timeoutSeconds} s (model.timeout)`);
                batch = batch.filter((i) => i !== message.index);
                running = null;
                finish(); // the worker is stuck: kill it; the rest of its batch goes back below
              }, options.model.timeoutSeconds * 1000);
              return;
            case 'done':
              hooks.onDone(message.index, message.outputs);
              return settle(message.index);
            case 'failed':
              hooks.onFailed(message.index, message.message);
              return settle(message.index);
          }
        });
        worker.onExit((code, signal) => {
          if (finished) return;
          const tail = stderr.trim() ? `\n${stderr.trim().split('\n').slice(-10).join('\n')}` : '';
          if (!ready) {
            // Dying before it could load the model would happen again on every respawn.
            initError = `the model worker exited (${signal ?? `exit code ${code}`}) while loading ${options.model.modulePath}${tail}`;
          } else if (running !== null) {
            hooks.onFailed(
              running,
              `the worker process died (${signal ?? `exit code ${code}`}) while running this case${tail}`,
            );
            batch = batch.filter((i) => i !== running);
          }
          finish();
        });
        send({ type: 'init', modulePath: options.model.modulePath, exportName: options.model.exportName });
      });
    }
  };

  await Promise.all(Array.from({ length: workers }, slot));
  if (initError !== null) throw new FurrowError('bad-input', initError);
}
