// Cases through the study's model: module models on a pool of worker processes, command models as one process
// per case in the case's folder. A run (runner.ts) and a crop's grower (crop.ts) both execute cases here, so a
// case behaves the same however it is grown.
import path from 'node:path';
import type { CaseFeed, CaseList } from './case-list';
import type { Spawner } from './spawner';
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import type { Study } from '../study/study';
import { modelParams, SEED_PARAM } from '../study/study';
import type { PsetRecipe } from './pset-hash';
import { handedWith } from './pset-hash';
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
  /**
   * A case's own parameters (a run's). Given, a module model's workers are sent these rather than what paramsOf
   * gives, and make from them what the model is handed and the case's row parts (onDone's and onFailed's `made`).
   */
  ownParamsOf?(index: number): Record<string, Scalar>;
  /** A case's pset_id: its folder is cases/<pset_id> (command models). */
  psetIdOf(index: number): string;
  /** The run the case belongs to, offered to command models as FURROW_RUN_ID. */
  runId: string;
}

/** What the study's cases are handed besides their own parameters, and what their rows hold besides them. */
export function psetRecipeOf(study: Study): PsetRecipe {
  const columns = Object.fromEntries(Object.entries(study.constants).filter(([, v]) => isScalar(v)));
  return {
    constants: study.constants,
    columns: columns as Record<string, Scalar>,
    fixed: { ...study.constants, ...study.spec.resources },
    seed: study.spec.repeats === undefined ? null : SEED_PARAM,
  };
}

/**
 * What a case's model receives, as a function of its parameters (and its pset hash, when it is known already), before
 * any nesting (modelParams): the study's constants and resources, the parameters, and with `repeats:` the case's
 * seed. A run, a crop's grower and a try all ask here (a run's workers by the same recipe).
 */
export function modelParamsOf(
  study: Study,
): (params: Record<string, Scalar>, psetHash?: string) => Record<string, unknown> {
  return handedWith(psetRecipeOf(study));
}

/** A study's module model as the worker pool runs it; a study whose model is nested hands its workers no recipe. */
function poolModel(study: Study): PoolModel | null {
  if (study.model.kind !== 'module') return null;
  const { timeout, load_timeout } = study.spec.model;
  return {
    modulePath: study.model.path,
    exportName: study.model.exportName,
    studyDir: study.dir,
    timeoutSeconds: timeout,
    loadTimeoutSeconds: load_timeout,
    ...(study.modelKeys ? {} : { recipe: psetRecipeOf(study) }),
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
    const pool = poolModel(study)!;
    // The workers make what the model is handed when they can (flat parameters); else it is made here.
    const own = hooks.ownParamsOf && pool.recipe ? hooks.ownParamsOf : null;
    await runCases(
      indices,
      { ...hooks, paramsOf: own ?? ((index) => modelParams(study, hooks.paramsOf(index))) },
      {
        spawner: options.spawner,
        entry: options.workerEntry,
        workers: options.workers,
        model: pool,
        own: own !== null,
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
