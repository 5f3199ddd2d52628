// What each domain's request handlers (study/, run/, db/, crop/, tree/, plots/ *-requests.ts) share: the engine's
// state (the open study, the run going, the crops growing) and the few ways of reaching it. Handlers receive it as
// an argument instead of importing the Engine class, so no domain module depends on the one that merges them.
import type { EngineEvent, Method, Params, Result } from '../../shared/api';
import type { Scalar } from '../../shared/space';
import type { ConditionReader } from './db/condition-reader';
import type { RunDb } from './db/run-db';
import type { RunOptions } from './run/runner';
import type { Spawner } from './run/spawner';
import type { Study } from './study/study';

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
  /** The built UI (its index.html), where this engine serves or draws it: the setup check looks for it. */
  rendererDir?: string;
  emit: (event: EngineEvent) => void;
}

/** The answers to the requests `M` of shared/api.ts's map, each typed by that map. */
export type Handlers<M extends Method = Method> = { [K in M]: (params: Params<K>) => Promise<Result<K>> };

/** The requests whose names start with `prefix.`: one domain's part of the map. */
export type MethodsOf<Prefix extends string> = Extract<Method, `${Prefix}.${string}`>;

/** What every run and grower of this engine runs cases with. */
export type RunParts = Pick<RunOptions, 'spawner' | 'workerEntry' | 'h5Kit'>;

export interface CurrentRun {
  abort: AbortController;
  progress: Result<'run.status'>;
  finished: Promise<void>;
}

export interface EngineState {
  readonly options: EngineOptions;
  /** The open study's folder, or null before one is opened. */
  readonly studyDir: string | null;
  /** This engine's own run (or reap), one at a time. */
  readonly run: CurrentRun | null;
  /** A run of the open study by another process, as its run database shows it. */
  readonly foreignProgress: Result<'run.status'> | null;
  /** Crops growing here now (crop.grow). */
  readonly growing: Set<string>;
  readonly conditions: ConditionReader;
  /** Make `study` the open one (and watch its run database for runs started elsewhere). */
  opened(study: Study): void;
  /** The study as it is on disk now: re-read for each request, so edits to study.yaml are seen. */
  study(): Study;
  /** The study a run runs, study.yaml read once: with `combos` (a `...` combo: the values in the dataset). */
  studyForRun(combos: Record<string, Scalar[]> | undefined): Promise<Study>;
  parts(): RunParts;
  /** Read the open study's run database (null before its first run), closed again at once. */
  readDb<T>(read: (db: RunDb | null, study: Study) => T): T;
  /** Start a run of the study (or a crop's reap, which is a run): one at a time, its events to every window. */
  startRun(
    study: Study,
    choices: Omit<RunOptions, keyof RunParts>,
    go?: (study: Study, options: RunOptions) => Promise<unknown>,
  ): { runId: string; cases: number };
}
