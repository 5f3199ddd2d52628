// xyzpy's Runner and label(): a function of some parameters whose outputs are named and have dims of their own,
// run over combos and cases into a labelled Dataset. The outputs are checked and gathered by the engine's own
// ResultGrid, so a dataset made here is laid out exactly as `furrow run` lays out a study's. A function from
// `fromModule` runs on the engine's worker processes, as a study's module model does.
import { ResultGrid, OutputError } from '../engine/run/results';
import { Space } from '../../shared/space';
import type { CombosSpec, Scalar } from '../../shared/space';
import { isScalar } from '../../shared/space';
import type { CropOptions } from './crop';
import { Crop } from './crop';
import { Dataset } from './dataset';
import type { WorkerOptions } from './in-workers';
import { failedCalls, runInWorkers } from './in-workers';
import { moduleOf } from './module-function';
import { RunnerError } from './runner-error';
import type { RunnerOptions, RunnerSpec } from './runner-spec';
import type { Model, Params } from './runners';
import { callable, checkWorkers } from './runners';

export class Runner implements RunnerSpec {
  constructor(
    readonly fn: Model,
    readonly options: RunnerOptions,
  ) {}

  /**
   * Every combination of `combos` (for each of `cases`, if given), as a Dataset: case dims, combo dims, output dims.
   * A function from `fromModule` runs on `workers` processes; an inline one in this process.
   */
  async runCombos(combos: CombosSpec, options: RunOptions & { cases?: Params[] } = {}): Promise<Dataset> {
    return this.complete(await this.run(new SpaceOf(combos, options.cases), options));
  }

  /** Only these cases (each a setting of every parameter), as a Dataset; cells no case names are missing. */
  async runCases(cases: Params[], options: RunOptions = {}): Promise<Dataset> {
    return this.complete(await this.run(new SpaceOf({}, cases), options));
  }

  /** xyzpy's Crop: sow the cases into batches on disk, grow them anywhere, reap them into one dataset. */
  crop(options: CropOptions): Crop {
    return new Crop(this, options);
  }

  private complete(outcome: RunOutcome): Dataset {
    if (outcome.failed) throw outcome.failed;
    return outcome.dataset;
  }

  /**
   * Run every case of `space` into a Dataset. Calls that fail on a worker leave their cells missing and are
   * reported in `failed` (the Harvester stores the rest first); an inline function's exception stops the run.
   */
  async run(space: Space, options: RunOptions, skip?: (index: number) => boolean): Promise<RunOutcome> {
    const { constants = {}, resources = {} } = this.options;
    const model = moduleOf(this.fn);
    if (!model) checkWorkers(options.workers);
    const indices: number[] = [];
    for (let i = 0; i < space.count; i++) if (!skip?.(i)) indices.push(i);
    const paramsOf = (k: number) => ({ ...constants, ...resources, ...space.paramsAt(indices[k]!) });
    let outputs: unknown[];
    let failed: RunnerError | null = null;
    const failedAt = new Set<number>();
    if (model) {
      const result = await runInWorkers(model, indices.length, paramsOf, options);
      outputs = result.outputs;
      if (result.failures.length > 0) {
        failed = failedCalls(result.failures, indices.length, (k) => space.paramsAt(indices[k]!));
        for (const f of result.failures) failedAt.add(f.index);
      }
    } else {
      const fn = callable(this.fn);
      outputs = indices.map((_, k) => fn(paramsOf(k)));
    }
    let names = typeof this.options.varNames === 'string' ? [this.options.varNames] : this.options.varNames;
    let grid: ResultGrid | null = null;
    for (const [k, result] of outputs.entries()) {
      if (failedAt.has(k)) continue;
      const params = space.paramsAt(indices[k]!);
      if (!names) {
        // varNames: null: the first result names the outputs.
        if (typeof result !== 'object' || result === null || Array.isArray(result)) {
          throw new RunnerError('varNames: null needs the function to return an object of named outputs');
        }
        names = Object.keys(result);
      }
      grid ??= this.gridFor(space, names);
      try {
        grid.add(indices[k]!, result);
      } catch (error) {
        if (error instanceof OutputError) {
          const where = Object.entries(params)
            .map(([key, v]) => `${key}=${String(v)}`)
            .join(', ');
          throw new RunnerError(`at ${where}: ${error.message}`);
        }
        throw error;
      }
    }
    grid ??= this.gridFor(space, names ?? []);
    return { dataset: new Dataset(grid.toDataset(this.attrsFor(space))), failed, ran: indices.length - failedAt.size };
  }

  /** The dims each output has of its own, with their coords: given, else a constant of the same name. */
  private gridFor(space: Space, outputNames: string[]): ResultGrid {
    const { constants = {}, varDims = {} } = this.options;
    const inner = new Set(outputNames.flatMap((n) => varDims[n] ?? []));
    const coords: Record<string, Scalar[]> = {};
    for (const dim of inner) {
      const given = this.options.varCoords?.[dim] ?? constants[dim];
      if (Array.isArray(given) && given.every(isScalar)) coords[dim] = given;
    }
    return new ResultGrid(
      space,
      outputNames.map((name) => ({ name, dims: varDims[name] ?? [] })),
      coords,
    );
  }

  /** The attrs: given ones, and every constant that is plain data and not a dim's coords. */
  private attrsFor(space: Space): Record<string, Scalar | Scalar[]> {
    const { constants = {}, varDims = {} } = this.options;
    const dimNames = new Set(space.dims.map((d) => d.name).concat(Object.values(varDims).flat()));
    const attrs: Record<string, Scalar | Scalar[]> = { ...this.options.attrs };
    for (const [name, value] of Object.entries(constants)) {
      if (dimNames.has(name)) continue;
      if (isScalar(value) || (Array.isArray(value) && value.every(isScalar))) attrs[name] = value as Scalar | Scalar[];
    }
    return attrs;
  }
}

/** How a run goes: its workers and timeout, for a function from a module file. */
export type RunOptions = WorkerOptions;

export interface RunOutcome {
  dataset: Dataset;
  /** Calls that failed on workers, as one error; their cells are missing. */
  failed: RunnerError | null;
  /** How many calls gave results. */
  ran: number;
}

/** The space of some combos and cases, with the library's errors. */
export class SpaceOf extends Space {
  constructor(combos: CombosSpec, cases?: Params[]) {
    try {
      super({ combos, ...(cases ? { cases } : {}) });
    } catch (error) {
      throw new RunnerError((error as Error).message);
    }
  }
}

/** xyzpy's label decorator: the function and how its outputs are named, as a Runner. */
export function label(options: RunnerOptions): (fn: Model) => Runner {
  return (fn) => new Runner(fn, options);
}
