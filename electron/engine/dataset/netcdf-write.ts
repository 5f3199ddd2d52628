// Writing datasets: HDF5 files in NetCDF4 conventions, with h5wasm. The recipe (dimension scales attached to every
// variable, variable-length UTF-8 strings, int8 booleans marked dtype: bool, NaN written explicitly with _FillValue)
// is in docs/architecture.md, "The dataset file"; every rule here is one xarray depends on.
import fs from 'node:fs';
import path from 'node:path';
import type { Dataset as H5Dataset, File as H5File } from 'h5wasm/node';
import type { LabelledDataset, LabelledDim, LabelledVariable } from '../../../shared/labelled';
import { shapeOf, sizeOf } from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { removeStaleTemporaries, temporaryOf } from './atomic-file';
import { asDiskError, ensureRoom } from './disk';
import { loadH5 } from './h5';
import { mixedCoord } from './mixed-coords';
import { PHONY_SCALE_PREFIX } from './netcdf-read';

/** Aim for chunks of about this many elements: small enough to append cheaply, big enough to read fast. */
const CHUNK_ELEMENTS = 1 << 16;

function chunkShape(shape: number[]): number[] {
  const chunks = shape.map((s) => Math.max(1, s));
  // Halve the outermost axes first: appends happen along parameter dims, reads often along the inner ones.
  let total = chunks.reduce((a, b) => a * b, 1);
  for (let axis = 0; total > CHUNK_ELEMENTS && axis < chunks.length; axis++) {
    while (total > CHUNK_ELEMENTS && chunks[axis]! > 1) {
      chunks[axis] = Math.ceil(chunks[axis]! / 2);
      total = chunks.reduce((a, b) => a * b, 1);
    }
  }
  return chunks;
}

function coordData(values: Scalar[]): {
  data: Float64Array | BigInt64Array | Int8Array | string[];
  attrs: Record<string, string>;
} {
  if (values.every((v) => typeof v === 'boolean')) {
    return { data: Int8Array.from(values, (v) => (v ? 1 : 0)), attrs: { dtype: 'bool' } };
  }
  if (values.every((v) => typeof v === 'number')) {
    const nums = values as number[];
    if (nums.every((v) => Number.isSafeInteger(v))) {
      return { data: BigInt64Array.from(nums, (v) => BigInt(v)), attrs: {} };
    }
    return { data: Float64Array.from(nums), attrs: {} };
  }
  // Mixed kinds (or null) become strings, as xarray stores an object coordinate; the values are kept beside.
  return mixedCoord(values);
}

function writeAttrs(target: H5File | H5Dataset, attrs: Record<string, Scalar | Scalar[]>): void {
  for (const [name, value] of Object.entries(attrs)) {
    const values = Array.isArray(value) ? value : [value];
    const shape = Array.isArray(value) ? [values.length] : [];
    if (values.every((v) => typeof v === 'string')) {
      target.create_attribute(name, Array.isArray(value) ? (values as string[]) : (value as string));
    } else if (values.every((v) => typeof v === 'boolean')) {
      target.create_attribute(
        name,
        Int8Array.from(values, (v) => (v ? 1 : 0)),
        shape,
      );
    } else if (values.every((v) => typeof v === 'number')) {
      const nums = values as number[];
      const data = nums.every(Number.isSafeInteger)
        ? BigInt64Array.from(nums, (v) => BigInt(v))
        : Float64Array.from(nums);
      target.create_attribute(name, data, shape);
    } else {
      target.create_attribute(name, JSON.stringify(value));
    }
  }
}

function writeDim(file: H5File, dim: LabelledDim, growable: boolean): void {
  const maxshape = growable ? [null] : null;
  const chunks = growable ? [Math.max(1, Math.min(dim.size, 4096))] : null;
  if (dim.values === null) {
    const ds = file.create_dataset({
      name: dim.name,
      data: new Float32Array(dim.size),
      shape: [dim.size],
      maxshape,
      chunks,
    });
    ds.make_scale(PHONY_SCALE_PREFIX + String(dim.size).padStart(10));
    return;
  }
  const { data, attrs } = coordData(dim.values);
  const ds = Array.isArray(data)
    ? file.create_dataset({ name: dim.name, data, shape: [dim.size] })
    : file.create_dataset({ name: dim.name, data, shape: [dim.size], maxshape, chunks });
  writeAttrs(ds, attrs);
  ds.make_scale(dim.name);
}

/** Writes one slab of a variable: its ranges along each axis, and the values in them (C order). */
export type SlabWriter = (ranges: [number, number][], data: Float64Array | Int8Array) => void;

/**
 * A dataset to write. A variable without values (null) is written with every cell missing, a slab at a time, or,
 * when it has `slabs`, by them: they are handed a writer and write the variable a slab at a time themselves (a file
 * copied without being held whole).
 */
export type WritableDataset = Omit<LabelledDataset, 'variables'> & {
  variables: (Omit<LabelledVariable, 'data'> & {
    data: LabelledVariable['data'] | null;
    slabs?: (write: SlabWriter) => void;
  })[];
};
type WritableVariable = WritableDataset['variables'][number];

/** Missing values (NaN, -1 for booleans, "" for strings) for `n` cells. */
function missing(kind: LabelledVariable['kind'], n: number): LabelledVariable['data'] {
  if (kind === 'string') return new Array<string>(n).fill('');
  if (kind === 'bool') return new Int8Array(n).fill(-1);
  return new Float64Array(n).fill(NaN);
}

/** Write missing values over a region of `ds`, in slabs of at most 2^20 values (8 MiB of float64) at a time. */
export function writeBlank(
  ds: H5Dataset,
  kind: LabelledVariable['kind'],
  region: { start: number[]; shape: number[] },
): void {
  const axis = region.shape.findIndex((n) => n > 1);
  const per = sizeOf(region.shape.slice(axis + 1));
  const step = axis === -1 ? 1 : Math.max(1, Math.floor(2 ** 20 / per));
  const length = axis === -1 ? 1 : region.shape[axis]!;
  for (let at = 0; at < length; at += step) {
    const n = Math.min(step, length - at);
    const start = region.start.map((s, a) => (a === axis ? s + at : s));
    const shape = region.shape.map((m, a) => (a === axis ? n : m));
    ds.write_slice(
      start.map((s, a): [number, number] => [s, s + shape[a]!]),
      missing(kind, sizeOf(shape)) as Float64Array | Int8Array,
    );
  }
}

function writeVariable(file: H5File, variable: WritableVariable, dims: LabelledDim[], growableAxes: number): void {
  const shape = shapeOf(dims);
  let ds: H5Dataset;
  // Strings are written whole (h5wasm writes no slice of them), so are variables that cannot grow.
  const data =
    variable.data ?? (variable.kind === 'string' || growableAxes === 0 ? missing(variable.kind, sizeOf(shape)) : null);
  if (variable.kind === 'string') {
    ds = file.create_dataset({ name: variable.name, data: data as string[], shape });
  } else {
    const maxshape = shape.map((s, axis) => (axis < growableAxes ? null : s));
    // Without values: made empty along its first dim, then grown and filled a slab at a time.
    const made = data ? shape : shape.map((s, axis) => (axis === 0 ? 0 : s));
    ds = file.create_dataset({
      name: variable.name,
      data: (data ?? new Float64Array(0)) as Float64Array | Int8Array,
      shape: made,
      maxshape,
      chunks: chunkShape(shape),
      ...(data || variable.kind !== 'bool' ? {} : { dtype: '<b' }),
    });
    if (!data) {
      ds.resize(shape);
      if (variable.slabs) variable.slabs((ranges, values) => ds.write_slice(ranges, values));
      else writeBlank(ds, variable.kind, { start: shape.map(() => 0), shape });
    }
    if (variable.kind === 'float') ds.create_attribute('_FillValue', new Float64Array([NaN]), []);
    else {
      ds.create_attribute('_FillValue', new Int8Array([-1]), []);
      ds.create_attribute('dtype', 'bool');
    }
  }
  if (variable.attrs) writeAttrs(ds, variable.attrs);
  dims.forEach((dim, axis) => ds.attach_scale(axis, '/' + dim.name));
}

/** About how many bytes a dataset takes on disk: its values and coordinates, and room for HDF5's own records. */
export function bytesOf(dataset: WritableDataset): number {
  const valueBytes = (data: LabelledVariable['data'] | Scalar[] | undefined) =>
    !data
      ? 0
      : Array.isArray(data)
        ? (data as Scalar[]).reduce<number>((n, v) => n + 16 + String(v).length, 0)
        : data.byteLength;
  let bytes = 64 * 1024;
  for (const d of dataset.dims) bytes += d.values ? valueBytes(d.values) : 8 * d.size;
  const sizeOfDim = new Map(dataset.dims.map((d) => [d.name, d.size]));
  for (const v of dataset.variables) {
    const cells = sizeOf(v.dims.map((d) => sizeOfDim.get(d) ?? 1));
    bytes += (v.data ? valueBytes(v.data) : cells * (v.kind === 'bool' ? 1 : 8)) + 4096;
  }
  return bytes;
}

/**
 * Write a dataset to `target` safely: into a temporary file beside it, then renamed over it, so a crash
 * never leaves a half-written dataset (backups are the caller's: see runner.ts). A write that fails (a full disk,
 * say) leaves `target` as it was and no temporary file behind; temporary files of writers that were killed are
 * removed first. `growableDims` names the dims that later harvests may extend (the parameter dims).
 */
export async function writeDataset(
  target: string,
  dataset: WritableDataset,
  options: { growableDims?: string[] } = {},
): Promise<void> {
  const h5 = await loadH5();
  fs.mkdirSync(path.dirname(target), { recursive: true });
  removeStaleTemporaries(target);
  const kept = fs.existsSync(target) ? 'The dataset is as it was before' : 'No dataset was written';
  ensureRoom(target, bytesOf(dataset), 'the dataset', kept);
  const tmp = temporaryOf(target, true);
  const growable = new Set(options.growableDims ?? []);
  const byName = new Map(dataset.dims.map((d) => [d.name, d]));
  try {
    const file = new h5.File(tmp, 'w');
    try {
      for (const dim of dataset.dims) writeDim(file, dim, growable.has(dim.name));
      for (const variable of dataset.variables) {
        const dims = variable.dims.map((name) => {
          const dim = byName.get(name);
          if (!dim) throw new Error(`variable ${variable.name} uses dim ${name}, which the dataset does not have`);
          return dim;
        });
        const growableAxes = variable.dims.findIndex((d) => !growable.has(d));
        writeVariable(file, variable, dims, growableAxes === -1 ? dims.length : growableAxes);
      }
      writeAttrs(file, dataset.attrs);
    } finally {
      file.close();
    }
    // On disk before the rename: a power cut after it never leaves a dataset whose bytes were still in memory.
    const fd = fs.openSync(tmp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw asDiskError(error, target, kept);
  }
}
