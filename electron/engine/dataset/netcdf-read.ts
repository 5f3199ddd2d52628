// Reading any NetCDF4/HDF5 file (Furrow's own, xarray's with either engine, h5py's) with h5wasm: dims from
// dimension scales, coords, variables, attrs, and slices of them. Nothing here reads more than it is asked for.
import fs from 'node:fs';
import type { Dataset as H5Dataset, File as H5File, Group as H5Group } from 'h5wasm/node';
import type { ArraySlice, DatasetInfo } from '../../../shared/api';
import type { TreeLink } from '../../../shared/data-tree';
import type {
  LabelledDataset,
  LabelledDim,
  LabelledVariable,
  NumericArray,
  StoredDataset,
  StoredVariable,
  VariableKind,
} from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { cfDecodingOf, decodeCells, decodeCoords, decodeNumbers } from './cf';
import { journalOf, recoverFile } from './dataset-journal';
import { FurrowError } from '../errors';
import type { H5 } from './h5';
import { loadH5 } from './h5';
import { typedCoords } from './mixed-coords';

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

/** An attribute's value as JSON can hold it: int64 as a number where that is exact, else as its decimal string. */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (ArrayBuffer.isView(value)) {
    const arr = Array.from(value as unknown as ArrayLike<number | bigint>, (v) => plain(v));
    return arr.length === 1 ? arr[0] : arr;
  }
  if (Array.isArray(value)) return value.length === 1 ? plain(value[0]) : value.map(plain);
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? null : String(value);
  return value;
}

/** An entity's attributes; with `maxValues`, a larger array attribute is described instead of read. */
export function readAttrs(entity: H5Group | H5Dataset, maxValues = Infinity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attrs = entity.attrs;
  // Names first: h5wasm makes an attribute object (and reads its type) only when it is looked up, and the
  // internal ones (dimension-scale references) are the expensive ones.
  for (const name of Object.keys(attrs)) {
    if (INTERNAL_ATTRS.has(name)) continue;
    const attr = attrs[name]!;
    const count = (attr.shape ?? []).reduce((a, b) => a * b, 1);
    if (count > maxValues) {
      out[name] = `(${count} values of ${typeof attr.dtype === 'string' ? attr.dtype : 'a compound type'})`;
      continue;
    }
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
  return openLoaded(await loadH5(), file);
}

/** openForReading, for a caller that has h5wasm loaded already (loadH5) and reads synchronously. */
export function openLoaded(h5: H5, file: string): H5File {
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

/**
 * A dataset's values, whole or a slice. A read HDF5 refuses (a compression filter this build lacks, a damaged
 * chunk) becomes one message naming the file, the variable and HDF5's reason, never garbage values.
 */
export function dataOf(ds: H5Dataset, filePath: string, ranges?: [number, number][]): unknown {
  try {
    return ranges ? ds.slice(ranges) : ds.value;
  } catch (error) {
    const reason = h5Reason((error as Error).message);
    const filter = /required filter '([^']+)' is not registered/.exec((error as Error).message)?.[1];
    throw new FurrowError(
      'bad-input',
      filter
        ? `${filePath}: '${ds.path.replace(/^\//, '')}' is compressed with the '${filter}' filter, which Furrow's HDF5 does not have; save it with gzip (deflate) compression, or none`
        : `${filePath}: cannot read '${ds.path.replace(/^\//, '')}' (${reason})`,
    );
  }
}

/** Each axis's dimension scale, or null for an axis that has none (a "phony" dim). */
export function scaleDims(ds: H5Dataset): (string | null)[] {
  return Array.from({ length: (ds.shape ?? []).length }, (_, axis) => {
    const scales = ds.get_attached_scales(axis);
    return scales[0] ? scales[0].replace(/^\//, '') : null;
  });
}

/**
 * Names for the axes that have no dimension scale (an h5py file, say), as netCDF-C and h5netcdf give them: one
 * `phony_dim_N` per distinct size, numbered in order of first appearance, and an axis whose size already appeared
 * in the same variable gets a dim of its own. Returns each dataset's axis names and the phony dims' sizes.
 */
function phonyDims(
  h5: H5,
  file: H5Group,
  skip: ReadonlySet<string> = new Set(),
): { axes: Map<string, string[]>; sizes: Map<string, number> } {
  const bySize = new Map<number, string[]>();
  const sizes = new Map<string, number>();
  const axes = new Map<string, string[]>();
  for (const name of file.keys()) {
    if (skip.has(name)) continue;
    const ds = file.get(name);
    if (!(ds instanceof h5.Dataset)) continue;
    const shape = ds.shape ?? [];
    if (ds.get_scale_name() !== null && shape.length === 1) continue; // a dim's coordinates
    const used = new Map<number, number>();
    axes.set(
      name,
      scaleDims(ds).map((scale, axis) => {
        if (scale !== null) return scale;
        const size = shape[axis]!;
        const k = used.get(size) ?? 0;
        used.set(size, k + 1);
        const names = bySize.get(size) ?? [];
        bySize.set(size, names);
        if (names.length <= k) {
          const phony = `phony_dim_${sizes.size}`;
          names.push(phony);
          sizes.set(phony, size);
        }
        return names[k]!;
      }),
    );
  }
  return { axes, sizes };
}

/** The dims of one variable of a group (the file, say), with phony dims named as describeOpen names them. */
export function axisDims(h5: H5, file: H5Group, name: string, ds: H5Dataset): string[] {
  const scales = scaleDims(ds);
  const dims = scales.every((s) => s !== null) ? (scales as string[]) : phonyDims(h5, file).axes.get(name)!;
  // A damaged file can attach the wrong scales: a dim twice, or one whose length is not the axis's.
  const shape = ds.shape ?? [];
  const sizeOf = (dim: string) => {
    const scale = file.get(dim);
    return scale instanceof h5.Dataset ? (scale.shape ?? [])[0] : undefined;
  };
  const wrong =
    dims.length !== shape.length ||
    new Set(dims).size !== dims.length ||
    dims.some((d, axis) => (sizeOf(d) ?? shape[axis]) !== shape[axis]);
  if (wrong) {
    throw new FurrowError(
      'bad-input',
      `'${name}' has shape [${shape.join(', ')}] but dims (${dims.join(', ')}) of other lengths attached; the file may be damaged`,
    );
  }
  return dims;
}

/**
 * The dims, coords, variables and attrs of a file's root. With `decode`, coords are CF-decoded as xarray decodes
 * them (dates as ISO strings, with their units and calendar said; masked and scaled numbers): for the viewers. Runs
 * and merges read them as stored.
 */
export function describeOpen(
  h5: H5,
  file: H5Group,
  filePath: string,
  decode = false,
  skip: ReadonlySet<string> = new Set(),
): DatasetInfo {
  const dims: DatasetInfo['dims'] = [];
  const variables: DatasetInfo['variables'] = [];
  const phony = phonyDims(h5, file, skip);
  for (const [name, size] of phony.sizes) dims.push({ name, size, values: null });
  for (const name of file.keys()) {
    if (skip.has(name)) continue;
    const entity = file.get(name);
    if (!(entity instanceof h5.Dataset)) continue;
    const ds = entity;
    const shape = ds.shape ?? [];
    const scaleName = ds.get_scale_name();
    if (scaleName !== null && shape.length === 1) {
      const phony = scaleName.startsWith(PHONY_SCALE_PREFIX);
      // Boolean coordinates are stored as int8 with dtype "bool" (xarray's encoding): read them back as booleans.
      const attrs = readAttrs(ds, 16);
      const isBool = attrs['dtype'] === 'bool';
      const cf = decode && !phony ? cfDecodingOf(attrs, describeDtype(ds)) : null;
      const raw = phony ? null : dataOf(ds, filePath);
      const values =
        raw === null
          ? null
          : cf && ArrayBuffer.isView(raw)
            ? decodeCoords(raw as unknown as ArrayLike<number>, cf)
            : typedCoords(
                toScalars(raw).map((v) => (isBool ? Boolean(v) : v)),
                attrs,
              );
      dims.push({
        name,
        size: shape[0]!,
        values,
        ...(phony ? {} : { attrs }),
        ...(cf?.time ? { time: { units: cf.time.units, calendar: cf.time.calendar } } : {}),
      });
      continue;
    }
    const attrs = readAttrs(ds);
    variables.push({
      name,
      dims: phony.axes.get(name)!,
      shape,
      dtype: attrs['dtype'] === 'bool' ? 'bool' : describeDtype(ds),
      attrs,
    });
  }
  return { path: filePath, dims, variables, attrs: readAttrs(file) };
}

export function describeDtype(ds: H5Dataset): string {
  const m = ds.metadata;
  if (m.type === 3) return 'string';
  if (m.type === 1) return `float${m.size * 8}`;
  if (m.type === 0) return `${m.signed ? 'int' : 'uint'}${m.size * 8}`;
  return String(ds.dtype);
}

/**
 * Open a file, read from it, close it. A damaged file can open and then fail inside (a zeroed object header, a
 * group that is not there): whatever HDF5 says then becomes one message naming the file, never a raw error.
 */
async function withFile<T>(filePath: string, read: (file: H5File, h5: H5) => T): Promise<T> {
  return withLoadedFile(await loadH5(), filePath, read);
}

/**
 * Read a file with h5wasm loaded already (loadH5), synchronously: opened, read, closed; a read HDF5 refuses is a
 * message naming the file.
 */
export function withLoadedFile<T>(h5: H5, filePath: string, read: (file: H5File, h5: H5) => T): T {
  const file = openLoaded(h5, filePath);
  try {
    return read(file, h5);
  } catch (error) {
    if (error instanceof FurrowError) throw error;
    throw new FurrowError(
      'bad-input',
      `${filePath}: cannot be read (${h5Reason((error as Error).message)}); the file may be damaged`,
    );
  } finally {
    file.close();
  }
}

export async function describeDataset(filePath: string, options: { decode?: boolean } = {}): Promise<DatasetInfo> {
  return withFile(filePath, (file, h5) => describeOpen(h5, file, filePath, options.decode ?? false));
}

/** A member that is a soft or external link, and what it points to (h5wasm's `get` follows one that resolves). */
export function linkOf(group: H5Group, name: string): TreeLink | undefined {
  const full = `${group.path.replace(/\/$/, '')}/${name}`;
  const soft = group.get_link(full);
  if (typeof soft === 'string') return { type: 'soft', target: soft };
  const ext = group.get_external_link(full) as { filename?: string; obj_path?: string };
  return ext.filename ? { type: 'external', target: `${ext.filename}:${ext.obj_path ?? '/'}` } : undefined;
}

/** One group of a file as `furrow inspect` shows it: its dims, coords, variables and attrs, links, and subgroups. */
export interface GroupInfo extends DatasetInfo {
  /** Its path in the file ('/' for the root). */
  group: string;
  links: ({ name: string } & TreeLink)[];
  groups: GroupInfo[];
}

/** The whole tree of a file (or the subtree at `inner`), coords CF-decoded, links listed apart (not followed). */
export async function describeTree(filePath: string, inner = '/'): Promise<GroupInfo> {
  return withFile(filePath, (file, h5) => {
    const walk = (group: H5Group, at: string): GroupInfo => {
      const names = group.keys();
      const links = names.flatMap((name) => {
        const link = linkOf(group, name);
        return link ? [{ name, ...link }] : [];
      });
      const linked = new Set(links.map((l) => l.name));
      const info = describeOpen(h5, group, filePath, true, linked);
      // Dimension scales are named by their path: a group's own dims by their name in it.
      const prefix = at === '/' ? '' : `${at.slice(1)}/`;
      const local = (d: string) => (prefix && d.startsWith(prefix) ? d.slice(prefix.length) : d);
      const groups = names
        .filter((name) => !linked.has(name))
        .flatMap((name) => {
          const child = group.get(name);
          return child instanceof h5.Group ? [walk(child, `${prefix ? `/${prefix}` : '/'}${name}`)] : [];
        });
      return {
        ...info,
        group: at,
        variables: info.variables.map((v) => ({ ...v, dims: v.dims.map(local) })),
        links,
        groups,
      };
    };
    const at = `/${inner.replace(/^\/+|\/+$/g, '')}`;
    const start = at === '/' ? file : file.get(at);
    if (!(start instanceof h5.Group)) {
      throw new FurrowError(
        start instanceof h5.Dataset ? 'bad-input' : 'not-found',
        start instanceof h5.Dataset
          ? `${filePath}: '${at}' is a dataset; --path takes a group (its parent is '${at.replace(/\/[^/]*$/, '') || '/'}')`
          : `${filePath} has no group '${at}' (its groups: ${
              file
                .keys()
                .filter((k) => file.get(k) instanceof h5.Group)
                .map((k) => `/${k}`)
                .join(', ') || 'none'
            })`,
      );
    }
    return walk(start, at);
  });
}

/** The values of a dim's coordinate variable (CF-decoded with `decode`), or 0..n-1 where it has none. */
export function coordValues(file: H5File, h5: H5, dim: string, size: number, decode: boolean): Scalar[] {
  const ds = file.get(dim);
  if (ds instanceof h5.Dataset && !(ds.get_scale_name() ?? '').startsWith(PHONY_SCALE_PREFIX)) {
    const raw = dataOf(ds, file.filename);
    const cf = decode ? cfDecodingOf(readAttrs(ds), describeDtype(ds)) : null;
    if (cf && ArrayBuffer.isView(raw)) return decodeCoords(raw as unknown as ArrayLike<number>, cf);
    return ArrayBuffer.isView(raw) ? toScalars(raw) : typedCoords(toScalars(raw), readAttrs(ds));
  }
  return Array.from({ length: size }, (_, i) => i);
}

/**
 * Read one slice: dims named in `select` are fixed at that index, the others are read whole. Only the
 * selected region and the kept dims' coords are read, never the whole file. Missing values come back as null;
 * with `decode`, values and coords are CF-decoded (cf.ts).
 */
export async function readSlice(
  filePath: string,
  variable: string,
  select: Record<string, number>,
  decode = false,
): Promise<ArraySlice> {
  return withFile(filePath, (file, h5) => {
    const ds = file.get(variable);
    if (!(ds instanceof h5.Dataset)) throw new FurrowError('not-found', `${filePath} has no variable '${variable}'`);
    const shape = ds.shape ?? [];
    const dims = axisDims(h5, file, variable, ds);
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
    const raw = dataOf(ds, filePath, shape.length === 0 ? undefined : ranges);
    const cf = decode ? cfDecodingOf(readAttrs(ds), describeDtype(ds)) : null;
    const values =
      cf && ArrayBuffer.isView(raw)
        ? decodeCells(raw as unknown as ArrayLike<number>, cf)
        : toScalars(raw).map((x) => (missing(x) ? null : typeof x === 'boolean' ? Number(x) : x));
    const kept = dims.filter((d) => select[d] === undefined);
    const keptShape = kept.map((d) => shape[dims.indexOf(d)]!);
    const coords = Object.fromEntries(kept.map((d, i) => [d, coordValues(file, h5, d, keptShape[i]!, decode)]));
    return { variable, dims: kept, shape: keptShape, coords, values };
  });
}

/** The raw values of a box of one variable (`ranges`: [start, end) per axis), row-major, fill values as stored. */
export async function readRegion(
  filePath: string,
  variable: string,
  ranges: [number, number][],
): Promise<Float64Array | Int8Array | string[]> {
  return withFile(filePath, (file, h5) => {
    const ds = file.get(variable);
    if (!(ds instanceof h5.Dataset)) throw new FurrowError('not-found', `${filePath} has no variable '${variable}'`);
    const raw = dataOf(ds, filePath, ranges);
    if (raw instanceof Float64Array || raw instanceof Int8Array) return raw;
    return ArrayBuffer.isView(raw) ? Float64Array.from(toScalars(raw) as number[]) : toScalars(raw).map(String);
  });
}

/**
 * A whole dataset in memory, as Furrow writes them: floats as float64 (NaN missing), `dtype: bool` int8 as
 * booleans (-1 missing), strings as strings ("" missing); other numeric types are read as float64 with their
 * `_FillValue` as NaN. For merging a run into a study's dataset; a viewer reads slices instead.
 */
export async function readDataset(filePath: string): Promise<LabelledDataset> {
  return withFile(filePath, (file, h5) => {
    const info = describeOpen(h5, file, filePath);
    const dims: LabelledDim[] = info.dims.map((d) => ({ name: d.name, values: d.values, size: d.size }));
    const variables: LabelledVariable[] = info.variables.map((v) => {
      const ds = file.get(v.name) as H5Dataset;
      const { _FillValue: fill, dtype: _dtype, ...attrs } = v.attrs;
      const raw = dataOf(ds, filePath);
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
  });
}

/** Attributes that say how values are encoded: xarray keeps them in `encoding`, not `attrs`, once decoded. */
const ENCODING_ATTRS = ['_FillValue', 'missing_value', 'scale_factor', 'add_offset', 'dtype'];

/**
 * A whole file's root as a person opens it with xarray: coords and values CF-decoded (dates as ISO strings, masked
 * and scaled numbers as float64), every other number in its stored type (int32 stays int32). For the library's
 * Dataset; runs and merges read with readDataset.
 */
export async function readDecoded(filePath: string): Promise<StoredDataset> {
  return withFile(filePath, (file, h5) => {
    const info = describeOpen(h5, file, filePath, true);
    const variables = info.variables.map((v): StoredVariable => {
      const raw = dataOf(file.get(v.name) as H5Dataset, filePath);
      const cf = cfDecodingOf(v.attrs, v.dtype);
      const attrs = Object.fromEntries(
        Object.entries(v.attrs).filter(
          ([k]) => !ENCODING_ATTRS.includes(k) && !(cf?.time && (k === 'units' || k === 'calendar')),
        ),
      ) as Record<string, Scalar | Scalar[]>;
      const base = { name: v.name, dims: v.dims, attrs };
      if (v.dtype === 'string') return { ...base, kind: 'string', data: toScalars(raw).map(String) };
      if (v.dtype === 'bool') return { ...base, kind: 'bool', data: Int8Array.from(toScalars(raw) as number[]) };
      const numbers = (ArrayBuffer.isView(raw) ? raw : Float64Array.of(Number(raw))) as NumericArray;
      if (cf?.time) return { ...base, kind: 'date', data: decodeCoords(numbers, cf).map(String) };
      if (cf) return { ...base, kind: 'float', data: decodeNumbers(numbers, cf) };
      const float = v.dtype.startsWith('float');
      return {
        ...base,
        kind: float ? 'float' : 'int',
        ...(v.dtype === 'float64' ? {} : { dtype: v.dtype }),
        data: numbers,
      };
    });
    return { dims: info.dims, variables, attrs: info.attrs as Record<string, Scalar | Scalar[]> };
  });
}

/** One dataset of any HDF5 file, whole, as nested arrays of numbers (or strings): a command model's output. */
export async function readArray(filePath: string, inner: string): Promise<unknown> {
  return withFile(filePath, (file, h5) => {
    const ds = file.get(inner);
    if (!(ds instanceof h5.Dataset)) throw new FurrowError('not-found', `${filePath} has no dataset ${inner}`);
    const shape = ds.shape ?? [];
    const flat = toScalars(dataOf(ds, filePath));
    if (shape.length === 0) return flat[0];
    const nest = (offset: number, axis: number): unknown => {
      const size = shape[axis]!;
      const step = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      return axis === shape.length - 1
        ? flat.slice(offset, offset + size)
        : Array.from({ length: size }, (_, i) => nest(offset + i * step, axis + 1));
    };
    return nest(0, 0);
  });
}
