// The engine behind the seam: one open study, its runs and its dataset, answering the requests of
// shared/api.ts. Transports (the Electron utility process, `furrow serve`) wrap it with `dispatch`.
import type { EngineEvent, Method, Params, Result } from '../../shared/api';
import type { Spawner } from './spawner';
import type { Study } from './study';
import { openStudy, summarize } from './study';
import { runStudy } from './runner';
import { describeDataset, readSlice } from './netcdf';
import { FurrowError } from './errors';

export interface EngineOptions {
  spawner: Spawner;
  workerEntry: string;
  emit: (event: EngineEvent) => void;
}

type Handlers = { [M in Method]: (params: Params<M>) => Promise<Result<M>> };

export class Engine {
  private studyDir: string | null = null;
  private run: Promise<unknown> | null = null;

  constructor(private readonly options: EngineOptions) {}

  /** The study as it is on disk now: re-read for each request, so edits to study.yaml are seen. */
  private study(overrides: Parameters<typeof openStudy>[1] = {}): Study {
    if (this.studyDir === null) throw new FurrowError('not-found', 'no study is open; open a study folder first');
    return openStudy(this.studyDir, overrides);
  }

  private datasetFile(file: string | undefined): string {
    if (file) return file;
    const study = this.study();
    return study.datasetPath;
  }

  readonly handlers: Handlers = {
    'study.open': async ({ dir }) => {
      const study = openStudy(dir);
      this.studyDir = study.dir;
      const summary = summarize(study);
      this.options.emit({ type: 'study.opened', study: summary });
      return summary;
    },
    'study.current': async () => (this.studyDir === null ? null : summarize(this.study())),
    'run.start': async ({ workers, combos }) => {
      if (this.run) throw new FurrowError('busy', 'a run of this study is already going; wait for it to finish');
      const study = this.study(combos ? { combos } : {});
      let runId = '';
      const started = new Promise<{ runId: string; cases: number }>((resolve, reject) => {
        const run = runStudy(study, {
          spawner: this.options.spawner,
          workerEntry: this.options.workerEntry,
          ...(workers ? { workers } : {}),
          onEvent: (event) => {
            if (event.type === 'run.started') {
              runId = event.runId;
              resolve({ runId, cases: event.total });
            }
            this.options.emit(event);
          },
        });
        this.run = run
          .catch((error: unknown) => {
            reject(error as Error);
            if (runId) this.options.emit({ type: 'run.error', runId, message: (error as Error).message });
          })
          .finally(() => {
            this.run = null;
          });
      });
      return started;
    },
    'dataset.describe': async ({ file }) => describeDataset(this.datasetFile(file)),
    'dataset.read': async ({ file, variable, select }) => readSlice(this.datasetFile(file), variable, select ?? {}),
  };

  /** Resolves when the current run (if any) has finished. */
  async idle(): Promise<void> {
    await this.run;
  }
}
