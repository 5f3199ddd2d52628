// A labelled N-d array of numbers and what a facet plot does to one: select, reduce, squeeze, log10, normalize,
// diff, transpose. Missing values are NaN; reductions skip them, as xarray's do for floats.
import { PlotSpecError, type Reducer, type TransformStep } from './plot-spec';
import type { Scalar } from './space';

export interface NdArray {
  dims: string[];
  shape: number[];
  /** The coordinate values of each dim, in dims' order. */
  coords: Scalar[][];
  /** Row-major over dims. */
  data: Float64Array;
}

const sizeOf = (shape: number[]) => shape.reduce((n, s) => n * s, 1);

function axisOf(a: NdArray, dim: string, what: string): number {
  const axis = a.dims.indexOf(dim);
  if (axis < 0) throw new PlotSpecError(`${what}: no dim '${dim}' here (dims: ${a.dims.join(', ') || 'none'})`);
  return axis;
}

/** Split the array around one axis: `pre` blocks of `n` values `post` apart. */
function around(a: NdArray, axis: number) {
  return { pre: sizeOf(a.shape.slice(0, axis)), n: a.shape[axis]!, post: sizeOf(a.shape.slice(axis + 1)) };
}

function without<T>(list: T[], axis: number): T[] {
  return list.filter((_, i) => i !== axis);
}

/** Keep the values at positions `indices` along a dim (the dim stays). */
export function take(a: NdArray, dim: string, indices: number[]): NdArray {
  const axis = axisOf(a, dim, 'isel');
  const { pre, n, post } = around(a, axis);
  const data = new Float64Array(pre * indices.length * post);
  for (let p = 0; p < pre; p++) {
    for (let k = 0; k < indices.length; k++) {
      const from = (p * n + indices[k]!) * post;
      data.set(a.data.subarray(from, from + post), (p * indices.length + k) * post);
    }
  }
  const shape = [...a.shape];
  shape[axis] = indices.length;
  const coords = [...a.coords];
  coords[axis] = indices.map((i) => a.coords[axis]![i]!);
  return { dims: a.dims, shape, coords, data };
}

/** Fix a dim at one index (negative counts from the end); the dim goes. */
export function isel(a: NdArray, dim: string, index: number): NdArray {
  const axis = axisOf(a, dim, 'isel');
  const n = a.shape[axis]!;
  const at = index < 0 ? n + index : index;
  if (at < 0 || at >= n) throw new PlotSpecError(`isel: index ${index} is outside '${dim}' (length ${n})`);
  // A dim of length 1 goes without copying the values (a dim fixed when it was read is one).
  return drop(n === 1 ? a : take(a, dim, [at]), axis);
}

/** Remove an axis of length 1. */
function drop(a: NdArray, axis: number): NdArray {
  return { dims: without(a.dims, axis), shape: without(a.shape, axis), coords: without(a.coords, axis), data: a.data };
}

/** The index of a coordinate value along a dim: equal, or for numbers within a relative 1e-9. */
export function indexOfValue(coords: Scalar[], value: Scalar, dim: string): number {
  let at = coords.findIndex((c) => c === value);
  if (at < 0 && typeof value === 'number') {
    at = coords.findIndex((c) => typeof c === 'number' && Math.abs(c - value) <= 1e-9 * Math.max(1, Math.abs(value)));
  }
  if (at < 0 && typeof value === 'string') at = coords.findIndex((c) => String(c) === value);
  if (at < 0) {
    const shown = coords.slice(0, 8).map((c) => JSON.stringify(c));
    throw new PlotSpecError(
      `sel: ${JSON.stringify(value)} is not a value of '${dim}' (its values: ${shown.join(', ')}` +
        `${coords.length > 8 ? `, … ${coords.length} in all` : ''})`,
    );
  }
  return at;
}

export function sel(a: NdArray, dim: string, value: Scalar): NdArray {
  const axis = axisOf(a, dim, 'sel');
  return isel(a, dim, indexOfValue(a.coords[axis]!, value, dim));
}

function reduceValues(values: number[], op: Reducer): number {
  const xs = values.filter((x) => !Number.isNaN(x));
  if (xs.length === 0) return NaN;
  switch (op) {
    case 'sum':
      return xs.reduce((s, x) => s + x, 0);
    case 'mean':
      return xs.reduce((s, x) => s + x, 0) / xs.length;
    case 'min':
      return xs.reduce((m, x) => (x < m ? x : m), Infinity);
    case 'max':
      return xs.reduce((m, x) => (x > m ? x : m), -Infinity);
    case 'std': {
      // Population standard deviation, as numpy's and xarray's default (ddof = 0).
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    }
    case 'median': {
      xs.sort((p, q) => p - q);
      const mid = xs.length >> 1;
      return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
    }
  }
}

/** Reduce a dim with mean, median, min, max, std or sum, skipping NaN; the dim goes. */
export function reduce(a: NdArray, dim: string, op: Reducer): NdArray {
  const axis = axisOf(a, dim, `reduce (${op})`);
  const { pre, n, post } = around(a, axis);
  const data = new Float64Array(pre * post);
  const values = new Array<number>(n);
  for (let p = 0; p < pre; p++) {
    for (let q = 0; q < post; q++) {
      for (let k = 0; k < n; k++) values[k] = a.data[(p * n + k) * post + q]!;
      data[p * post + q] = reduceValues(values, op);
    }
  }
  return { dims: without(a.dims, axis), shape: without(a.shape, axis), coords: without(a.coords, axis), data };
}

export function squeeze(a: NdArray): NdArray {
  const keep = a.shape.map((s, i) => (s === 1 ? -1 : i)).filter((i) => i >= 0);
  return {
    dims: keep.map((i) => a.dims[i]!),
    shape: keep.map((i) => a.shape[i]!),
    coords: keep.map((i) => a.coords[i]!),
    data: a.data,
  };
}

export function log10(a: NdArray): NdArray {
  return { ...a, data: a.data.map((x) => (x > 0 ? Math.log10(x) : NaN)) };
}

/** Scale to [0, 1]: over the whole array, or separately along each line of one dim. */
export function normalize(a: NdArray, dim: string | true): NdArray {
  const data = new Float64Array(a.data.length);
  const scale = (indices: (k: number) => number, n: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < n; k++) {
      const x = a.data[indices(k)]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    for (let k = 0; k < n; k++) {
      const x = a.data[indices(k)]!;
      data[indices(k)] = hi > lo ? (x - lo) / (hi - lo) : Number.isNaN(x) ? NaN : 0;
    }
  };
  if (dim === true) scale((k) => k, a.data.length);
  else {
    const { pre, n, post } = around(a, axisOf(a, dim, 'normalize'));
    for (let p = 0; p < pre; p++) for (let q = 0; q < post; q++) scale((k) => (p * n + k) * post + q, n);
  }
  return { ...a, data };
}

/** Differences of neighbours along a dim: one value fewer, each at the later coordinate. */
export function diff(a: NdArray, dim: string): NdArray {
  const axis = axisOf(a, dim, 'diff');
  const { pre, n, post } = around(a, axis);
  if (n < 2) throw new PlotSpecError(`diff: '${dim}' has ${n} value; it needs at least two`);
  const data = new Float64Array(pre * (n - 1) * post);
  for (let p = 0; p < pre; p++)
    for (let k = 1; k < n; k++)
      for (let q = 0; q < post; q++)
        data[(p * (n - 1) + k - 1) * post + q] = a.data[(p * n + k) * post + q]! - a.data[(p * n + k - 1) * post + q]!;
  const shape = [...a.shape];
  shape[axis] = n - 1;
  const coords = [...a.coords];
  coords[axis] = a.coords[axis]!.slice(1);
  return { dims: a.dims, shape, coords, data };
}

/** The same values with the dims in another order. */
export function transpose(a: NdArray, order: string[]): NdArray {
  const axes = order.map((d) => axisOf(a, d, 'transpose'));
  if (axes.length !== a.dims.length) throw new PlotSpecError(`transpose: give every dim (${a.dims.join(', ')})`);
  if (axes.every((axis, i) => axis === i)) return a;
  const shape = axes.map((axis) => a.shape[axis]!);
  const fromStrides = a.shape.map((_, i) => sizeOf(a.shape.slice(i + 1)));
  const strides = axes.map((axis) => fromStrides[axis]!);
  const data = new Float64Array(a.data.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let out = 0; out < data.length; out++) {
    let from = 0;
    for (let i = 0; i < index.length; i++) from += index[i]! * strides[i]!;
    data[out] = a.data[from]!;
    for (let i = index.length - 1; i >= 0; i--) {
      if (++index[i]! < shape[i]!) break;
      index[i] = 0;
    }
  }
  return { dims: order, shape, coords: axes.map((axis) => a.coords[axis]!), data };
}

/** Apply one transform step. */
export function applyStep(a: NdArray, step: TransformStep): NdArray {
  if ('sel' in step) return Object.entries(step.sel).reduce((b, [d, v]) => sel(b, d, v), a);
  if ('isel' in step) return Object.entries(step.isel).reduce((b, [d, i]) => isel(b, d, i), a);
  if ('reduce' in step) return Object.entries(step.reduce).reduce((b, [d, op]) => reduce(b, d, op), a);
  if ('squeeze' in step) return squeeze(a);
  if ('log10' in step) return log10(a);
  if ('normalize' in step) return normalize(a, step.normalize);
  return diff(a, step.diff);
}
