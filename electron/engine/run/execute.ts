// Cases through the study's model: module models on a pool of worker processes, command models as one process
// per case in the case's folder. A run (runner.ts) and a crop's grower (crop.ts) both execute cases here, so a
// case behaves the same however it is grown.
import path from 'node:path';
import type { CaseFeed, CaseList } from './case-list';
import type { Spawner } from './spawner';
import type { Study } from '../study/study';
import { modelParams } from '../study/study';
import { runCommands } from './command-model';
import type { PoolHooks, PoolModel } from './worker-pool';
import { runCases, StartedWorkers } from './worker-pool';

export interface ExecuteOptions {
  spawner: Spawner;
  /** The built model worker entry (.vite/build/worker.mjs). */
  workerEntry: string;
  /** The built HDF5 writer for command models (.vite/build/h5.mjs), passed to them as FURROW_H5. */
  h5Kit?: string;
  workers: number;
  signal?: AbortSignal;
  /** Workers started ahead (startWorkers). */
  started?: StartedWorkers;
}

export interface ExecuteHooks extends PoolHooks {
  /** A case's pset_id: its folder is cases/<pset_id> (command models). */
  psetIdOf(index: number): string;
  /** The run the case belongs to, offered to command models as FURROW_RUN_ID. */
  runId: string;
}

function poolModel(study: Study): PoolModel | null {
  if (study.model.kind !== 'module') return null;
  const { timeout, load_timeout } = study.spec.model;
  return {
    modulePath: study.model.path,
    exportName: study.model.exportName,
    studyDir: study.dir,
    timeoutSeconds: timeout,
    loadTimeoutSeconds: load_timeout,
  };
}

/** Start the model workers for `cases` cases now, so their start-up overlaps the caller's; none for commands. */
export function startWorkers(
  study: Study,
  cases: number,
  options: Pick<ExecuteOptions, 'spawner' | 'workerEntry' | 'workers'>,
): StartedWorkers | undefined {
  const model = poolModel(study);
  if (!model || cases === 0) return undefined;
  return new StartedWorkers(options.spawner, options.workerEntry, model, Math.min(options.workers, cases));
}

/** The folder a command model's case runs in, relative to the study. Module models need none. */
export function caseDirOf(study: Study, psetId: string): string | null {
  return study.model.kind === 'command' ? path.join('cases', psetId) : null;
}

/** Run these cases; every outcome goes to the hooks. Resolves when all have finished or the signal aborted. */
export async function executeCases(
  study: Study,
  indices: CaseList | CaseFeed,
  hooks: ExecuteHooks,
  options: ExecuteOptions,
): Promise<void> {
  const { model } = study;
  if (model.kind === 'module') {
    await runCases(
      indices,
      { ...hooks, paramsOf: (index) => modelParams(study, hooks.paramsOf(index)) },
      {
        spawner: options.spawner,
        entry: options.workerEntry,
        workers: options.workers,
        model: poolModel(study)!,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.started ? { started: options.started } : {}),
      },
    );
    return;
  }
  const fileOutputs = Object.fromEntries(
    Object.entries(study.spec.outputs).flatMap(([name, o]) =>
      o.file && o.path ? [[name, { file: o.file, path: o.path }]] : [],
    ),
  );
  await runCommands(
    indices,
    {
      ...hooks,
      caseOf: (index) => {
        const psetId = hooks.psetIdOf(index);
        return {
          psetId,
          dir: path.join(study.dir, caseDirOf(study, psetId)!),
          studyDir: study.dir,
          runId: hooks.runId,
        };
      },
    },
    {
      argv: model.argv,
      workers: options.workers,
      timeoutSeconds: study.spec.model.timeout,
      fileOutputs,
      modelParams: (params) => modelParams(study, params),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.h5Kit ? { h5Kit: options.h5Kit } : {}),
    },
  );
}
