// What a run is asked to do (RunOptions) and where its outcomes may come from instead of the model (CaseSource):
// the types every stage of a run (runner.ts) reads, kept apart so that no stage imports the runner.
import type { EngineEvent } from '../../../shared/api';
import type { Scalar } from '../../../shared/space';
import type { Overwrite } from '../dataset/harvest';
import type { Spawner } from './spawner';
import type { PoolHooks } from './worker-pool';

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
  /**
   * The samples are the rows of this sensitivity design (its record as JSON, sensitivity/design-record.ts): the run
   * records it, and each case the row it evaluated, so the analysis knows which evaluation is which.
   */
  design?: string;
  /**
   * A sample's budget, in bytes, for its outputs with dims of their own in the run database (array-budget.ts; 1 GiB
   * unless given, 0 keeps none): past it, none are kept, and the run says so.
   */
  keepArrays?: number;
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
