// A run: the chosen cases of a study's parameter space (or samples) through the model, each recorded in the run
// database, the results merged into the study's dataset. Its stages, each a module of its own:
//   plan (plan.ts) → schedule (schedule.ts) → execute (run-cases.ts) → store rounds (store.ts) → finish (finish.ts)
// This module holds the study's lock and the database around them, and nothing else.
import { randomUUID } from 'node:crypto';
import type { DatasetInfo, RunSummary } from '../../../shared/api';
import { removeStaleTemporaries } from '../dataset/atomic-file';
import { recoverFile } from '../dataset/dataset-journal';
import { describeDataset } from '../dataset/netcdf-read';
import { RunDb } from '../db/run-db';
import { FurrowError } from '../errors';
import type { Study } from '../study/study';
import { lockStudy } from '../study/study-lock';
import { finishRun } from './finish';
import { planRun } from './plan';
import { runCases } from './run-cases';
import { RunLedger } from './run-ledger';
import type { RunOptions } from './run-options';
import { scheduleRun } from './schedule';
import type { Schedule } from './schedule';
import { storeRounds } from './store';
import { UndeclaredKeys } from './undeclared';
import { ArrayBudget, KEEP_ARRAYS_DEFAULT } from './array-budget';

export type { CaseSource, RunOptions } from './run-options';

export async function runStudy(study: Study, options: RunOptions): Promise<RunSummary> {
  const runId = options.runId ?? randomUUID();
  const emit = options.onEvent ?? (() => undefined);
  if (!options.samples && study.space.dims.length === 0) {
    throw new FurrowError('bad-input', `${study.file} only has sample distributions: run it with \`furrow sample\``);
  }
  const { db, unlock } = openForWriting(study, options.source?.label ?? 'furrow run');
  let schedule: Schedule | undefined;
  try {
    const describe = describedOnce(study.datasetPath);
    const plan = await planRun(study, db, options, describe);
    schedule = await scheduleRun(study, plan, db, { ...options, runId }, describe);
    const ledger = new RunLedger(study, plan, runId, emit, options);
    const abort = new AbortController();
    const rounds = storeRounds(study, options, schedule, db, ledger, abort);
    const undeclared = new UndeclaredKeys(Object.keys(study.spec.outputs));
    const arrays = new ArrayBudget(options.keepArrays ?? KEEP_ARRAYS_DEFAULT, plan.indices.length);
    const stages = { study, plan, options, schedule, db, ledger, rounds, undeclared, arrays, abort, emit };
    const runError = await runCases(stages);
    // Whatever finished is harvested, even when the run was cancelled or stopped early.
    await rounds.round();
    ledger.progress(true);
    return finishRun({ ...stages, runError });
  } finally {
    schedule?.started?.close();
    db.close();
    unlock();
  }
}

/** Take the study's lock and open its database, after undoing what a writer killed before left behind. */
function openForWriting(study: Study, label: string): { db: RunDb; unlock: () => void } {
  const unlock = lockStudy(study.dir, label);
  try {
    // First the room a killed writer left taken (its temporary file) and its half-made change: the database may
    // need that room.
    recoverFile(study.datasetPath, { force: true });
    removeStaleTemporaries(study.datasetPath);
    return { db: RunDb.open(study.dir), unlock };
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * The dataset's description, read at most once in a run: settling a killed run's rows, --missing-only and the
 * check that the run fits the dataset all ask for it before any case runs, and nothing else writes the dataset
 * while the run holds the lock. (Each harvest round reads the file afresh: by then the run has written it.)
 */
function describedOnce(file: string): () => Promise<DatasetInfo> {
  let described: Promise<DatasetInfo> | null = null;
  return () => (described ??= describeDataset(file));
}
