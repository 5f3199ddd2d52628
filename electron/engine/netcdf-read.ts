// Reading any NetCDF4/HDF5 file (Furrow's own, xarray's with either engine, h5py's) with h5wasm: dims from
// dimension scales, coords, variables, attrs, and slices of them. Nothing here reads more than it is asked for.
import fs from 'node:fs';
import type { Dataset as H5Dataset, File as H5File } from 'h5wasm/node';
import type { ArraySlice, DatasetInfo } from '../../shared/api';
import type { LabelledDataset, LabelledDim, LabelledVariable, VariableKind } from '../../shared/labelled';
import type { Scalar } from '../../shared/space';
import { journalOf, recoverFile } from './dataset-journal';
import { FurrowError } from './errors';
import type { H5 } from './h5';
import { loadH5 } from './h5';

/** Attributes HDF5 and netCDF-C keep for themselves; a person never needs to see them. */
const INTERNAL_ATTRS = new Set([
  'CLASS',
  'NAME',
  'REFERENCE_LIST',
  'DIMENSION_LIST',
  '_Netcdf4Dimid',
  '_Netcdf4Coordinates',
  '_NCProperties',
  '_nc3_strict',
]);
export const PHONY_SCALE_PREFIX = 'This is a netCDF dimension but not a netCDF variable.';

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value)) {
    const arr = Array.from(value as unknown as ArrayLike<number | bigint>, (v) => plain(v));
    return arr.length === 1 ? arr[0] : arr;
  }
  if (Array.isArray(value)) return value.length === 1 ? plain(value[0]) : value.map(plain);
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? null : String(value);
  return value;
}

function readAttrs(entity: H5File | H5Dataset): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(entity.attrs)) {
    if (INTERNAL_ATTRS.has(name)) continue;
    try {
      out[name] = plain(attr.value);
    } catch {
      out[name] = `(unreadable ${attr.dtype} attribute)`;
    }
  }
  return out;
}

function toScalars(data: unknown): Scalar[] {
  if (Array.isArray(data)) return data.map((v) => (typeof v === 'bigint' ? Number(v) : (v as Scalar)));
  if (ArrayBuffer.isView(data)) return Array.from(data as unknown as ArrayLike<number | bigint>, (v) => Number(v));
  return [plain(data) as Scalar];
}

/** HDF5's own reason from its error stack: the innermost frame's words (e.g. 'truncated file: eof = 300, …'). */
export function h5Reason(message: string): string {
  const reasons = [...message.matchAll(/ in [\w.]+\(\): (.+)$/gm)].map((m) => m[1]!.trim());
  return reasons.at(-1) ?? message.split('\n')[0]!;
}

/**
 * Open any HDF5 file for reading. A change of it that a killed process left unfinished is rolled back first
 * (dataset-journal.ts); one that a running process is making is waited out by saying so.
 */
export async function openForReading(file: string): Promise<H5File> {
  const h5 = await loadH5();
  if (!fs.existsSync(file)) throw new FurrowError('not-found', `${file}: no such file`);
  recoverFile(file);
  if (fs.existsSync(journalOf(file))) {
    throw new FurrowError('busy', `${file} is being changed by a harvest right now; read it again when that is done`);
  }
  try {
    return new h5.File(file, 'r');
  } catch (error) {
    throw new FurrowError(
      'bad-input',
      `${file}: not a readable HDF5/NetCDF4 file (${h5Reason((error as Error).message)}); it may be truncated or still being written`,
    );
  }
}

function axisDims(ds: H5Dataset, rank: number): string[] {
  return Array.from({ length: rank }, (_, axis) => {
    const scales = ds.get_attached_scales(axis);
    return scales[0] ? scales[0].replace(/^\//, '') : `phony_dim_${axis}`;
  });
}

export function describeOpen(h5: H5, file: H5File, filePath: string): DatasetInfo {
  const dims: DatasetInfo['dims'] = [];
  const variables: DatasetInfo['variables'] = [];
  for (const name of file.keys()) {
    const entity = file.get(name);
    if (!(entity instanceof h5.Dataset)) continue;
    const ds = entity;
    const shape = ds.shape ?? [];
    const scaleName = ds.get_scale_name();
    if (scaleName !== null && shape.length === 1) {
      const phony = scaleName.startsWith(PHONY_SCALE_PREFIX);
      // Boolean coordinates are stored as int8 with dtype "bool" (xarray's encoding): read them back as booleans.
      const isBool = readAttrs(ds)['dtype'] === 'bool';
      const values = phony ? null : toScalars(ds.value).map((v) => (isBool ? Boolean(v) : v));
      dims.push({ name, size: shape[0]!, values });
      continue;
    }
    variables.push({
      name,
      dims: axisDims(ds, shape.length),
      shape,
      dtype: readAttrs(ds)['dtype'] === 'bool' ? 'bool' : describeDtype(ds),
      attrs: readAttrs(ds),
    });
  }
  return { path: filePath, dims, variables, attrs: readAttrs(file) };
}

function describeDtype(ds: H5Dataset): string {
  const m = ds.metadata;
  if (m.type === 3) return 'string';
  if (m.type === 1) return `float${m.size * 8}`;
  if (m.type === 0) return `${m.signed ? 'int' : 'uint'}${m.size * 8}`;
  return String(ds.dtype);
}

export async function describeDataset(filePath: string): Promise<DatasetInfo> {
  const h5 = await loadH5();
  const file = await openForReading(filePath);
  try {
    return describeOpen(h5, file, filePath);
  } finally {
    file.close();
  }
}

/** The values of a dim's coordinate variable, or 0..n-1 where it has none. */
function coordValues(file: H5File, h5: H5, dim: string, size: number): Scalar[] {
  const ds = file.get(dim);
  if (ds instanceof h5.Dataset && !(ds.get_scale_name() ?? '').startsWith(PHONY_SCALE_PREFIX))
    return toScalars(ds.value);
  return Array.from({ length: size }, (_, i) => i);
}

/**
 * Read one slice: dims named in `select` are fixed at that index, the others are read whole. Only the
 * selected region and the kept dims' coords are read, never the whole file. Missing values come back as null.
 */
export async function readSlice(
  filePath: string,
  variable: string,
  select: Record<string, number>,
): Promise<ArraySlice> {
  const h5 = await loadH5();
  const file = await openForReading(filePath);
  try {
    const ds = file.get(variable);
    if (!(ds instanceof h5.Dataset)) throw new FurrowError('not-found', `${filePath} has no variable '${variable}'`);
    const shape = ds.shape ?? [];
    const dims = axisDims(ds, shape.length);
    for (const name of Object.keys(select)) {
      if (!dims.includes(name))
        throw new FurrowError('bad-input', `'${variable}' has no dim '${name}' (its dims: ${dims.join(', ')})`);
    }
    const ranges = dims.map((dim, axis): [number, number] => {
      const at = select[dim];
      if (at === undefined) return [0, shape[axis]!];
      if (at >= shape[axis]!)
        throw new FurrowError('bad-input', `index ${at} is past the end of dim '${dim}' (size ${shape[axis]})`);
      return [at, at + 1];
    });
    const fill = plain(ds.attrs['_FillValue']?.value);
    const missing = (x: Scalar) =>
      (typeof x === 'number' && (Number.isNaN(x) || x === fill)) || (x === fill && fill !== undefined);
    const raw = shape.length === 0 ? ds.value : ds.slice(ranges);
    const values = toScalars(raw).map((x) => (missing(x) ? null : typeof x === 'boolean' ? Number(x) : x));
    const kept = dims.filter((d) => select[d] === undefined);
    const keptShape = kept.map((d) => shape[dims.indexOf(d)]!);
    const coords = Object.fromEntries(kept.map((d, i) => [d, coordValues(file, h5, d, keptShape[i]!)]));
    return { variable, dims: kept, shape: keptShape, coords, values };
  } finally {
    file.close();
  }
}

/**
 * A whole dataset in memory, as Furrow writes them: floats as float64 (NaN missing), `dtype: bool` int8 as
 * booleans (-1 missing), strings as strings ("" missing); other numeric types are read as float64 with their
 * `_FillValue` as NaN. For merging a run into a study's dataset; a viewer reads slices instead.
 */
export async function readDataset(filePath: string): Promise<LabelledDataset> {
  const h5 = await loadH5();
  const file = await openForReading(filePath);
  try {
    const info = describeOpen(h5, file, filePath);
    const dims: LabelledDim[] = info.dims.map((d) => ({ name: d.name, values: d.values, size: d.size }));
    const variables: LabelledVariable[] = info.variables.map((v) => {
      const ds = file.get(v.name) as H5Dataset;
      const { _FillValue: fill, dtype: _dtype, ...attrs } = v.attrs;
      const raw = ds.value;
      let kind: VariableKind;
      let data: LabelledVariable['data'];
      if (v.dtype === 'string') {
        kind = 'string';
        data = toScalars(raw).map(String);
      } else if (v.dtype === 'bool') {
        kind = 'bool';
        data = Int8Array.from(toScalars(raw) as number[]);
      } else {
        kind = 'float';
        data = Float64Array.from(toScalars(raw) as number[], (x) => (x === fill ? NaN : x));
      }
      return { name: v.name, dims: v.dims, kind, data, attrs: attrs as Record<string, Scalar | Scalar[]> };
    });
    return { dims, variables, attrs: info.attrs as Record<string, Scalar | Scalar[]> };
  } finally {
    file.close();
  }
}

/** One dataset of any HDF5 file, whole, as nested arrays of numbers (or strings): a command model's output. */
export async function readArray(filePath: string, inner: string): Promise<unknown> {
  const h5 = await loadH5();
  const file = await openForReading(filePath);
  try {
    const ds = file.get(inner);
    if (!(ds instanceof h5.Dataset)) throw new FurrowError('not-found', `${filePath} has no dataset ${inner}`);
    const shape = ds.shape ?? [];
    const flat = toScalars(ds.value);
    if (shape.length === 0) return flat[0];
    const nest = (offset: number, axis: number): unknown => {
      const size = shape[axis]!;
      const step = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      return axis === shape.length - 1
        ? flat.slice(offset, offset + size)
        : Array.from({ length: size }, (_, i) => nest(offset + i * step, axis + 1));
    };
    return nest(0, 0);
  } finally {
    file.close();
  }
}
