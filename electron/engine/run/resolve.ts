// `furrow dataset resolve`: what a run computed but its dataset refused (a new value disagreed with a stored one
// under `--overwrite error`, harvest-rounds.ts) is applied without running it again. The run's side file
// (data/<name>.<run_seq>.conflict.nc) is merged into the dataset with the chosen policy, the run's `conflict` rows
// are recorded done, and the side file goes into backups/<timestamp>/. Each step can be done again: the merge runs
// under the dataset's rollback journal (a kill puts the file back) and gives the same file when repeated, the rows
// change in one transaction, and a run with no `conflict` rows left only has its side file put away. So a resolve
// killed anywhere is finished by running it again, and a second resolve changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { LabelledDataset } from '../../../shared/labelled';
import { conflictFileOf } from '../dataset/conflict-file';
import type { HarvestWay } from '../dataset/harvest-file';
import { harvestInto } from '../dataset/harvest-file';
import { readDataset } from '../dataset/netcdf-read';
import { RunDb } from '../db/run-db';
import { RUN_DB } from '../db/schema';
import { FurrowError } from '../errors';
import type { Study } from '../study/study';
import { lockStudy } from '../study/study-lock';

/** What a run refused by its dataset says to do: the command that applies what it kept, either way. */
export function resolveCommand(dir: string, runSeq: number): string {
  return `apply them without running again with \`furrow dataset resolve ${dir} --run ${runSeq} --overwrite new\` (the new values win) or \`--overwrite old\` (the stored ones stay)`;
}

export interface ResolveResult {
  dataset: string;
  run: number;
  overwrite: 'new' | 'old';
  /** The run's cases recorded done now (0: the run had nothing left to resolve). */
  resolved: number;
  /** How the dataset was written (null: it was not). */
  harvest: HarvestWay | null;
  /** Where the side file went (null: there was none). */
  archived: string | null;
}

export async function resolveRun(study: Study, runSeq: number, overwrite: 'new' | 'old'): Promise<ResolveResult> {
  const unlock = lockStudy(study.dir, 'furrow dataset resolve');
  try {
    if (!fs.existsSync(path.join(study.dir, RUN_DB))) {
      throw new FurrowError('bad-input', `${study.dir} has no run database yet: the study has not been run`);
    }
    const db = RunDb.open(study.dir);
    try {
      return await resolveWith(study, db, runSeq, overwrite);
    } finally {
      db.close();
    }
  } finally {
    unlock();
  }
}

async function resolveWith(study: Study, db: RunDb, runSeq: number, overwrite: 'new' | 'old'): Promise<ResolveResult> {
  const run = db.conflictRun(runSeq);
  if (!run) {
    throw new FurrowError(
      'bad-input',
      `${db.file} has no run ${runSeq}: give the run_seq that \`furrow run\` named (\`furrow db ${study.dir}\` shows each case's _run_seq)`,
    );
  }
  const side = conflictFileOf(study.datasetPath, runSeq);
  const backupDir = path.join(study.dir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
  const result = { dataset: study.datasetPath, run: runSeq, overwrite, resolved: 0, harvest: null, archived: null };
  if (run.conflicts === 0) {
    // Resolved before (or never refused): a side file still there is what a resolve killed at its end left.
    return { ...result, archived: fs.existsSync(side) ? archive(side, backupDir) : null };
  }
  const kept = `Nothing was changed: the scalars of its ${run.conflicts} case${run.conflicts === 1 ? '' : 's'} stay in the run database (status conflict)`;
  if (!fs.existsSync(side)) {
    throw new FurrowError(
      'bad-input',
      `${side} is missing: run ${runSeq}'s outputs were kept there. ${kept}. Put the file back, or run the cases again with \`furrow run ${study.dir} --overwrite new\``,
    );
  }
  let refused: LabelledDataset;
  try {
    refused = await readDataset(side);
  } catch (error) {
    throw new FurrowError(
      'bad-input',
      `${side} cannot be read (${(error as Error).message.replace(/\.$/, '')}); a file cut short or damaged. ${kept}. Put a whole copy back, or run the cases again with \`furrow run ${study.dir} --overwrite new\``,
    );
  }
  const inner = new Set(Object.values(study.spec.outputs).flatMap((o) => o.dims));
  const way = await harvestInto(study.datasetPath, refused, overwrite, {
    growableDims: refused.dims.map((d) => d.name).filter((d) => !inner.has(d)),
    backupDir,
  });
  const resolved = db.resolveConflicts(
    runSeq,
    overwrite === 'old' ? 'resolved with --overwrite old: where the dataset held other values, it kept them' : null,
  );
  return { ...result, resolved, harvest: way, archived: archive(side, backupDir) };
}

/** The side file, once applied, moved into the backups (a rename: it is never half there). */
function archive(side: string, backupDir: string): string {
  fs.mkdirSync(backupDir, { recursive: true });
  const to = path.join(backupDir, path.basename(side));
  fs.renameSync(side, to);
  return to;
}
