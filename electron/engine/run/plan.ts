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
import type { CaseList, ItemSet } from './case-list';
import { CaseCollector, NO_ITEMS, allCases, caseListOf } from './case-list';
import { heldCases, storedRunItems } from './stored-cells';

/** What a run goes through: the study's parameter space, or a list of samples. */
export interface RunItems {
  count: number;
  paramsAt(index: number): Record<string, Scalar>;
}

export const itemsOf = (study: Study, samples: RunOptions['samples']): RunItems =>
  samples ? { count: samples.length, paramsAt: (i) => samples[i]! } : study.space;

export interface Selection {
  /** An item's pset hash, computed when asked: a run of 10^7 cases keeps none of them. */
  hashOf(index: number): string;
  /** The pset hash of an item's parameters (paramsAt's), for one who has read them already. */
  hashParams(params: Record<string, Scalar>): string;
  /** The items this run runs. */
  indices: CaseList;
  doneBefore: number;
  failedBefore: number;
}

export interface Plan extends Selection {
  items: RunItems;
}

type Choice = Pick<RunOptions, 'missingOnly' | 'retryFailed'>;

/**
 * Which cases a run runs. The database is scanned only for what is asked: `counts` (simulate) asks for all. Items
 * are hashed one at a time as they are looked at; only the chosen ones' indices are kept.
 */
export function select(
  study: Study,
  items: RunItems,
  db: RunDb | null,
  options: Choice,
  /** Run items whose cells the dataset holds already (for --missing-only and simulate). */
  stored: ItemSet,
  counts = false,
): Selection {
  const total = items.count;
  // Every constant counts, not only the scalar ones stored as columns: change a constant array and the cases are new.
  const hasher = psetHasher(study.constants);
  const hashOf = (index: number) => hasher(items.paramsAt(index));
  if (!options.missingOnly && !options.retryFailed && !counts) {
    return { hashOf, hashParams: hasher, indices: allCases(total), doneBefore: 0, failedBefore: 0 };
  }
  const none = new Set<string>();
  const done = db && (options.missingOnly || counts) ? db.doneHashes() : none;
  const failed = db && (options.retryFailed || counts) ? db.hashesWithStatus('failed') : none;
  // Without a filter every item runs: a range, not a list of 10^7 indices.
  const filtered = options.missingOnly || options.retryFailed;
  const chosen = new CaseCollector();
  let doneBefore = 0;
  let failedBefore = 0;
  for (let i = 0; i < total; i++) {
    const h = hashOf(i);
    // Done: recorded done in the database, or held by the dataset (which may have come from elsewhere).
    const isDone = done.has(h) || stored.has(i);
    const isFailed = failed.has(h);
    if (isDone) doneBefore++;
    else if (isFailed) failedBefore++;
    if (options.missingOnly && isDone) continue;
    if (options.retryFailed && !isFailed) continue;
    if (filtered) chosen.push(i);
  }
  return { hashOf, hashParams: hasher, indices: filtered ? chosen.list() : allCases(total), doneBefore, failedBefore };
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
  const stored = options.missingOnly && !options.samples ? await storedRunItems(study, describe) : NO_ITEMS;
  const chosen = options.source
    ? { ...select(study, items, null, {}, stored), indices: caseListOf(options.source.indices) }
    : select(study, items, db, options, stored);
  return { ...chosen, items };
}

/** The cases a run with these options would run, and their pset hashes (a crop sows these). */
export async function casesToRun(
  study: Study,
  options: Choice,
): Promise<{ indices: number[]; hashOf(index: number): string }> {
  const stored = options.missingOnly ? await storedRunItems(study) : NO_ITEMS;
  const db = RunDb.openReadOnly(study.dir);
  try {
    const { indices, hashOf } = select(study, study.space, db, options, stored);
    return { indices: Array.from({ length: indices.length }, (_, k) => indices.at(k)), hashOf };
  } finally {
    db?.close();
  }
}

/** What a run would do, touching nothing (not even creating the database): the app's count of a run to come. */
export async function simulateRun(study: Study, options: Choice): Promise<SimulateSummary> {
  const stored = await storedRunItems(study);
  const db = RunDb.openReadOnly(study.dir);
  try {
    return summaryOf(study, select(study, study.space, db, options, stored, true));
  } finally {
    db?.close();
  }
}

/** What a run with this selection (made with `counts`) would do. */
export function summaryOf(study: Study, s: Selection): SimulateSummary {
  return {
    simulate: true,
    cases: study.space.count,
    would_run: s.indices.length,
    new: study.space.count - s.doneBefore - s.failedBefore,
    done_before: s.doneBefore,
    failed_before: s.failedBefore,
    dataset: study.datasetPath,
  };
}
