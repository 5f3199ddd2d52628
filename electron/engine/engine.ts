// The engine behind the seam: one open study, its runs and its dataset, answering the requests of
// shared/api.ts. Transports (the Electron utility process, `furrow serve`) wrap it with `dispatch`.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineEvent, Method, Params, Result } from '../../shared/api';
import { applyEdit, NO_ROWS, rowsOf, StudyEditError } from '../../shared/study-edit';
import type { Spawner } from './run/spawner';
import type { Study } from './study/study';
import { openStudy, studyFromText, summarize, withStoredValues } from './study/study';
import type { RunOptions } from './run/runner';
import { defaultWorkers, runStudy, simulateRun } from './run/runner';
import { describeDataset, readSlice } from './dataset/netcdf-read';
import { treeChildren, treeNode, treePreview, treeRoots } from './tree/data-tree';
import type { PlotSpec } from '../../shared/plot-spec';
import { checkSpec, resolvePlot } from '../../shared/plot-spec';
import { plotData, plotError } from './plots/plot-data';
import {
  listPlots,
  newEvalDir,
  PLOTS_FILE,
  readPlotsFile,
  removePlot,
  savePlot,
  specOf,
  writeExport,
} from './plots/plots-file';
import { FurrowError, StudyFileError } from './errors';
import {
  cancelCrop,
  cropDirOf,
  cropStatus,
  cropStudy,
  growCrop,
  listCrops,
  readCrop,
  reapCrop,
  sowCrop,
  submitCrop,
} from './crop/crop';
import { writeAtomically } from './dataset/atomic-file';
import { createStudy, listExamples } from './study/study-create';
import { tryOneCase } from './run/try-case';
import { multiverseFile } from './dataset/multiverse';
import { studyFiles } from './study/study-files';
import { drawStudySamples } from './run/sampler';
import { runHistory } from './db/db-query';
import { ConditionReader } from './db/condition-reader';
import { RunDb } from './db/run-db';
import { lockHolder } from './study/study-lock';

const outputsOf = (study: Study) => Object.keys(study.spec.outputs);

export interface EngineOptions {
  spawner: Spawner;
  workerEntry: string;
  /** The built condition-process entry: reads with a person's SQL condition run there (condition-reader.ts). */
  conditionEntry: string;
  h5Kit?: string;
  /** How a cluster task runs Furrow's command line: [node (or Electron as node), cli.mjs]. */
  furrowCommand: string[];
  /** The bundled examples new studies start from. */
  examplesDir: string;
  emit: (event: EngineEvent) => void;
}

type Handlers = { [M in Method]: (params: Params<M>) => Promise<Result<M>> };

interface CurrentRun {
  abort: AbortController;
  progress: Result<'run.status'>;
  finished: Promise<void>;
}

export class Engine {
  private studyDir: string | null = null;
  private run: CurrentRun | null = null;
  /** Crops growing here now (crop.grow). */
  private readonly growing = new Set<string>();
  /** A run of the open study by another process (`furrow run` in a terminal), watched from the run database. */
  /** A run of another process on this study, as its database rows show it; `seq`: the last row counted. */
  private foreign: { runId: string; progress: Result<'run.status'>; stored: number; seq: number } | null = null;
  private watcher: NodeJS.Timeout | undefined;

  /**
   * Watch the open study's run database for a run another process is making, and announce it as this engine
   * announces its own (run.started with `by`, run.progress, run.finished), so an open window shows it live.
   */
  private watchForeignRuns(): void {
    clearInterval(this.watcher);
    this.foreign = null;
    this.watcher = setInterval(() => this.checkForeignRun(), 1000);
    this.watcher.unref();
  }

  private checkForeignRun(): void {
    if (this.studyDir === null || this.run) return; // this engine's own run announces itself
    type Row = {
      run_id: string;
      cases: number;
      skipped: number;
      done: number;
      failed: number;
      started_utc: string;
      status: string;
    };
    const query = (where: string, ...args: unknown[]) =>
      this.readDb((db) =>
        db
          ? ((db.db
              .prepare(
                `SELECT run_id, cases, skipped, done, failed, started_utc, status FROM runs WHERE ${where} ORDER BY run_seq DESC LIMIT 1`,
              )
              .get(...args) as Row | undefined) ?? null)
          : null,
      );
    try {
      const running = query(`status = 'running'`);
      const holder = lockHolder(this.studyDir);
      if (running && holder) {
        if (this.foreign?.runId !== running.run_id) {
          this.options.emit({
            type: 'run.started',
            runId: running.run_id,
            total: running.cases,
            by: `${holder.what} (pid ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${holder.host}`})`,
          });
        }
        // Its stored cases are its rows recorded done; each look counts only the rows added since the last.
        const counted = this.foreign?.runId === running.run_id ? this.foreign : { stored: 0, seq: 0 };
        const added = this.readDb((db) =>
          db
            ? (db.db
                .prepare(
                  `SELECT COUNT(*) AS n, MAX(_pset_seq) AS seq FROM psets WHERE _pset_seq > ? AND _run_id = ? AND _status = 'done'`,
                )
                .get(counted.seq, running.run_id) as { n: number; seq: number | null })
            : { n: 0, seq: null },
        );
        const stored = counted.stored + added.n;
        const seq = added.seq ?? counted.seq;
        const seconds = Math.max(0.001, (Date.now() - Date.parse(running.started_utc)) / 1000);
        const finished = running.done + running.failed;
        const rate = finished / seconds;
        const progress: Result<'run.status'> & object = {
          type: 'run.progress',
          runId: running.run_id,
          total: running.cases,
          done: running.done,
          failed: running.failed,
          running: 0,
          stored,
          rate,
          eta: rate > 0 ? (running.cases - finished) / rate : null,
          current: [],
        };
        if (added.n > 0) {
          this.options.emit({ type: 'run.stored', runId: running.run_id, stored, dataset: this.study().datasetPath });
        }
        this.foreign = { runId: running.run_id, progress, stored, seq };
        this.options.emit(progress);
      } else if (this.foreign) {
        const { runId } = this.foreign;
        this.foreign = null;
        const last = query('run_id = ?', runId);
        if (!last || last.status === 'running') {
          this.options.emit({
            type: 'run.error',
            runId,
            message:
              'the run started from elsewhere stopped without finishing (its process is gone); run it again with --missing-only',
          });
        } else {
          this.options.emit({
            type: 'run.finished',
            runId,
            summary: {
              run_id: runId,
              cases: last.cases + last.skipped,
              done: last.done,
              failed: last.failed,
              skipped: last.skipped,
              dataset: this.study().datasetPath,
              harvest: null,
              harvest_seconds: 0,
            },
          });
        }
      }
    } catch {
      // a database being created or a study.yaml being edited: look again in a second
    }
  }

  private readonly conditions: ConditionReader;

  constructor(private readonly options: EngineOptions) {
    this.conditions = new ConditionReader(options.spawner, options.conditionEntry);
  }

  /** The study as it is on disk now: re-read for each request, so edits to study.yaml are seen. */
  private study(overrides: Parameters<typeof openStudy>[1] = {}): Study {
    if (this.studyDir === null) throw new FurrowError('not-found', 'no study is open; open a study folder first');
    return openStudy(this.studyDir, overrides);
  }

  /** What every run and grower of this engine runs cases with. */
  private parts(): Pick<RunOptions, 'spawner' | 'workerEntry' | 'h5Kit'> {
    const { spawner, workerEntry, h5Kit } = this.options;
    return { spawner, workerEntry, ...(h5Kit ? { h5Kit } : {}) };
  }

  /** Read the open study's run database (null before its first run), closed again at once. */
  private readDb<T>(read: (db: RunDb | null, study: Study) => T): T {
    const study = this.study();
    const db = RunDb.openReadOnly(study.dir);
    try {
      return read(db, study);
    } finally {
      db?.close();
    }
  }

  private datasetFile(file: string | undefined): string {
    return file ?? this.study().datasetPath;
  }

  /** The open study's plots.yaml, or null with no study open (then plots come from a file opened by its path). */
  private plotsFile(): string | null {
    return this.studyDir === null ? null : path.join(this.study().dir, PLOTS_FILE);
  }

  /** What a plot draws: a spec or a saved plot's name; its `source` says which file (default: the dataset). */
  private async plot(raw: Record<string, unknown> | undefined, name: string | undefined, frame?: number) {
    try {
      const plots = this.plotsFile();
      let spec: PlotSpec;
      if (name !== undefined) spec = resolvePlot(name, plots ? readPlotsFile(plots) : {});
      else if (raw) spec = plots ? specOf(plots, raw) : checkSpec(raw);
      else throw new FurrowError('bad-input', 'give a plot spec, or the name of a plot in plots.yaml');
      if (frame !== undefined) spec = { ...spec, frame };
      return await plotData(await this.sourceFile(spec.source), spec);
    } catch (error) {
      return plotError(error);
    }
  }

  /**
   * The file a plot's `source` names: the study's dataset (the default), a multiverse (`data.h5:/abm/energy`: that
   * dataset of every case's file, combined; see multiverse.ts), or an HDF5/NetCDF file by its path.
   */
  private async sourceFile(source: string | undefined): Promise<string> {
    if (source === undefined || source === 'dataset') {
      const study = this.study();
      if (!fs.existsSync(study.datasetPath)) {
        throw new FurrowError('not-found', `${study.datasetPath} does not exist yet: run the study first`);
      }
      return study.datasetPath;
    }
    if (/^[^:]+:\//.test(source) && !/^[A-Za-z]:[\\/]/.test(source)) {
      return (await multiverseFile(this.study(), source)).file;
    }
    return path.resolve(this.studyDir ?? process.cwd(), source);
  }

  /** Start a run of the study (or a crop's reap, which is a run): one at a time, its events to every window. */
  private startRun(
    study: Study,
    choices: Omit<RunOptions, 'spawner' | 'workerEntry' | 'h5Kit'>,
    go: (study: Study, options: RunOptions) => Promise<unknown> = runStudy,
  ): { runId: string; cases: number } {
    const runId = randomUUID();
    const total = choices.samples?.length ?? study.space.count;
    const abort = new AbortController();
    const run: CurrentRun = {
      abort,
      progress: {
        type: 'run.progress',
        runId,
        total,
        done: 0,
        failed: 0,
        running: 0,
        stored: 0,
        rate: 0,
        eta: null,
        current: [],
      },
      finished: Promise.resolve(),
    };
    const emit = (event: EngineEvent) => {
      if (event.type === 'run.progress') run.progress = event;
      this.options.emit(event);
    };
    run.finished = go(study, {
      ...choices,
      runId,
      ...this.parts(),
      signal: abort.signal,
      onEvent: emit,
    })
      .then(
        () => undefined,
        (error: unknown) => emit({ type: 'run.error', runId, message: (error as Error).message }),
      )
      .finally(() => {
        this.run = null;
      });
    this.run = run;
    return { runId, cases: total };
  }

  readonly handlers: Handlers = {
    'study.open': async ({ dir }) => {
      if (this.run)
        throw new FurrowError('busy', 'a run is going; cancel it or wait for it before opening another study');
      const study = openStudy(dir);
      this.studyDir = study.dir;
      const summary = summarize(study);
      this.options.emit({ type: 'study.opened', study: summary });
      this.watchForeignRuns();
      return summary;
    },
    'study.create': async ({ dir, example, paramSpace }) => {
      const created = createStudy(dir, example ?? 'foo', this.options.examplesDir, paramSpace);
      return this.handlers['study.open']({ dir: created });
    },
    'study.examples': async () => listExamples(this.options.examplesDir),
    'study.current': async () => (this.studyDir === null ? null : summarize(this.study())),
    'study.source': async () => {
      const { file } = this.study();
      return { file, text: fs.readFileSync(file, 'utf8') };
    },
    'study.files': async () => studyFiles(this.study().dir),
    'study.check': async ({ text }) => {
      const dir = this.studyDir;
      if (dir === null) throw new FurrowError('not-found', 'no study is open; open a study folder first');
      let study: Study;
      const rows = rowsOf(text);
      try {
        study = studyFromText(dir, text);
      } catch (error) {
        if (!(error instanceof FurrowError)) throw error;
        const line = error instanceof StudyFileError ? error.line : null;
        return { ok: false as const, error: error.message, line, rows };
      }
      const plan = await simulateRun(study, {});
      const mean = this.readDb((db) =>
        db
          ? (db.db.prepare(`SELECT AVG(_runtime_s) FROM psets WHERE _status = 'done'`).pluck().get() as number | null)
          : null,
      );
      return {
        ok: true as const,
        summary: summarize(study),
        rows: rows ?? NO_ROWS,
        new: plan.new,
        done_before: plan.done_before,
        failed_before: plan.failed_before,
        estimated_seconds: mean === null ? null : (mean * plan.new) / defaultWorkers(),
      };
    },
    'study.edit': async ({ text, edit }) => {
      let next: string;
      try {
        next = applyEdit(text, edit);
      } catch (error) {
        if (error instanceof StudyEditError) throw new FurrowError('bad-input', error.message);
        throw error;
      }
      return { text: next, ...(rowsOf(next) ?? NO_ROWS) };
    },
    'study.try': async ({ text, params }) => {
      const open = this.study();
      const study = text === undefined ? open : studyFromText(open.dir, text);
      return tryOneCase(study, this.parts(), params);
    },
    'study.save': async ({ text, base }) => {
      const { file, dir } = this.study();
      if (fs.readFileSync(file, 'utf8') !== base) {
        throw new FurrowError(
          'bad-input',
          `${file} changed on disk since it was opened here; nothing was saved. Reload it, then make the change again`,
        );
      }
      const summary = summarize(studyFromText(dir, text)); // the command line's rules: a bad edit is refused
      writeAtomically(file, text);
      this.options.emit({ type: 'study.opened', study: summary });
      return summary;
    },
    'run.start': async ({ combos, sample, ...choices }) => {
      if (this.run) throw new FurrowError('busy', 'a run of this study is already going; wait for it to finish');
      const defined = Object.fromEntries(Object.entries(choices).filter(([, v]) => v !== undefined));
      const resolved = await withStoredValues(this.study().dir, combos);
      const study = this.study(resolved ? { combos: resolved } : {});
      if (!sample) return this.startRun(study, defined);
      const { seed, samples } = await drawStudySamples(study, {
        n: sample.n,
        ...(sample.seed === undefined ? {} : { seed: sample.seed }),
      });
      return { ...this.startRun(study, { ...defined, samples }), seed };
    },
    'run.simulate': async ({ combos, ...choices }) => {
      const resolved = await withStoredValues(this.study().dir, combos);
      return simulateRun(this.study(resolved ? { combos: resolved } : {}), {
        missingOnly: choices.missingOnly ?? false,
        retryFailed: choices.retryFailed ?? false,
      });
    },
    'run.cancel': async () => {
      if (!this.run) return { cancelled: false };
      this.run.abort.abort();
      await this.run.finished;
      return { cancelled: true };
    },
    'run.status': async () => this.run?.progress ?? this.foreign?.progress ?? null,
    'dataset.describe': async ({ file }) => describeDataset(this.datasetFile(file)),
    'dataset.read': async ({ file, variable, select }) => readSlice(this.datasetFile(file), variable, select ?? {}),
    'tree.roots': async ({ files }) => treeRoots(this.studyDir === null ? null : () => this.study(), files ?? []),
    'tree.children': async ({ node, offset, limit }) =>
      treeChildren(() => this.study(), node, offset ?? 0, limit ?? 200),
    'tree.node': async ({ node }) => treeNode(() => this.study(), node),
    'tree.preview': async (params) => treePreview(() => this.study(), params),
    'multiverse.combine': async ({ path: within }) => {
      const { file, info } = await multiverseFile(this.study(), within);
      return { file, info };
    },
    'plot.list': async () => {
      const file = this.plotsFile();
      if (file === null) throw new FurrowError('not-found', 'no study is open; open a study folder first');
      return { file, plots: listPlots(file) };
    },
    'plot.data': async ({ spec, name, frame }) => this.plot(spec, name, frame),
    'plot.save': async ({ name, spec }) => {
      const file = this.plotsFile();
      if (file === null) throw new FurrowError('not-found', 'open a study to save plots in its plots.yaml');
      // A plot that cannot be drawn is not saved: checked under its own name, so a based_on on itself is a cycle.
      try {
        const resolved = resolvePlot(name, { ...readPlotsFile(file), [name]: spec });
        await plotData(await this.sourceFile(resolved.source), resolved);
      } catch (error) {
        plotError(error);
      }
      savePlot(file, name, spec);
      return { file };
    },
    'plot.remove': async ({ name }) => {
      const file = this.plotsFile();
      return { removed: file !== null && removePlot(file, name) };
    },
    'plot.export': async ({ dir, name, format, data, spec }) => {
      const study = this.study();
      const target = dir ?? newEvalDir(study.dir);
      const evalDir = path.join(study.dir, 'eval');
      const inside = path.relative(evalDir, path.resolve(target));
      if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
        throw new FurrowError('bad-input', `exports go into a folder in ${evalDir}; ${target} is not one`);
      }
      fs.mkdirSync(target, { recursive: true });
      return { dir: target, file: writeExport(target, name, format, Buffer.from(data, 'base64'), spec) };
    },
    'db.cases': async (query) => {
      const study = this.study();
      return this.conditions.read(study.dir, { kind: 'page', outputs: outputsOf(study), query });
    },
    'db.export': async (query) => this.conditions.read(this.study().dir, { kind: 'csv', query }),
    'run.history': async () => this.readDb((db) => runHistory(db)),
    'db.numeric': async ({ max, ...query }) => {
      const study = this.study();
      return this.conditions.read(study.dir, {
        kind: 'numeric',
        outputs: outputsOf(study),
        query: { ...query, max: max ?? 20_000 },
      });
    },
    'crop.list': async () => {
      const { dir } = this.study();
      return Promise.all(listCrops(dir).map((name) => cropStatus(dir, name)));
    },
    'crop.status': async ({ name }) => cropStatus(this.study().dir, name),
    'crop.sow': async ({ name, batchSize, batches, combos, missingOnly, shuffle }) => {
      const { dir } = this.study();
      const resolved = await withStoredValues(dir, combos);
      return sowCrop(dir, {
        name,
        ...(batchSize ? { batchSize } : {}),
        ...(batches ? { batches } : {}),
        overrides: resolved ? { combos: resolved } : {},
        missingOnly: missingOnly ?? false,
        ...(shuffle === undefined ? {} : { shuffle }),
      });
    },
    'crop.grow': async ({ name, workers }) => {
      const { dir } = this.study();
      if (this.growing.has(name)) throw new FurrowError('busy', `crop '${name}' is growing already`);
      const status = await cropStatus(dir, name);
      const batches = status.counts.missing + status.counts.failed;
      this.growing.add(name);
      const changed = (growing: boolean) => this.options.emit({ type: 'crop.changed', name, growing });
      void growCrop(dir, name, {
        ...this.parts(),
        ...(workers ? { workers } : {}),
        onBatch: () => changed(true),
      })
        .catch(() => undefined) // each batch's failure is in its status; the crop folder is the record
        .finally(() => {
          this.growing.delete(name);
          changed(false);
        });
      return { batches };
    },
    'crop.reap': async ({ name, ...choices }) => {
      if (this.run) throw new FurrowError('busy', 'a run of this study is going; wait for it before reaping');
      const dir = this.study().dir;
      const crop = readCrop(cropDirOf(dir, name));
      const defined = Object.fromEntries(Object.entries(choices).filter(([, v]) => v !== undefined));
      return this.startRun(cropStudy(cropDirOf(dir, name), crop), defined, (_study, options) =>
        reapCrop(dir, name, options).finally(() =>
          this.options.emit({ type: 'crop.changed', name, growing: this.growing.has(name) }),
        ),
      );
    },
    'crop.submit': async ({ name, scheduler, cpusPerTask, ...rest }) => {
      const summary = await submitCrop(this.study().dir, name, {
        scheduler,
        furrow: this.options.furrowCommand,
        options: rest.options ?? [],
        setup: rest.setup ?? [],
        ...(rest.time ? { time: rest.time } : {}),
        ...(rest.mem ? { mem: rest.mem } : {}),
        ...(cpusPerTask ? { cpusPerTask } : {}),
        ...(rest.partition ? { partition: rest.partition } : {}),
        ...(rest.dryRun ? { dryRun: true } : {}),
      });
      this.options.emit({ type: 'crop.changed', name, growing: this.growing.has(name) });
      return { script: summary.script, text: summary.text, batches: summary.batches, job_id: summary.job_id };
    },
    'crop.cancel': async ({ name }) => {
      const cancelled = await cancelCrop(this.study().dir, name);
      this.options.emit({ type: 'crop.changed', name, growing: this.growing.has(name) });
      return { cancelled };
    },
  };

  /** Cancel whatever runs and wait for its workers to be gone (before the process exits). */
  async close(): Promise<void> {
    clearInterval(this.watcher);
    this.conditions.close();
    await this.handlers['run.cancel']({});
  }
}
