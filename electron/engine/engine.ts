// The engine behind the seam: one open study, its runs and its dataset, answering the requests of
// shared/api.ts. Transports (the Electron utility process, `furrow serve`) wrap it with `dispatch`.
import { randomUUID } from 'node:crypto';
import type { EngineEvent, Method, Params, Result } from '../../shared/api';
import type { Spawner } from './spawner';
import type { Study } from './study';
import { openStudy, summarize, withStoredValues } from './study';
import type { RunOptions } from './runner';
import { runStudy } from './runner';
import { describeDataset, readSlice } from './netcdf-read';
import { FurrowError } from './errors';
import { cropStatus, listCrops } from './crop';

export interface EngineOptions {
  spawner: Spawner;
  workerEntry: string;
  h5Kit?: string;
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

  constructor(private readonly options: EngineOptions) {}

  /** The study as it is on disk now: re-read for each request, so edits to study.yaml are seen. */
  private study(overrides: Parameters<typeof openStudy>[1] = {}): Study {
    if (this.studyDir === null) throw new FurrowError('not-found', 'no study is open; open a study folder first');
    return openStudy(this.studyDir, overrides);
  }

  private datasetFile(file: string | undefined): string {
    return file ?? this.study().datasetPath;
  }

  private startRun(
    study: Study,
    choices: Omit<RunOptions, 'spawner' | 'workerEntry' | 'h5Kit'>,
  ): { runId: string; cases: number } {
    const runId = randomUUID();
    const total = study.space.count;
    const abort = new AbortController();
    const run: CurrentRun = {
      abort,
      progress: { type: 'run.progress', runId, total, done: 0, failed: 0, running: 0, rate: 0, eta: null },
      finished: Promise.resolve(),
    };
    const emit = (event: EngineEvent) => {
      if (event.type === 'run.progress') run.progress = event;
      this.options.emit(event);
    };
    run.finished = runStudy(study, {
      ...choices,
      runId,
      spawner: this.options.spawner,
      workerEntry: this.options.workerEntry,
      ...(this.options.h5Kit ? { h5Kit: this.options.h5Kit } : {}),
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
      return summary;
    },
    'study.current': async () => (this.studyDir === null ? null : summarize(this.study())),
    'run.start': async ({ combos, ...choices }) => {
      if (this.run) throw new FurrowError('busy', 'a run of this study is already going; wait for it to finish');
      const defined = Object.fromEntries(Object.entries(choices).filter(([, v]) => v !== undefined));
      const resolved = await withStoredValues(this.study().dir, combos);
      return this.startRun(this.study(resolved ? { combos: resolved } : {}), defined);
    },
    'run.cancel': async () => {
      if (!this.run) return { cancelled: false };
      this.run.abort.abort();
      await this.run.finished;
      return { cancelled: true };
    },
    'run.status': async () => this.run?.progress ?? null,
    'dataset.describe': async ({ file }) => describeDataset(this.datasetFile(file)),
    'dataset.read': async ({ file, variable, select }) => readSlice(this.datasetFile(file), variable, select ?? {}),
    'crop.list': async () => {
      const { dir } = this.study();
      return Promise.all(listCrops(dir).map((name) => cropStatus(dir, name)));
    },
    'crop.status': async ({ name }) => cropStatus(this.study().dir, name),
  };

  /** Cancel whatever runs and wait for its workers to be gone (before the process exits). */
  async close(): Promise<void> {
    await this.handlers['run.cancel']({});
  }
}
