// The engine behind the seam: one open study, its runs and its dataset. It holds the state; each domain's module
// answers its own requests of shared/api.ts (study/, run/, db/, crop/, tree/, plots/, setup/ *-requests.ts), merged here
// into the one table `dispatch` calls. Transports (the Electron utility process, `furrow serve`) wrap it with that.
import { randomUUID } from 'node:crypto';
import type { EngineEvent, Result } from '../../shared/api';
import type { Scalar } from '../../shared/space';
import type { CurrentRun, EngineOptions, EngineState, Handlers, RunParts } from './engine-state';
import { FurrowError } from './errors';
import { adaptiveRequests } from './adaptive/adaptive-requests';
import { cropRequests } from './crop/crop-requests';
import { casesRequests } from './db/cases-requests';
import { ConditionReader } from './db/condition-reader';
import { RunDb } from './db/run-db';
import { plotRequests } from './plots/plot-requests';
import { ForeignRunWatcher } from './run/foreign-run';
import { runRequests } from './run/run-requests';
import { sensitivityRequests } from './sensitivity/sensitivity-requests';
import { setupRequests } from './setup/setup-requests';
import type { RunOptions } from './run/runner';
import { runStudy } from './run/runner';
import type { Study } from './study/study';
import { openStudy, openStudyForRun } from './study/study';
import { studyRequests } from './study/study-requests';
import { treeRequests } from './tree/tree-requests';

export type { EngineOptions } from './engine-state';

export class Engine implements EngineState {
  studyDir: string | null = null;
  run: CurrentRun | null = null;
  readonly growing = new Set<string>();
  readonly conditions: ConditionReader;
  private readonly foreign = new ForeignRunWatcher(this);

  /** Every request of shared/api.ts's map, answered by its domain; the type says none is missing. */
  readonly handlers: Handlers = {
    ...studyRequests(this),
    ...runRequests(this),
    ...casesRequests(this),
    ...cropRequests(this),
    ...treeRequests(this),
    ...plotRequests(this),
    ...setupRequests(this),
    ...sensitivityRequests(this),
    ...adaptiveRequests(this),
  };

  constructor(readonly options: EngineOptions) {
    this.conditions = new ConditionReader(options.spawner, options.conditionEntry);
  }

  get foreignProgress(): Result<'run.status'> | null {
    return this.foreign.progress;
  }

  opened(study: Study): void {
    this.studyDir = study.dir;
    this.foreign.watch();
  }

  study(): Study {
    return openStudy(this.openDir());
  }

  studyForRun(combos: Record<string, Scalar[]> | undefined): Promise<Study> {
    return openStudyForRun(this.openDir(), combos);
  }

  private openDir(): string {
    if (this.studyDir === null) throw new FurrowError('not-found', 'no study is open; open a study folder first');
    return this.studyDir;
  }

  parts(): RunParts {
    const { spawner, workerEntry, h5Kit } = this.options;
    return { spawner, workerEntry, ...(h5Kit ? { h5Kit } : {}) };
  }

  readDb<T>(read: (db: RunDb | null, study: Study) => T): T {
    const study = this.study();
    const db = RunDb.openReadOnly(study.dir);
    try {
      return read(db, study);
    } finally {
      db?.close();
    }
  }

  startRun(
    study: Study,
    choices: Omit<RunOptions, keyof RunParts>,
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
        (error: unknown) => {
          const at = error instanceof FurrowError ? error.details.at : undefined;
          emit({ type: 'run.error', runId, message: (error as Error).message, ...(at ? { errorAt: at } : {}) });
        },
      )
      .finally(() => {
        this.run = null;
      });
    this.run = run;
    return { runId, cases: total };
  }

  /** Cancel whatever runs and wait for its workers to be gone (before the process exits). */
  async close(): Promise<void> {
    this.foreign.stop();
    this.conditions.close();
    await this.handlers['run.cancel']({});
  }
}
