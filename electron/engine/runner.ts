// A run: every case of a study's parameter space through the model, then the results into the dataset.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { EngineEvent, RunSummary } from '../../shared/api';
import type { Scalar } from '../../shared/space';
import { isScalar } from '../../shared/space';
import type { Study } from './study';
import type { Spawner } from './spawner';
import { ResultGrid, OutputError } from './results';
import { runCases } from './worker-pool';
import { writeDataset } from './netcdf';
import { FurrowError } from './errors';

export interface RunOptions {
  /** Chosen by the caller, so it can name the run before the first event. */
  runId?: string;
  spawner: Spawner;
  /** The built model worker entry (.vite/build/worker.mjs). */
  workerEntry: string;
  workers?: number;
  onEvent?: (event: EngineEvent) => void;
  /** Cancels the run: every worker is killed at once and the dataset is left as it was. */
  signal?: AbortSignal;
  /** How often progress is announced at most, in ms. */
  progressEvery?: number;
}

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

export async function runStudy(study: Study, options: RunOptions): Promise<RunSummary> {
  const runId = options.runId ?? randomUUID();
  const emit = options.onEvent ?? (() => undefined);
  const { space } = study;
  const grid = new ResultGrid(
    space,
    Object.entries(study.spec.outputs).map(([name, o]) => ({ name, dims: o.dims })),
    study.coords,
  );
  const total = space.count;
  const counts = { done: 0, failed: 0, running: 0 };
  let lastProgress = 0;
  const progress = (force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < (options.progressEvery ?? 100)) return;
    lastProgress = now;
    emit({ type: 'run.progress', runId, total, ...counts });
  };
  const paramsOf = (index: number): Record<string, Scalar> => space.paramsAt(index);
  const fail = (index: number, message: string) => {
    counts.failed++;
    emit({ type: 'case.failed', runId, params: paramsOf(index), error: message });
    progress();
  };

  emit({ type: 'run.started', runId, total });
  await runCases(
    Array.from({ length: total }, (_, i) => i),
    {
      paramsOf: (index) => ({ ...study.constants, ...study.spec.resources, ...paramsOf(index) }),
      onStart: () => {
        counts.running++;
      },
      onDone: (index, outputs) => {
        counts.running--;
        try {
          grid.add(index, outputs);
          counts.done++;
          progress();
        } catch (error) {
          if (!(error instanceof OutputError)) throw error;
          fail(index, error.message);
        }
      },
      onFailed: (index, message) => {
        counts.running = Math.max(0, counts.running - 1);
        fail(index, message);
      },
    },
    {
      spawner: options.spawner,
      entry: options.workerEntry,
      workers: options.workers ?? defaultWorkers(),
      model: {
        modulePath: study.modelPath,
        exportName: study.spec.model.export,
        timeoutSeconds: study.spec.model.timeout,
        loadTimeoutSeconds: study.spec.model.load_timeout,
      },
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  counts.running = 0;
  progress(true);
  if (options.signal?.aborted) {
    throw new FurrowError(
      'cancelled',
      `run cancelled: ${counts.done + counts.failed} of ${total} cases had finished; the dataset was left as it was`,
    );
  }

  const dimNames = new Set([...space.dims.map((d) => d.name), ...Object.keys(study.coords)]);
  const attrs: Record<string, Scalar | Scalar[]> = { ...(study.spec.attrs as Record<string, Scalar | Scalar[]>) };
  for (const [name, value] of Object.entries(study.constants)) {
    if (dimNames.has(name)) continue; // a constant that names a dim is stored as its coords
    if (isScalar(value)) attrs[name] = value;
    else if (Array.isArray(value) && value.every(isScalar)) attrs[name] = value;
  }
  await writeDataset(study.datasetPath, grid.toDataset(attrs), {
    growableDims: space.dims.map((d) => d.name),
    backupDir: path.join(study.dir, 'backups'),
  });
  const summary: RunSummary = {
    run_id: runId,
    cases: total,
    done: counts.done,
    failed: counts.failed,
    skipped: total - counts.done - counts.failed,
    dataset: study.datasetPath,
  };
  emit({ type: 'run.finished', runId, summary });
  return summary;
}
