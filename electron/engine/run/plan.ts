// A run's first stage, its plan: which of its items (the study's space, or samples) it runs, each one's pset hash,
// and what was done or failed before. It reads the run database and the dataset; it changes only the rows a killed
// run left `storing`, which must be settled before anything counts as done.
import type { SimulateSummary } from '../../../shared/api';
import type { DatasetInfo } from '../../../shared/api';
import type { Scalar } from '../../../shared/space';
import { RunDb } from '../db/run-db';
import type { Study } from '../study/study';
import { psetHasher } from './pset-hash';
import type { RunOptions } from './run-options';
import { heldCases, storedRunItems } from './stored-cells';

/** What a run goes through: the study's parameter space, or a list of samples. */
export interface RunItems {
  count: number;
  paramsAt(index: number): Record<string, Scalar>;
}

export const itemsOf = (study: Study, samples: RunOptions['samples']): RunItems =>
  samples ? { count: samples.length, paramsAt: (i) => samples[i]! } : study.space;

export interface Selection {
  /** Every item's pset hash, chosen or not. */
  hashes: string[];
  /** The items this run runs. */
  indices: number[];
  doneBefore: number;
  failedBefore: number;
}

export interface Plan extends Selection {
  items: RunItems;
}

type Choice = Pick<RunOptions, 'missingOnly' | 'retryFailed'>;

/** Which cases a run runs. The database is scanned only for what is asked: `counts` (simulate) asks for all. */
export function select(
  study: Study,
  items: RunItems,
  db: RunDb | null,
  options: Choice,
  /** Run items whose cells the dataset holds already (for --missing-only and simulate). */
  stored: Set<number>,
  counts = false,
): Selection {
  const total = items.count;
  // Every constant counts, not only the scalar ones stored as columns: change a constant array and the cases are new.
  const hashOf = psetHasher(study.constants);
  const hashes = Array.from({ length: total }, (_, i) => hashOf(items.paramsAt(i)));
  const none = new Set<string>();
  const done = db && (options.missingOnly || counts) ? db.doneHashes() : none;
  const failed = db && (options.retryFailed || counts) ? db.hashesWithStatus('failed') : none;
  // Done: recorded done in the database, or held by the dataset (which may have come from elsewhere).
  const isDone = (h: string, i: number) => done.has(h) || stored.has(i);
  const indices: number[] = [];
  hashes.forEach((h, i) => {
    if (options.missingOnly && isDone(h, i)) return;
    if (options.retryFailed && !failed.has(h)) return;
    indices.push(i);
  });
  return {
    hashes,
    indices,
    doneBefore: hashes.filter(isDone).length,
    failedBefore: hashes.filter((h, i) => failed.has(h) && !isDone(h, i)).length,
  };
}

/**
 * The plan of a run that holds the study's lock. `describe` gives the dataset's description, read at most once for
 * the whole run (nothing else writes the dataset while the lock is held).
 */
export async function planRun(
  study: Study,
  db: RunDb,
  options: Pick<RunOptions, 'missingOnly' | 'retryFailed' | 'samples' | 'source'>,
  describe: () => Promise<DatasetInfo>,
): Promise<Plan> {
  const items = itemsOf(study, options.samples);
  // A run killed between a round's dataset write and its record left `storing` rows: settled by the dataset.
  await db.settleInterrupted((params) => heldCases(study.datasetPath, params, describe));
  const stored = options.missingOnly && !options.samples ? await storedRunItems(study, describe) : new Set<number>();
  const chosen = options.source
    ? { ...select(study, items, null, {}, stored), indices: options.source.indices }
    : select(study, items, db, options, stored);
  return { ...chosen, items };
}

/** The cases a run with these options would run, and every case's pset hash (a crop sows these). */
export async function casesToRun(study: Study, options: Choice): Promise<{ indices: number[]; hashes: string[] }> {
  const stored = options.missingOnly ? await storedRunItems(study) : new Set<number>();
  const db = RunDb.openReadOnly(study.dir);
  try {
    const { indices, hashes } = select(study, study.space, db, options, stored);
    return { indices, hashes };
  } finally {
    db?.close();
  }
}

/** `--simulate`: what a run would do, touching nothing (not even creating the database). */
export async function simulateRun(study: Study, options: Choice): Promise<SimulateSummary> {
  const stored = await storedRunItems(study);
  const db = RunDb.openReadOnly(study.dir);
  try {
    const s = select(study, study.space, db, options, stored, true);
    return {
      simulate: true,
      cases: study.space.count,
      would_run: s.indices.length,
      new: study.space.count - s.doneBefore - s.failedBefore,
      done_before: s.doneBefore,
      failed_before: s.failedBefore,
      dataset: study.datasetPath,
    };
  } finally {
    db?.close();
  }
}
