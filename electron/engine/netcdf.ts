// Datasets on disk: HDF5 files in NetCDF4 conventions, written and read with h5wasm.
// The recipe (dimension scales, variable-length strings, int8 booleans, explicit NaN) is in
// ../shared/docs/NETCDF.md; every rule here is one xarray depends on.
import fs from 'node:fs';
import path from 'node:path';
import type { Dataset as H5Dataset, File as H5File } from 'h5wasm/node';
import type { ArraySlice, DatasetInfo } from '../../shared/api';
import type { LabelledDataset, LabelledDim, LabelledVariable } from '../../shared/labelled';
import { shapeOf } from '../../shared/labelled';
import type { Scalar } from '../../shared/space';
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
const PHONY_SCALE_PREFIX = 'This is a netCDF dimension but not a netCDF variable.';

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
  // Mixed kinds become their string forms, so the dim stays one type.
  return { data: values.map((v) => String(v)), attrs: {} };
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

function writeVariable(file: H5File, variable: LabelledVariable, dims: LabelledDim[], growableAxes: number): void {
  const shape = shapeOf(dims);
  let ds: H5Dataset;
  if (variable.kind === 'string') {
    ds = file.create_dataset({ name: variable.name, data: variable.data as string[], shape });
  } else {
    const maxshape = shape.map((s, axis) => (axis < growableAxes ? null : s));
    ds = file.create_dataset({
      name: variable.name,
      data: variable.data as Float64Array | Int8Array,
      shape,
      maxshape,
      chunks: chunkShape(shape),
    });
    if (variable.kind === 'float') ds.create_attribute('_FillValue', new Float64Array([NaN]), []);
    else {
      ds.create_attribute('_FillValue', new Int8Array([-1]), []);
      ds.create_attribute('dtype', 'bool');
    }
  }
  if (variable.attrs) writeAttrs(ds, variable.attrs);
  dims.forEach((dim, axis) => ds.attach_scale(axis, '/' + dim.name));
}

/**
 * Write a dataset to `target` safely: into a temporary file beside it, then renamed over it, so a crash
 * never leaves a half-written dataset. An existing file is first copied to `backupDir`.
 * `growableDims` names the dims that later harvests may extend (the parameter dims).
 */
export async function writeDataset(
  target: string,
  dataset: LabelledDataset,
  options: { growableDims?: string[]; backupDir?: string } = {},
): Promise<{ backup: string | null }> {
  const h5 = await loadH5();
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const growable = new Set(options.growableDims ?? []);
  const byName = new Map(dataset.dims.map((d) => [d.name, d]));
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
  } catch (error) {
    file.close();
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  file.close();
  let backup: string | null = null;
  if (fs.existsSync(target) && options.backupDir) {
    fs.mkdirSync(options.backupDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backup = path.join(options.backupDir, `${stamp}-${path.basename(target)}`);
    fs.copyFileSync(target, backup);
  }
  fs.renameSync(tmp, target);
  return { backup };
}

// ---- reading any NetCDF4/HDF5 file ----

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

async function openForReading(file: string): Promise<H5File> {
  const h5 = await loadH5();
  if (!fs.existsSync(file)) throw new FurrowError('not-found', `${file}: no such file`);
  try {
    return new h5.File(file, 'r');
  } catch (error) {
    throw new FurrowError(
      'bad-input',
      `${file}: not a readable HDF5/NetCDF4 file (${(error as Error).message.split('\n')[0]}); it may be truncated or still being written`,
    );
  }
}

function axisDims(ds: H5Dataset, rank: number): string[] {
  return Array.from({ length: rank }, (_, axis) => {
    const scales = ds.get_attached_scales(axis);
    return scales[0] ? scales[0].replace(/^\//, '') : `phony_dim_${axis}`;
  });
}

function describeOpen(h5: H5, file: H5File, filePath: string): DatasetInfo {
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
      dims.push({ name, size: shape[0]!, values: phony ? null : toScalars(ds.value) });
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
