// xyzpy's Runner and label(): a function of some parameters whose outputs are named and have dims of their own,
// run over combos and cases into a labelled Dataset. The outputs are checked and gathered by the engine's own
// ResultGrid, so a dataset made here is laid out exactly as `furrow run` lays out a study's.
import { ResultGrid, OutputError } from '../engine/results';
import { Space } from '../../shared/space';
import type { CombosSpec, Scalar } from '../../shared/space';
import { isScalar } from '../../shared/space';
import { Dataset } from './dataset';
import { RunnerError } from './runners';
import type { Params } from './runners';

export interface RunnerOptions {
  /** The outputs' names, in the order an array result gives them; null: the function returns an object of them. */
  varNames: string[] | string | null;
  /** Each output's own dims (none: a scalar). */
  varDims?: Record<string, string[]>;
  /** Coordinates of those dims; a dim without them takes a constant of the same name, else 0, 1, 2, … */
  varCoords?: Record<string, Scalar[]>;
  /** Passed to every call and stored as attrs (a constant that names a dim is its coords instead). */
  constants?: Record<string, unknown>;
  /** Passed to every call, not stored (xyzpy's resources: a thread count, a cache). */
  resources?: Record<string, unknown>;
  attrs?: Record<string, Scalar | Scalar[]>;
}

/** The function run: its parameters, constants and resources by name. */
type Fn = (params: Record<string, unknown>) => unknown;

export class Runner {
  constructor(
    readonly fn: Fn,
    readonly options: RunnerOptions,
  ) {}

  /** Every combination of `combos` (for each of `cases`, if given), as a Dataset: case dims, combo dims, output dims. */
  runCombos(combos: CombosSpec, options: { cases?: Params[] } = {}): Dataset {
    return this.run({ combos, ...(options.cases ? { cases: options.cases } : {}) });
  }

  /** Only these cases (each a setting of every parameter), as a Dataset; cells no case names are missing. */
  runCases(cases: Params[]): Dataset {
    return this.run({ combos: {}, cases });
  }

  private run(spec: { combos: CombosSpec; cases?: Params[] }): Dataset {
    let space: Space;
    try {
      space = new Space(spec);
    } catch (error) {
      throw new RunnerError((error as Error).message);
    }
    const { constants = {}, resources = {}, varDims = {} } = this.options;
    let names = typeof this.options.varNames === 'string' ? [this.options.varNames] : this.options.varNames;
    let grid: ResultGrid | null = null;
    const gridFor = (outputNames: string[]) => {
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
    };
    for (let i = 0; i < space.count; i++) {
      const params = space.paramsAt(i);
      const result = this.fn({ ...constants, ...resources, ...params });
      if (!names) {
        // varNames: null: the first result names the outputs.
        if (typeof result !== 'object' || result === null || Array.isArray(result)) {
          throw new RunnerError('varNames: null needs the function to return an object of named outputs');
        }
        names = Object.keys(result);
      }
      grid ??= gridFor(names);
      try {
        grid.add(i, result);
      } catch (error) {
        if (error instanceof OutputError) {
          const where = Object.entries(params)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', ');
          throw new RunnerError(`at ${where}: ${error.message}`);
        }
        throw error;
      }
    }
    grid ??= gridFor(names ?? []);
    const dimNames = new Set(space.dims.map((d) => d.name).concat(Object.values(varDims).flat()));
    const attrs: Record<string, Scalar | Scalar[]> = { ...this.options.attrs };
    for (const [name, value] of Object.entries(constants)) {
      if (dimNames.has(name)) continue;
      if (isScalar(value) || (Array.isArray(value) && value.every(isScalar))) attrs[name] = value as Scalar | Scalar[];
    }
    return new Dataset(grid.toDataset(attrs));
  }
}

/** xyzpy's label decorator: the function and how its outputs are named, as a Runner. */
export function label(options: RunnerOptions): (fn: Fn) => Runner {
  return (fn) => new Runner(fn, options);
}
