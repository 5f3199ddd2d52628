// The labelled-array model: dims with coordinate values and variables over them, as xarray has it.
import type { Scalar } from './space';

export interface LabelledDim {
  name: string;
  /** Coordinate values; null for a dim that has a length but no coordinate variable. */
  values: Scalar[] | null;
  size: number;
}

/** How a variable is stored: float64 with NaN for missing, int8 booleans, variable-length strings. */
export type VariableKind = 'float' | 'bool' | 'string';

export interface LabelledVariable {
  name: string;
  dims: string[];
  kind: VariableKind;
  /** Row-major over `dims`. Floats: NaN where missing; bools: -1 where missing; strings: "" where missing. */
  data: Float64Array | Int8Array | string[];
  attrs?: Record<string, Scalar | Scalar[]>;
}

export interface LabelledDataset {
  dims: LabelledDim[];
  variables: LabelledVariable[];
  attrs: Record<string, Scalar | Scalar[]>;
}

export function shapeOf(dims: { size: number }[]): number[] {
  return dims.map((d) => d.size);
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((n, s) => n * s, 1);
}

/** The kind a scalar output value is stored as. */
export function kindOf(value: unknown): VariableKind | null {
  if (typeof value === 'number') return 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  return null;
}
