// A run: the chosen cases of a study's parameter space through the model, each recorded in the run database,
// then the results merged into the study's dataset.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatasetInfo, EngineEvent, RunSummary, SimulateSummary } from '../../../shared/api';
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import { removeStaleTemporaries } from '../dataset/atomic-file';
import { recoverFile } from '../dataset/dataset-journal';
import { FurrowError } from '../errors';
import type { Overwrite } from '../dataset/harvest';
import type { HarvestWay } from '../dataset/harvest-file';
import { harvestInto } from '../dataset/harvest-file';
import { HarvestRounds } from './harvest-rounds';
import { loadH5 } from '../dataset/h5';
import { describeDataset } from '../dataset/netcdf-read';
import { psetHasher } from './pset-hash';
import { heldCases, storedRunItems } from './stored-cells';
import { OutputError, ResultGrid } from './results';
import type { CaseRecord } from '../db/run-db';
import { RunDb } from '../db/run-db';
import { lockStudy } from '../study/study-lock';
import type { Spawner } from './spawner';
import type { Study } from '../study/study';
import type { GrownAt, PoolHooks, StartedWorkers } from './worker-pool';
import { caseDirOf, executeCases, startWorkers } from './execute';

export interface RunOptions {
  /** Chosen by the caller, so it can name the run before the first event. */
  runId?: string;
  spawner: Spawner;
  /** The built model worker entry (.vite/build/worker.mjs). */
  workerEntry: string;
  /** The built HDF5 writer for command models (.vite/build/h5.mjs), passed to them as FURROW_H5. */
  h5Kit?: string;
  workers?: number;
  onEvent?: (event: EngineEvent) => void;
  /** Cancels the run: every worker is killed at once; what finished is still recorded and harvested. */
  signal?: AbortSignal;
  /** Run only the cases not already done (by pset hash). */
  missingOnly?: boolean;
  /** Run only the cases whose latest record failed. */
  retryFailed?: boolean;
  /** Stop at the first failed case. */
  failFast?: boolean;
  overwrite?: Overwrite;
  /** How often progress is announced at most, in ms (at most ten a second by default). */
  progressEvery?: number;
  /** How often finished cases are stored while the run goes on, at the least, in ms (harvest-rounds.ts). */
  harvestEvery?: number | undefined;
  /**
   * Run these parameter sets (drawn by `furrow sample`) instead of the study's grid. They go into the run
   * database only, never into the gridded dataset.
   */
  samples?: Record<string, Scalar>[];
  /** The cases' outcomes come from here instead of the model (a crop's reap). */
  source?: CaseSource;
}

/**
 * Outcomes grown elsewhere and delivered to a run, which records and harvests them as its own: a crop's reap
 * (crop.ts). `indices` are the cases, each with the pset_id it was sown with.
 */
export interface CaseSource {
  /** Who holds the study's lock meanwhile, as a second writer is told. */
  label: string;
  indices: number[];
  psetIdOf(index: number): string;
  /** Report each case's outcome to the hooks, with when and where it was grown. */
  deliver(hooks: PoolHooks): Promise<void>;
}

/** What a run goes through: the study's parameter space, or a list of samples. */
interface RunItems {
  count: number;
  paramsAt(index: number): Record<string, Scalar>;
}

const itemsOf = (study: Study, samples: RunOptions['samples']): RunItems =>
  samples ? { count: samples.length, paramsAt: (i) => samples[i]! } : study.space;

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

/** A case's columns in the database: its varied parameters and the scalar constants. */
function paramColumns(study: Study, items: RunItems): (index: number) => Record<string, Scalar> {
  const constants = Object.fromEntries(Object.entries(study.constants).filter(([, v]) => isScalar(v))) as Record<
    string,
    Scalar
  >;
  return (index) => ({ ...constants, ...items.paramsAt(index) });
}

/** The time now as ISO 8601, formatted once per millisecond however many cases finish in it. */
function utcClock(): () => string {
  let ms = 0;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== ms) {
      ms = now;
      text = new Date(now).toISOString();
    }
    return text;
  };
}

interface Selection {
  hashes: string[];
  indices: number[];
  doneBefore: number;
  failedBefore: number;
}

/** Which cases a run runs. The database is scanned only for what is asked: `counts` (simulate) asks for all. */
function select(
  study: Study,
  items: RunItems,
  db: RunDb | null,
  options: Pick<RunOptions, 'missingOnly' | 'retryFailed'>,
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

/** The cases a run with these options would run, and every case's pset hash (a crop sows these). */
export async function casesToRun(
  study: Study,
  options: Pick<RunOptions, 'missingOnly' | 'retryFailed'>,
): Promise<{ indices: number[]; hashes: string[] }> {
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
export async function simulateRun(
  study: Study,
  options: Pick<RunOptions, 'missingOnly' | 'retryFailed'>,
): Promise<SimulateSummary> {
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

/**
 * Where this run keeps its backups: backups/<timestamp>/. The database is copied there before the run changes
 * it; the dataset only when the harvest must rewrite it (an in-place harvest is protected by its journal).
 */
function backupsOf(study: Study, db: RunDb): { dir: string; database: () => void } {
  const dir = path.join(study.dir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
  return {
    dir,
    database: () => {
      if (!db.hasRuns()) return;
      fs.mkdirSync(dir, { recursive: true });
      db.copyTo(path.join(dir, path.basename(db.file)));
    },
  };
}

export async function runStudy(study: Study, options: RunOptions): Promise<RunSummary> {
  const runId = options.runId ?? randomUUID();
  const emit = options.onEvent ?? (() => undefined);
  const { space } = study;
  const { samples } = options;
  const items = itemsOf(study, samples);
  const total = items.count;
  if (!samples && space.dims.length === 0) {
    throw new FurrowError('bad-input', `${study.file} only has sample distributions: run it with \`furrow sample\``);
  }
  const unlock = lockStudy(study.dir, options.source?.label ?? 'furrow run');
  let db: RunDb;
  try {
    // First the room a killed writer left taken (its temporary file) and its half-made change: the database may
    // need that room.
    recoverFile(study.datasetPath, { force: true });
    removeStaleTemporaries(study.datasetPath);
    db = RunDb.open(study.dir);
  } catch (error) {
    unlock();
    throw error;
  }
  let started: StartedWorkers | undefined;
  try {
    // A run killed between a round's dataset write and its record left `storing` rows: settled by the dataset.
    await db.settleInterrupted((params) => heldCases(study.datasetPath, params));
    const stored = options.missingOnly && !samples ? await storedRunItems(study) : new Set<number>();
    const chosen = options.source
      ? { ...select(study, items, null, {}, stored), indices: options.source.indices }
      : select(study, items, db, options, stored);
    const workers = options.workers ?? defaultWorkers();
    // Model workers start now, so that their start-up overlaps the checks and backups below.
    if (!options.source) started = startWorkers(study, chosen.indices.length, { ...options, workers });
    // The stored dataset's description, read once: the harvest plans with it (nothing else writes it: the lock).
    const described = chosen.indices.length > 0 && !samples ? await checkFits(study) : null;
    // Samples are checked like any outputs, but only their scalars are kept (in the database).
    const newGrid = () =>
      new ResultGrid(
        space,
        Object.entries(study.spec.outputs).map(([name, o]) => ({ name, dims: o.dims })),
        study.coords,
        { keep: !samples },
      );
    // A case's pset_id is made when it is first needed: for its folder (command models) or its record.
    const psetIds = new Map<number, string>();
    const psetIdOf = (i: number) => {
      let id = psetIds.get(i) ?? options.source?.psetIdOf(i);
      if (id === undefined) psetIds.set(i, (id = randomUUID()));
      return id;
    };
    // Command models run in a folder of their own per case; module models need none.
    const calcDirOf = (i: number) => caseDirOf(study, psetIdOf(i));
    const backups = backupsOf(study, db);
    if (chosen.indices.length > 0) backups.database();
    const run = {
      runId,
      runSeq: db.startRun({
        runId,
        studyYaml: study.text,
        cases: chosen.indices.length,
        skipped: total - chosen.indices.length,
      }),
    };

    // Cases are recorded in batches, one transaction per flush, each row written once with its outcome.
    // A case done is recorded only once its results are in the dataset: until its round is harvested
    // (harvest-rounds.ts), a done case waits there, so a run killed midway leaves it unrecorded and
    // --missing-only runs it again.
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort();
    options.signal?.addEventListener('abort', onOuterAbort);
    let readyRows: CaseRecord[] = []; // recorded at the next flush
    let flushError: unknown = null;
    const rounds = new HarvestRounds({
      newGrid,
      harvest: samples
        ? null
        : (grid, first) =>
            harvest(study, grid, options.overwrite ?? 'error', {
              backupDir: backups.dir,
              described: first ? described : null,
            }),
      record: (rows) => db.recordCases(run, rows),
      settle: (outcome) => db.settleRound(runId, outcome),
      onStored: (stored) => {
        counts.stored = stored;
        emit({ type: 'run.stored', runId, stored, dataset: samples ? null : study.datasetPath });
        progress(true);
      },
      onFailed: () => abort.abort(),
      ...(options.harvestEvery !== undefined ? { every: options.harvestEvery } : {}),
    });
    const finished = new Uint8Array(total);
    const columnsOf = paramColumns(study, items);
    const utcNow = utcClock();
    type Outcome = Pick<CaseRecord, 'status' | 'timeUtc' | 'host' | 'error' | 'outputs' | 'runtimeS'>;
    const rowOf = (index: number, outcome: Outcome): CaseRecord => {
      const calcDir = calcDirOf(index); // first: it names the case's pset_id when the case has a folder
      return {
        psetId: psetIds.get(index) ?? randomUUID(),
        psetHash: chosen.hashes[index]!,
        params: columnsOf(index),
        calcDir,
        ...outcome,
      };
    };
    const record = (index: number, outcome: Omit<Outcome, 'timeUtc' | 'host'>, grown?: GrownAt) => {
      finished[index] = 1;
      since.delete(index);
      const row = rowOf(index, {
        timeUtc: grown?.timeUtc ?? utcNow(),
        ...(grown ? { host: grown.host } : {}),
        ...outcome,
      });
      if (row.status === 'done') rounds.done(index, row);
      else readyRows.push(row);
    };
    const counts = { done: 0, failed: 0, running: 0, stored: 0 };
    const flush = () => {
      try {
        db.recordCases(run, readyRows);
        db.countRun(runId, { done: counts.done, failed: counts.failed, cancelled: 0 });
      } catch (error) {
        flushError ??= error;
        abort.abort();
      }
      readyRows = [];
      rounds.tick();
    };
    const flushTimer = setInterval(flush, 250);

    const runStart = Date.now();
    // The cases running now, by when they started (a Map keeps that order: the longest-running come first).
    const since = new Map<number, number>();
    let lastProgress = 0;
    const progress = (force = false) => {
      const now = Date.now();
      if (!force && now - lastProgress < (options.progressEvery ?? 100)) return;
      lastProgress = now;
      const finished = counts.done + counts.failed;
      const rate = finished / Math.max(0.001, (now - runStart) / 1000);
      const remaining = chosen.indices.length - finished;
      emit({
        type: 'run.progress',
        runId,
        total: chosen.indices.length,
        ...counts,
        rate,
        eta: rate > 0 ? remaining / rate : null,
        current: [...since].slice(0, 10).map(([index, start]) => ({
          params: items.paramsAt(index),
          seconds: (now - start) / 1000,
        })),
      });
    };
    // Slow cases finish rarely: the running ones' clocks are announced every second all the same.
    const ticker = setInterval(() => progress(), 1000);
    const fail = (index: number, message: string, seconds: number | null, grown?: GrownAt) => {
      counts.failed++;
      record(index, { status: 'failed', error: message, ...runtime(seconds) }, grown);
      const calcDir = calcDirOf(index);
      emit({
        type: 'case.failed',
        runId,
        params: items.paramsAt(index),
        error: message,
        ...(calcDir ? { caseDir: path.join(study.dir, calcDir) } : {}),
      });
      if (options.failFast) abort.abort();
      progress();
    };
    const runtime = (seconds: number | null) => (seconds === null ? {} : { runtimeS: seconds });

    emit({ type: 'run.started', runId, total: chosen.indices.length });
    let runError: unknown = null;
    try {
      const hooks: PoolHooks = {
        paramsOf: (index) => ({ ...study.constants, ...study.spec.resources, ...items.paramsAt(index) }),
        onBusy: (delta) => {
          counts.running += delta;
        },
        onStart: (index) => since.set(index, Date.now()),
        onDone: (index, outputs, seconds, grown) => {
          // The harvest needs h5wasm: compile it while the cases run (the workers are busy), not after the last.
          if (counts.done === 0) loadH5().catch(() => undefined);
          try {
            const scalars = rounds.add(index, outputs);
            counts.done++;
            record(index, { status: 'done', outputs: scalars, ...runtime(seconds) }, grown);
            progress();
          } catch (error) {
            if (!(error instanceof OutputError)) throw error;
            fail(index, error.message, seconds, grown);
          }
        },
        onFailed: (index, message, seconds, grown) => fail(index, message, seconds, grown),
      };
      if (options.source) await options.source.deliver(hooks);
      else
        await executeCases(
          study,
          chosen.indices,
          { ...hooks, psetIdOf, runId },
          {
            spawner: options.spawner,
            workerEntry: options.workerEntry,
            workers,
            signal: abort.signal,
            ...(options.h5Kit ? { h5Kit: options.h5Kit } : {}),
            ...(started ? { started } : {}),
          },
        );
    } catch (error) {
      runError = error;
    } finally {
      clearInterval(flushTimer);
      clearInterval(ticker);
      since.clear();
      options.signal?.removeEventListener('abort', onOuterAbort);
      counts.running = 0;
      flush();
    }
    // Whatever finished is harvested, even when the run was cancelled or stopped early.
    await rounds.round();
    progress(true);
    if (flushError) runError ??= flushError;
    // The cases that never finished are recorded cancelled when the run closes.
    const cancelled = chosen.indices.filter((i) => !finished[i]);
    const status =
      rounds.error || runError ? 'failed' : abort.signal.aborted ? 'cancelled' : counts.failed > 0 ? 'failed' : 'done';
    let closeError: unknown = null;
    for (const close of [
      () =>
        db.recordCases(
          run,
          cancelled.map((i) => rowOf(i, { status: 'cancelled' })),
        ),
      () =>
        db.finishRun(runId, status, {
          done: rounds.stored,
          failed: counts.done + counts.failed - rounds.stored,
          cancelled: cancelled.length,
        }),
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
    if (options.signal?.aborted) {
      throw new FurrowError(
        'cancelled',
        `run cancelled: ${counts.done + counts.failed} of ${chosen.indices.length} cases had finished; the ${rounds.stored} done are in ${samples ? '' : 'the dataset and '}the run database`,
      );
    }
    const summary: RunSummary = {
      run_id: runId,
      cases: total,
      done: counts.done,
      failed: counts.failed,
      skipped: total - counts.done - counts.failed,
      dataset: samples ? null : study.datasetPath,
      harvest: rounds.way,
      harvest_seconds: rounds.seconds,
    };
    emit({ type: 'run.finished', runId, summary });
    return summary;
  } finally {
    started?.close();
    db.close();
    unlock();
  }
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

/** The newest copy of the study's dataset in backups/, if any. */
function newestBackup(study: Study): string | null {
  const root = path.join(study.dir, 'backups');
  const name = path.basename(study.datasetPath);
  const dirs = fs.existsSync(root) ? fs.readdirSync(root).sort().reverse() : [];
  const found = dirs.map((d) => path.join(root, d, name)).find((f) => fs.existsSync(f));
  return found ?? null;
}

/** Refuse, before any case runs, a run whose dims the stored dataset does not have (or the other way round). */
async function checkFits(study: Study): Promise<DatasetInfo | null> {
  if (!fs.existsSync(study.datasetPath)) return null;
  let info: DatasetInfo;
  try {
    info = await describeDataset(study.datasetPath);
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

/** Merge this run's results into the study's dataset: in place where it can, rewritten where it must. */
async function harvest(
  study: Study,
  grid: ResultGrid,
  overwrite: Overwrite,
  /** `described`: the dataset as read before the run, for its first round (later ones read it again). */
  options: { backupDir: string; described: DatasetInfo | null },
): Promise<HarvestWay> {
  const { space } = study;
  const dimNames = new Set([...space.dims.map((d) => d.name), ...Object.keys(study.coords)]);
  const attrs: Record<string, Scalar | Scalar[]> = { ...(study.spec.attrs as Record<string, Scalar | Scalar[]>) };
  for (const [name, value] of Object.entries(study.constants)) {
    if (dimNames.has(name)) continue; // a constant that names a dim is stored as its coords
    if (isScalar(value)) attrs[name] = value;
    else if (Array.isArray(value) && value.every(isScalar)) attrs[name] = value;
  }
  const fresh = grid.toDataset(attrs);
  return harvestInto(study.datasetPath, fresh, overwrite, {
    growableDims: space.dims.map((d) => d.name),
    backupDir: options.backupDir,
    ...(options.described ? { described: options.described } : {}),
  });
}
