// What a Runner is, as data: its function and the options that name and shape its outputs. Apart from runner.ts so
// that a Crop, which a Runner makes, takes one without importing the Runner back.
import type { Scalar } from '../../shared/space';
import type { Model } from './runners';

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

/** A Runner as a Crop reads it: the function its growers import, and its outputs. */
export interface RunnerSpec {
  readonly fn: Model;
  readonly options: RunnerOptions;
}
