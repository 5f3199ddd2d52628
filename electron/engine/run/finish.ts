// A run's last stage: the cases that never finished recorded cancelled, the run closed in the database with its
// counts, and its outcome said: an error that names what became of the cases, or the summary.
import type { RunSummary } from '../../../shared/api';
import { conflictFileOf } from '../dataset/conflict-file';
import type { ConflictError } from '../dataset/harvest';
import { FurrowError } from '../errors';
import type { Study } from '../study/study';
import { resolveCommand } from './resolve';
import type { Execution } from './run-cases';

/** What the run went through (run-cases.ts), and what stopped its cases early (null: nothing did). */
export interface Ending extends Execution {
  runError: unknown;
}

export function finishRun({
  study,
  plan,
  options,
  schedule,
  db,
  ledger,
  rounds,
  undeclared,
  arrays,
  abort,
  emit,
  runError,
}: Ending): RunSummary {
  const { run } = schedule;
  const { counts } = ledger;
  let cancelled = 0;
  const status =
    rounds.error || runError
      ? 'failed'
      : abort.signal.aborted
        ? 'cancelled'
        : rounds.conflict
          ? 'conflict'
          : counts.failed > 0
            ? 'failed'
            : 'done';
  let closeError: unknown = null;
  for (const close of [
    () => {
      for (const some of ledger.unfinished()) {
        db.recordCases(
          run,
          some.map((i) => ledger.rowOf(i, { status: 'cancelled' })),
        );
        cancelled += some.length;
      }
    },
    () =>
      db.finishRun(
        run.runId,
        status,
        { done: rounds.stored, failed: counts.done + counts.failed - rounds.stored - rounds.conflicted, cancelled },
        [...undeclared.stored],
      ),
  ]) {
    try {
      close();
    } catch (error) {
      closeError ??= error;
    }
  }
  if (rounds.error) throw notStoredError(rounds.error, counts.done - rounds.stored, rounds.unrecorded);
  if (runError) throw runError;
  if (closeError) throw closeError;
  if (rounds.conflict) throw conflictError(rounds.conflict, rounds.conflicted, study, run.runSeq);
  const { samples } = options;
  if (options.signal?.aborted) {
    throw new FurrowError(
      'cancelled',
      `run cancelled: ${counts.done + counts.failed} of ${plan.indices.length} cases had finished; the ${rounds.stored} done are in ${samples ? '' : 'the dataset and '}the run database`,
    );
  }
  const total = plan.items.count;
  const summary: RunSummary = {
    run_id: run.runId,
    cases: total,
    done: counts.done,
    failed: counts.failed,
    skipped: total - counts.done - counts.failed,
    dataset: samples ? null : study.datasetPath,
    harvest: rounds.way,
    harvest_seconds: rounds.seconds,
  };
  if (undeclared.stored.size) summary.undeclared = [...undeclared.stored];
  const warnings = [undeclared.warning(), arrays.warning()].filter((w) => w !== null);
  if (warnings.length > 0) summary.warnings = warnings;
  emit({ type: 'run.finished', runId: run.runId, summary });
  return summary;
}

/** A run the dataset refused: what it kept, where, and the command that applies it. */
function conflictError(conflict: ConflictError, kept: number, study: Study, runSeq: number): FurrowError {
  const cases = `The ${kept} case${kept === 1 ? '' : 's'} this run computed ${kept === 1 ? 'is' : 'are'} kept`;
  return new FurrowError(
    'bad-input',
    `${study.datasetPath}: ${conflict.detail}. ${cases}: scalars in the run database (status conflict), outputs in ${conflictFileOf(study.datasetPath, runSeq)}; ${resolveCommand(study.dir, runSeq)}`,
  );
}

/** A round that could not be stored for the disk's sake: the message says what became of the run's cases too. */
function notStoredError(error: Error, notStored: number, unrecorded: number): Error {
  if (!(error instanceof FurrowError) || error.code !== 'io' || notStored === 0) return error;
  const cases = `${notStored} done case${notStored === 1 ? ' was' : 's were'} not stored`;
  const recorded = unrecorded === 0 ? ' (recorded failed)' : ', and the run database had no room to record it';
  return new FurrowError(
    'io',
    `${error.message}. ${cases}${recorded}: once there is room, run again with --missing-only`,
  );
}
