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

/** Numbers as a file stores them: each HDF5 integer and float type as its own typed array. */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/**
 * A variable as read from any file, for a person to use (the library's Dataset): integers and float32 keep their
 * stored type (`dtype`: int8 … uint64, float32, float64), CF-decoded ones are float64, dates ISO strings.
 */
export interface StoredVariable {
  name: string;
  dims: string[];
  kind: VariableKind | 'int' | 'date';
  /** The stored type (int32, float32, …); absent: as `kind` says (float64, bool, string). */
  dtype?: string;
  /** Row-major over `dims`. Missing: NaN (floats), -1 (bools), "" (strings), 'NaT' (dates); integers have none. */
  data: NumericArray | string[];
  attrs?: Record<string, Scalar | Scalar[]>;
}

export interface StoredDataset {
  dims: (LabelledDim & { time?: { units: string; calendar: string } | undefined })[];
  variables: StoredVariable[];
  attrs: Record<string, Scalar | Scalar[]>;
}
