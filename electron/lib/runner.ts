// xyzpy's Runner and label(): a function of some parameters whose outputs are named and have dims of their own,
// run over combos and cases into a labelled Dataset. The outputs are checked and gathered by the engine's own
// ResultGrid, so a dataset made here is laid out exactly as `furrow run` lays out a study's. A function from
// `fromModule` runs on the engine's worker processes, as a study's module model does. A Runner is also its
// function: `runner(params)` calls it, as xyzpy's Runner does.
import { inspect } from 'node:util';
import { ResultGrid, OutputError } from '../engine/run/results';
import { Space } from '../../shared/space';
import type { CombosSpec, Scalar } from '../../shared/space';
import { isScalar } from '../../shared/space';
import type { CropOptions } from './crop';
import { Crop } from './crop';
import { Dataset } from './dataset';
import type { WorkerOptions } from './in-workers';
import { failedCalls, runInWorkers } from './in-workers';
import { callableClass, callingInstance } from './calling-instance';
import { moduleOf } from './module-function';
import type { Kind } from './options';
import { checkOptions, describe, kinds } from './options';
import { RunnerError } from './runner-error';
import type { RunnerOptions, RunnerSpec } from './runner-spec';
import type { Model, Params } from './runners';
import { callable, checkCombos, checkWorkers } from './runners';

/** The options of a Runner (and of label, which adds its own). */
export const RUNNER_OPTIONS: Record<keyof RunnerOptions, Kind> = {
  varNames: kinds.varNames,
  varDims: kinds.varDims,
  varCoords: kinds.varCoords,
  constants: kinds.record,
  resources: kinds.record,
  attrs: kinds.attrs,
};
/** How a run goes: workers and timeout. */
export const RUN_OPTIONS = { workers: kinds.count, timeout: kinds.seconds } satisfies Record<string, Kind>;

export class Runner implements RunnerSpec {
  declare readonly fn: Model;
  declare readonly options: RunnerOptions;
  /** The dataset the last runCombos or runCases made (xyzpy's last_ds); null before the first. */
  declare lastDataset: Dataset | null;

  constructor(fn: Model, options: RunnerOptions) {
    checkRunner('new Runner(fn, options)', fn, options, RUNNER_OPTIONS);
    const self = callingInstance<Runner>(fn, new.target.prototype);
    Object.defineProperties(self, { fn: { value: fn }, options: { value: options } });
    self.lastDataset = null;
    return self;
  }

  /** xyzpy's spelling of lastDataset. */
  get lastDs(): Dataset | null {
    return this.lastDataset;
  }

  /**
   * Every combination of `combos` (for each of `cases`, if given), as a Dataset: case dims, combo dims, output dims.
   * A function from `fromModule` runs on `workers` processes; an inline one in this process.
   */
  async runCombos(combos: CombosSpec, options: RunOptions & { cases?: Params[] } = {}): Promise<Dataset> {
    checkOptions('runCombos(combos, options)', options, { ...RUN_OPTIONS, cases: kinds.cases });
    checkCombos('runCombos', combos, 'a Runner has no file of stored values; harvest with a Harvester instead');
    return this.complete(await this.run(new SpaceOf(combos, options.cases), options));
  }

  /** Only these cases (each a setting of every parameter), as a Dataset; cells no case names are missing. */
  async runCases(cases: Params[], options: RunOptions = {}): Promise<Dataset> {
    checkOptions('runCases(cases, options)', options, RUN_OPTIONS);
    checkCases('runCases', cases);
    return this.complete(await this.run(new SpaceOf({}, cases), options));
  }

  /** xyzpy's Crop: sow the cases into batches on disk, grow them anywhere, reap them into one dataset. */
  crop(options: CropOptions): Crop {
    return new Crop(this, options);
  }

  /** What it runs and how its outputs are named, as xyzpy's repr of a Runner. */
  toString(): string {
    return runnerText(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  private complete(outcome: RunOutcome): Dataset {
    if (outcome.failed) throw outcome.failed;
    this.lastDataset = outcome.dataset;
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

callableClass(Runner);

/** Refuse a function that is none, ill-named options, and a Runner without varNames (xyzpy's one required option). */
export function checkRunner(where: string, fn: unknown, options: unknown, spec: Record<string, Kind>): void {
  if (typeof fn !== 'function') throw new RunnerError(`${where}: fn is ${describe(fn)}; give the function to run`);
  checkOptions(where, options, spec);
  if ((options as Partial<RunnerOptions> | undefined)?.varNames === undefined) {
    throw new RunnerError(
      `${where}: give varNames: the name of the output, a list of names in the order the function returns them, or null for a function that returns an object of named outputs`,
    );
  }
}

/** A Harvester's or a Sampler's first argument: a Runner, said so when it is not. */
export function checkRunnerGiven(where: string, runner: unknown): void {
  if (!(runner instanceof Runner)) {
    throw new RunnerError(
      `${where}: runner is ${describe(runner)}; give a Runner (new Runner(fn, { varNames }), or label({ varNames })(fn))`,
    );
  }
}

/** Cases are a list of objects, each setting the parameters by name. */
export function checkCases(where: string, cases: unknown): void {
  if (!Array.isArray(cases) || !cases.every((c) => kinds.cases.test([c]))) {
    throw new RunnerError(`${where}: cases is ${describe(cases)}; give ${kinds.cases.says}, e.g. [{ a: 1, b: 'x' }]`);
  }
}

/** A Runner as xyzpy prints one: its function, its outputs' names and dims, the names of its constants. */
function runnerText(runner: Runner): string {
  const show = (value: unknown) => inspect(value, { breakLength: Infinity, depth: 3 });
  const { varNames, varDims, varCoords, constants, resources, attrs } = runner.options;
  const model = moduleOf(runner.fn);
  const lines = ['<furrow.Runner>', `    fn: ${runner.fn.name || '(anonymous)'}${model ? ` from ${model.file}` : ''}`];
  lines.push(`    varNames: ${varNames === null ? 'null (the names of the object it returns)' : show(varNames)}`);
  if (varDims && Object.keys(varDims).length) lines.push(`    varDims: ${show(varDims)}`);
  if (varCoords && Object.keys(varCoords).length) lines.push(`    varCoords: ${show(varCoords)}`);
  if (constants && Object.keys(constants).length) lines.push(`    constants: ${show(Object.keys(constants))}`);
  if (resources && Object.keys(resources).length) lines.push(`    resources: ${show(Object.keys(resources))}`);
  if (attrs && Object.keys(attrs).length) lines.push(`    attrs: ${show(attrs)}`);
  if (runner.lastDataset) {
    const dims = Object.entries(runner.lastDataset.dims).map(([name, n]) => `${name}: ${n}`);
    lines.push(`    lastDataset: (${dims.join(', ')})`);
  }
  return lines.join('\n');
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
