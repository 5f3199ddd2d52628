// A run's store stage: the rounds (harvest-rounds.ts) that take its done cases into the study's dataset and the run
// database while it goes on and once more at its end, wired to this run's study, database and ledger.
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import type { RunDb } from '../db/run-db';
import type { Overwrite } from '../dataset/harvest';
import type { HarvestWay } from '../dataset/harvest-file';
import { harvestInto } from '../dataset/harvest-file';
import { conflictFileOf } from '../dataset/conflict-file';
import { resolveCommand } from './resolve';
import type { Study } from '../study/study';
import { HarvestRounds } from './harvest-rounds';
import { ResultGrid } from './results';
import type { RunLedger } from './run-ledger';
import type { RunOptions } from './run-options';
import type { Schedule } from './schedule';

export function storeRounds(
  study: Study,
  options: Pick<RunOptions, 'samples' | 'overwrite' | 'harvestEvery'>,
  schedule: Schedule,
  db: RunDb,
  ledger: RunLedger,
  abort: AbortController,
): HarvestRounds {
  const { samples } = options;
  const { run } = schedule;
  return new HarvestRounds({
    // Samples are checked like any outputs, but only their scalars are kept (in the database).
    newGrid: () =>
      new ResultGrid(
        study.space,
        Object.entries(study.spec.outputs).map(([name, o]) => ({ name, dims: o.dims })),
        study.coords,
        { keep: !samples },
      ),
    harvest: samples
      ? null
      : (grid, first) =>
          harvest(study, grid, options.overwrite ?? 'error', {
            backupDir: schedule.backupDir,
            described: first ? schedule.described : null,
          }),
    flush: () => ledger.flushTo(db, run),
    settle: (outcome, upTo) => db.settleRound(run.runId, outcome, upTo),
    keepConflict: (grid) => keepConflict(study, grid, run.runSeq, schedule.backupDir),
    conflictReason: (conflict) =>
      `not stored in the dataset: ${conflict.detail}. Kept in ${conflictFileOf(study.datasetPath, run.runSeq)}: ${resolveCommand(study.dir, run.runSeq)}`,
    onStored: (stored) => ledger.stored(stored),
    onFailed: () => abort.abort(),
    ...(options.harvestEvery !== undefined ? { every: options.harvestEvery } : {}),
  });
}

/** A round the dataset refused, merged into the run's side file (made by the first such round). */
async function keepConflict(study: Study, grid: ResultGrid, runSeq: number, backupDir: string): Promise<void> {
  const fresh = grid.boxDataset(datasetAttrs(study));
  if (!fresh) return;
  await harvestInto(conflictFileOf(study.datasetPath, runSeq), fresh, 'error', {
    growableDims: study.space.dims.map((d) => d.name),
    backupDir,
  });
}

/** The attributes a study's dataset carries: its `attrs`, and its constants that are no dim. */
function datasetAttrs(study: Study): Record<string, Scalar | Scalar[]> {
  const { space } = study;
  const dimNames = new Set([...space.dims.map((d) => d.name), ...Object.keys(study.coords)]);
  const attrs: Record<string, Scalar | Scalar[]> = { ...(study.spec.attrs as Record<string, Scalar | Scalar[]>) };
  for (const [name, value] of Object.entries(study.constants)) {
    if (dimNames.has(name)) continue; // a constant that names a dim is stored as its coords
    if (isScalar(value)) attrs[name] = value;
    else if (Array.isArray(value) && value.every(isScalar)) attrs[name] = value;
  }
  return attrs;
}

/** Merge this run's results into the study's dataset: in place where it can, rewritten where it must. */
async function harvest(
  study: Study,
  grid: ResultGrid,
  overwrite: Overwrite,
  /** `described`: the dataset as read before the run, for its first round (later ones read it again). */
  options: { backupDir: string; described: Schedule['described'] },
): Promise<HarvestWay> {
  const { space } = study;
  const attrs = datasetAttrs(study);
  // The round's box of the grid, not the grid: what a round holds grows with the round, not with the study.
  const fresh = grid.boxDataset(attrs);
  if (!fresh) return 'in place'; // nothing delivered with values (every output missing): nothing to write
  return harvestInto(study.datasetPath, fresh, overwrite, {
    growableDims: space.dims.map((d) => d.name),
    backupDir: options.backupDir,
    ...(options.described ? { described: options.described } : {}),
    whole: grid.skeleton(attrs),
  });
}
