// A run's second stage, its schedule: the model workers started (their start-up overlaps what follows), the stored
// dataset checked against the run's dims, the database and the model's own files backed up, and the run recorded
// as started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatasetInfo } from '../../../shared/api';
import type { RunDb } from '../db/run-db';
import { FurrowError } from '../errors';
import type { Study } from '../study/study';
import { startWorkers } from './execute';
import { keepModelFiles } from './model-files';
import type { Plan } from './plan';
import type { RunOptions } from './run-options';
import type { StartedWorkers } from './worker-pool';

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

export interface Schedule {
  workers: number;
  /** The model workers, started ahead; none for command models or a crop's reap. */
  started: StartedWorkers | undefined;
  /** The stored dataset as it was before the run (null: none yet, or the run stores nothing in it). */
  described: DatasetInfo | null;
  /** Where this run keeps its backups: backups/<timestamp>/. */
  backupDir: string;
  run: { runId: string; runSeq: number };
}

export async function scheduleRun(
  study: Study,
  plan: Plan,
  db: RunDb,
  options: RunOptions & { runId: string },
  describe: () => Promise<DatasetInfo>,
): Promise<Schedule> {
  const cases = plan.indices.length;
  const workers = options.workers ?? defaultWorkers();
  // Model workers start now, so that their start-up overlaps the checks and backups below.
  const started = options.source ? undefined : startWorkers(study, cases, { ...options, workers });
  try {
    // The harvest plans its first round with this description (nothing else writes the dataset: the lock).
    const described = cases > 0 && !options.samples ? await checkFits(study, describe) : null;
    const backupDir = path.join(study.dir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
    // The database is copied before the run changes it; the dataset only when a harvest must rewrite it (an
    // in-place harvest is protected by its journal).
    if (cases > 0 && db.hasRuns()) {
      fs.mkdirSync(backupDir, { recursive: true });
      db.copyTo(path.join(backupDir, path.basename(db.file)));
    }
    // The model's own files, as psweep's backup_script keeps them (a crop's reap ran what its sow copied).
    const model = cases > 0 && !options.source ? keepModelFiles(study, db.lastModelBackupHash(), backupDir) : null;
    const { runId } = options;
    const runSeq = db.startRun({
      runId,
      studyYaml: study.text,
      cases,
      skipped: plan.items.count - cases,
      model,
      ...(options.design ? { design: options.design } : {}),
    });
    return { workers, started, described, backupDir, run: { runId, runSeq } };
  } catch (error) {
    started?.close();
    throw error;
  }
}

/** The newest copy of the study's dataset in backups/, if any. */
function newestBackup(study: Study): string | null {
  const root = path.join(study.dir, 'backups');
  const name = path.basename(study.datasetPath);
  const dirs = fs.existsSync(root) ? fs.readdirSync(root).sort().reverse() : [];
  const found = dirs.map((d) => path.join(root, d, name)).find((f) => fs.existsSync(f));
  return found ?? null;
}

/** Refuse, before any case runs, a run whose dims the stored dataset does not have (or the other way round). */
async function checkFits(study: Study, describe: () => Promise<DatasetInfo>): Promise<DatasetInfo | null> {
  if (!fs.existsSync(study.datasetPath)) return null;
  let info: DatasetInfo;
  try {
    info = await describe();
  } catch (error) {
    if (!(error instanceof FurrowError) || error.code !== 'bad-input') throw error;
    const backup = newestBackup(study);
    throw new FurrowError(
      'bad-input',
      `${error.message}. ${backup ? `The newest backup of it is ${backup}: copy it over the dataset to go on from there, or move the dataset aside to start a new one` : 'There is no backup of it: move it aside to start a new dataset'}`,
    );
  }
  const stored = info.dims.map((d) => d.name);
  const inner = Object.values(study.spec.outputs).flatMap((o) => o.dims);
  const wanted = [...new Set([...study.space.dims.map((d) => d.name), ...inner])];
  if (stored.length !== wanted.length || wanted.some((d) => !stored.includes(d))) {
    throw new FurrowError(
      'bad-input',
      `${study.datasetPath} has dims (${stored.join(', ')}) but this run would have (${wanted.join(', ')}); a run adds to a dataset with the same dims. Move the old dataset aside, or make the new parameter a dim of it first`,
    );
  }
  return info;
}
