// The HDF5 part of the data tree: a group's members a page at a time, an object's details, and a window of a
// dataset's values. Every read is a hyperslab of at most PREVIEW_MAX_ROWS × PREVIEW_MAX_COLS values (and the
// matching coordinates): nothing here reads a whole dataset to show part of it.
import fs from 'node:fs';
import path from 'node:path';
import type { Dataset as H5Dataset, File as H5File, Group as H5Group } from 'h5wasm/node';
import type { Metadata } from 'h5wasm/node';
import type {
  ArrayPreview,
  TreeChildren,
  TreeDetails,
  TreeEntry,
  TreeNodeId,
  TreePreviewParams,
  TreeSlice,
  TreeSliceParams,
} from '../../../shared/data-tree';
import { PREVIEW_MAX_COLS, PREVIEW_MAX_ROWS, SLICE_MAX_VALUES } from '../../../shared/data-tree';
import { compactDates, plainAxisCalendar } from '../../../shared/cf-time';
import { cellsColumn } from '../plots/plot-data';
import type { Column } from '../../../shared/plot-spec';
import type { CfDecoding } from '../dataset/cf';
import { cfDecodingOf, decodeCells, decodeCoords, decodeNumbers, decodingText } from '../dataset/cf';
import { sizeText } from '../dataset/disk';
import { FurrowError } from '../errors';
import { loadH5 } from '../dataset/h5';
import type { H5 } from '../dataset/h5';
import {
  axisDims,
  dataOf,
  describeDtype,
  h5Reason,
  linkOf,
  openForReading,
  PHONY_SCALE_PREFIX,
  plain,
  readAttrs,
} from '../dataset/netcdf-read';

/** Attribute arrays longer than this are described, not sent. */
const MAX_ATTR_VALUES = 1000;

type Cell = number | string | null;

/** Open a file, hand it to `use`, close it whatever happens. */
async function withFile<T>(file: string, use: (h5: H5, f: H5File) => T): Promise<T> {
  const h5 = await loadH5();
  const f = await openForReading(file);
  try {
    return use(h5, f);
  } finally {
    f.close();
  }
}

const parentOf = (inner: string) => path.posix.dirname(inner);
const baseOf = (inner: string) => path.posix.basename(inner) || '/';

function objectAt(h5: H5, f: H5File, inner: string, file: string): H5Group | H5Dataset {
  if (inner === '/' || inner === '') return f;
  let entity: ReturnType<H5File['get']>;
  try {
    entity = f.get(inner);
  } catch (error) {
    throw new FurrowError('bad-input', `${file}: cannot read '${inner}' (${h5Reason((error as Error).message)})`);
  }
  if (entity instanceof h5.Group || entity instanceof h5.Dataset) return entity;
  throw new FurrowError('not-found', `${file} has no group or dataset '${inner}'`);
}

/** Attributes as the details pane shows them: a NaN (JSON's null, as readAttrs gives it) spelt NaN. */
function shownAttrs(entity: H5Group | H5Dataset): Record<string, unknown> {
  const attrs = readAttrs(entity, MAX_ATTR_VALUES);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null) continue;
    try {
      const raw = entity.attrs[name]?.value;
      const first = ArrayBuffer.isView(raw) ? (raw as Float64Array)[0] : raw;
      if (typeof first === 'number' && Number.isNaN(first)) attrs[name] = 'NaN';
    } catch {
      // unreadable: readAttrs said so already
    }
  }
  return attrs;
}

/** A dtype as a person reads it: float64, int32, string, bool, compound {x: float64, n: int32}, … */
export function dtypeOf(m: Metadata, attrs: Record<string, unknown> = {}): string {
  if (attrs['dtype'] === 'bool') return 'bool';
  const endian = m.littleEndian || m.size === 1 ? '' : ' (big-endian)';
  switch (m.type) {
    case 0:
      return `${m.signed ? 'int' : 'uint'}${m.size * 8}${endian}`;
    case 1:
      return `float${m.size * 8}${endian}`;
    case 3:
      return m.vlen ? 'string' : `string (${m.size} bytes)`;
    case 6:
      return `compound {${(m.compound_type?.members ?? []).map((c) => `${c.name}: ${dtypeOf(c)}`).join(', ')}}`;
    case 8: {
      const members = m.enum_type?.members ?? {};
      if (Object.keys(members).length === 2 && members['FALSE'] === 0 && members['TRUE'] === 1) return 'bool';
      return `enum {${Object.keys(members).join(', ')}}`;
    }
    case 10:
      return `array of ${m.array_type ? dtypeOf(m.array_type) : '?'}`;
    case 7:
      return 'reference';
    case 9:
      return `variable-length sequence of ${m.vlen_type ? dtypeOf(m.vlen_type) : '?'}`;
    case 5:
      return `opaque (${m.size} bytes)`;
    default:
      return `HDF5 type class ${m.type}`;
  }
}

const shapeText = (shape: number[] | null) =>
  shape === null ? 'empty' : shape.length === 0 ? 'scalar' : shape.join(' × ');

function memberCount(group: H5Group): number {
  return group.keys().length;
}

/** A CF time variable's first and last dates ('2024-01-01T00:00:00 … 2024-01-01T23:00:00'), reading two values. */
function datesText(ds: H5Dataset, file: string, cf: CfDecoding | null): string | null {
  const shape = ds.shape ?? [];
  if (!cf?.time || shape.length !== 1 || !shape[0]) return null;
  const at = (i: number) =>
    decodeCoords(dataOf(ds, file, [[i, i + 1]]) as unknown as ArrayLike<number>, cf)[0] as string;
  return compactDates(shape[0] === 1 ? [at(0)] : [at(0), at(shape[0] - 1)]).join(' … ');
}

/** One member of a group as the tree lists it; one that cannot be read carries its error. */
function entryOf(h5: H5, group: H5Group, name: string, id: TreeNodeId, file: string): TreeEntry {
  const link = linkOf(group, name);
  const at = { id, name, ...(link ? { link } : {}) };
  try {
    const entity = group.get(name);
    if (entity instanceof h5.Dataset) {
      const m = entity.metadata;
      const scale = entity.get_scale_name();
      const coordinate = scale !== null && !scale.startsWith(PHONY_SCALE_PREFIX) ? ' · coordinate' : '';
      const isBool = entity.attrs['dtype'] !== undefined && plain(entity.attrs['dtype']!.value) === 'bool';
      // Only a variable that has `units` can hold dates: the others' attributes are not read here.
      const dates = entity.attrs['units'] ? datesText(entity, file, cfDecodingOf(readAttrs(entity), dtypeOf(m))) : null;
      return {
        ...at,
        kind: 'dataset',
        summary: `${shapeText(m.shape)} ${dtypeOf(m, isBool ? { dtype: 'bool' } : {})}${coordinate}${dates ? ` · ${dates}` : ''}`,
        error: null,
        expandable: false,
      };
    }
    if (entity instanceof h5.Group) {
      const n = memberCount(entity);
      return { ...at, kind: 'group', summary: `${n} member${n === 1 ? '' : 's'}`, error: null, expandable: n > 0 };
    }
    if (entity && 'target' in entity)
      return {
        ...at,
        kind: 'other',
        summary: `soft link to ${entity.target}, which is missing`,
        error: null,
        expandable: false,
      };
    if (entity && 'filename' in entity)
      return {
        ...at,
        kind: 'other',
        summary: `external link to ${entity.filename}:${entity.obj_path} (open that file to see it)`,
        error: null,
        expandable: false,
      };
    return {
      ...at,
      kind: 'other',
      summary: entity instanceof h5.Datatype ? 'named datatype' : 'unknown object',
      error: null,
      expandable: false,
    };
  } catch (error) {
    return {
      ...at,
      kind: 'other',
      summary: '',
      error: `cannot read '${name}' (${h5Reason((error as Error).message)})`,
      expandable: false,
    };
  }
}

/** A file's line in the tree: how many members it has and its size, or why it does not open. */
export async function h5FileEntry(file: string, id: TreeNodeId, name: string): Promise<TreeEntry> {
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  try {
    const n = await withFile(file, (_h5, f) => memberCount(f));
    const summary = `${n} member${n === 1 ? '' : 's'}${size === undefined ? '' : ` · ${sizeText(size)}`}`;
    return { id, name, kind: 'file', summary, error: null, expandable: n > 0 };
  } catch (error) {
    return {
      id,
      name,
      kind: 'file',
      summary: size === undefined ? '' : sizeText(size),
      error: (error as Error).message,
      expandable: false,
    };
  }
}

export async function h5Children(file: string, base: TreeNodeId, offset: number, limit: number): Promise<TreeChildren> {
  const inner = base.path || '/';
  return withFile(file, (h5, f) => {
    const group = objectAt(h5, f, inner, file);
    if (!(group instanceof h5.Group))
      throw new FurrowError('bad-input', `'${inner}' in ${file} is a dataset: it has no members`);
    const names = group.keys();
    const children = names
      .slice(offset, offset + limit)
      .map((name) => entryOf(h5, group, name, { ...base, path: path.posix.join(inner, name) }, file));
    return { children, total: names.length, offset };
  });
}

const unlimited = (n: number) => (n < 0 || n >= Number.MAX_SAFE_INTEGER ? null : n);

export async function h5Details(file: string, id: TreeNodeId, name: string): Promise<TreeDetails> {
  const inner = id.path || '/';
  return withFile(file, (h5, f) => {
    const entity = objectAt(h5, f, inner, file);
    const attrs = shownAttrs(entity);
    const link = inner === '/' ? undefined : linkOf(objectAt(h5, f, parentOf(inner), file) as H5Group, baseOf(inner));
    const common = {
      ...(link ? { link } : {}),
      id,
      name,
      location: inner === '/' ? file : `${file}:${inner}`,
      attrs,
      size: inner === '/' ? (fs.statSync(file, { throwIfNoEntry: false })?.size ?? null) : null,
    };
    if (entity instanceof h5.Group) {
      const n = memberCount(entity);
      return {
        ...common,
        kind: inner === '/' ? ('file' as const) : ('group' as const),
        summary: `${n} member${n === 1 ? '' : 's'}`,
        shape: null,
        dtype: null,
        dims: null,
        chunks: null,
        maxshape: null,
        filters: [],
        coordinate: false,
      };
    }
    const m = entity.metadata;
    const scale = entity.get_scale_name();
    let dims: string[] | null;
    try {
      const parent = objectAt(h5, f, parentOf(inner), file) as H5Group;
      dims = axisDims(h5, parent, baseOf(inner), entity).map((d) => path.posix.basename(d));
    } catch {
      dims = null; // dimension scales that do not resolve: the shape still says everything
    }
    const dtype = dtypeOf(m, attrs);
    const decoding = decodingText(cfDecodingOf(attrs, dtype));
    return {
      ...common,
      ...(decoding ? { decoding } : {}),
      kind: 'dataset' as const,
      summary: `${shapeText(m.shape)} ${dtype}`,
      shape: m.shape,
      dtype,
      dims,
      chunks: m.chunks,
      maxshape: m.maxshape?.map(unlimited) ?? null,
      filters: entity.filters.map((x) => ({ id: x.id, name: x.name, values: [...x.cd_values] })),
      coordinate: scale !== null && !scale.startsWith(PHONY_SCALE_PREFIX),
    };
  });
}

/** A value as a table cell shows it: NaN and ±Infinity spelt out, int64 exact, records as JSON. */
function cellOf(value: unknown): Cell {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || value === undefined) return null;
  if (ArrayBuffer.isView(value))
    return JSON.stringify(Array.from(value as unknown as ArrayLike<number>, (v) => cellOf(v)));
  if (Array.isArray(value)) return JSON.stringify(value.map(cellOf));
  return String(value);
}

function cellsOf(raw: unknown): Cell[] {
  if (ArrayBuffer.isView(raw)) return Array.from(raw as unknown as ArrayLike<number | bigint>, cellOf);
  if (Array.isArray(raw)) return raw.map(cellOf);
  return [cellOf(raw)];
}

/** The coordinate variable of one axis (its dimension scale, when that holds values of the right length). */
function coordScale(h5: H5, f: H5File, ds: H5Dataset, axis: number): H5Dataset | null {
  try {
    const scale = ds.get_attached_scales(axis)[0];
    if (!scale) return null;
    const s = f.get(scale);
    if (!(s instanceof h5.Dataset) || (s.get_scale_name() ?? '').startsWith(PHONY_SCALE_PREFIX)) return null;
    const shape = s.shape ?? [];
    return shape.length === 1 && shape[0] === ds.shape?.[axis] ? s : null;
  } catch {
    return null;
  }
}

/** A range of a coordinate variable's values as cells, CF-decoded (dates as ISO strings). */
function coordCells(scale: H5Dataset, file: string, range: [number, number]): Cell[] {
  const raw = dataOf(scale, file, [range]);
  const cf = cfDecodingOf(readAttrs(scale), describeDtype(scale));
  return cf && ArrayBuffer.isView(raw) ? decodeCells(raw as unknown as ArrayLike<number>, cf) : cellsOf(raw);
}

/** A dataset's dims by name, or 'axis N' where its dimension scales do not resolve. */
function namedAxes(h5: H5, f: H5File, file: string, inner: string, ds: H5Dataset): string[] {
  try {
    return axisDims(h5, objectAt(h5, f, parentOf(inner), file) as H5Group, baseOf(inner), ds).map((d) =>
      path.posix.basename(d),
    );
  } catch {
    return (ds.shape ?? []).map((_, i) => `axis ${i}`);
  }
}

export async function h5Preview(file: string, params: TreePreviewParams): Promise<ArrayPreview> {
  const inner = params.node.path || '/';
  return withFile(file, (h5, f) => {
    const ds = objectAt(h5, f, inner, file);
    if (!(ds instanceof h5.Dataset))
      throw new FurrowError('bad-input', `'${inner}' in ${file} is a group: open a dataset to see values`);
    const shape = ds.shape ?? [];
    const n = shape.length;
    const attrs = readAttrs(ds, MAX_ATTR_VALUES);
    const dims = namedAxes(h5, f, file, inner, ds);
    const rowAxis = params.rowAxis === undefined ? (n >= 2 ? n - 2 : n === 1 ? 0 : null) : params.rowAxis;
    const colAxis = params.colAxis === undefined ? (n >= 2 ? n - 1 : null) : params.colAxis;
    for (const [what, axis] of [
      ['rows', rowAxis],
      ['columns', colAxis],
    ] as const) {
      if (axis !== null && axis >= n)
        throw new FurrowError('bad-input', `'${inner}' has ${n} dims; there is no axis ${axis} for the ${what}`);
    }
    if (rowAxis !== null && rowAxis === colAxis)
      throw new FurrowError('bad-input', 'the rows and the columns need two different dims');
    if (rowAxis === null && colAxis !== null)
      throw new FurrowError('bad-input', 'give the rows an axis before the columns');
    const rowStart = params.rowStart ?? 0;
    const colStart = params.colStart ?? 0;
    const rowsWanted = Math.min(params.rows ?? PREVIEW_MAX_ROWS, PREVIEW_MAX_ROWS);
    const colsWanted = Math.min(params.cols ?? PREVIEW_MAX_COLS, PREVIEW_MAX_COLS);
    const index = shape.map((size, axis) => {
      const at = axis === rowAxis ? rowStart : axis === colAxis ? colStart : (params.index?.[axis] ?? 0);
      if (at > 0 && at >= size)
        throw new FurrowError('bad-input', `index ${at} is past the end of dim '${dims[axis]}' (size ${size})`);
      return at;
    });
    const ranges = shape.map((size, axis): [number, number] => {
      const at = index[axis]!;
      if (axis === rowAxis) return [at, Math.min(size, at + rowsWanted)];
      if (axis === colAxis) return [at, Math.min(size, at + colsWanted)];
      return [at, at + 1];
    });
    const nRows = rowAxis === null ? 1 : ranges[rowAxis]![1] - ranges[rowAxis]![0];
    const nCols = colAxis === null ? 1 : ranges[colAxis]![1] - ranges[colAxis]![0];
    const empty = shape.some((s) => s === 0) || ds.shape === null;
    const cf = cfDecodingOf(attrs, dtypeOf(ds.metadata, attrs));
    const raw = empty ? null : dataOf(ds, file, n === 0 ? undefined : ranges);
    const flat =
      raw === null
        ? []
        : cf && ArrayBuffer.isView(raw)
          ? decodeCells(raw as unknown as ArrayLike<number>, cf)
          : cellsOf(raw);
    // Hyperslabs come back row-major in axis order: when the row axis comes after the column axis, transpose.
    const rowsFirst = colAxis === null || (rowAxis ?? 0) < colAxis;
    const values = empty
      ? []
      : Array.from({ length: nRows }, (_, r) =>
          Array.from({ length: nCols }, (_, c) => flat[rowsFirst ? r * nCols + c : c * nRows + r] ?? null),
        );
    const coordsOf = (axis: number | null): Cell[] | null => {
      if (axis === null || empty) return null;
      const scale = coordScale(h5, f, ds, axis);
      return scale ? coordCells(scale, file, ranges[axis]!) : null;
    };
    const fixedCoords = shape.map((_, axis) => {
      if (axis === rowAxis || axis === colAxis || empty) return null;
      const scale = coordScale(h5, f, ds, axis);
      return scale ? (coordCells(scale, file, ranges[axis]!)[0] ?? null) : null;
    });
    return {
      kind: 'array' as const,
      dims,
      shape,
      dtype: dtypeOf(ds.metadata, attrs),
      rowAxis,
      colAxis,
      index,
      rowStart,
      colStart,
      rowCoords: coordsOf(rowAxis),
      colCoords: coordsOf(colAxis),
      fixedCoords,
      values,
    };
  });
}

/** A value label as xarray makes one: its long_name (else its name) and its units in brackets. */
function valueLabel(name: string, attrs: Record<string, unknown>, time: boolean): string {
  const long = typeof attrs['long_name'] === 'string' ? attrs['long_name'] : name;
  return typeof attrs['units'] === 'string' && !time ? `${long} [${attrs['units']}]` : long;
}

/**
 * The slice of a dataset a Line (one axis) or Heatmap (two: rows, then columns) view draws, the other axes fixed at
 * an index each: only that slice and the drawn axes' coordinates are read. Values CF-decoded, NaN where missing.
 */
export async function h5Slice(file: string, params: TreeSliceParams): Promise<TreeSlice> {
  const inner = params.node.path || '/';
  return withFile(file, (h5, f) => {
    const ds = objectAt(h5, f, inner, file);
    if (!(ds instanceof h5.Dataset))
      throw new FurrowError('bad-input', `'${inner}' in ${file} is a group: open a dataset to draw its values`);
    const shape = ds.shape ?? [];
    const attrs = readAttrs(ds, MAX_ATTR_VALUES);
    const dtype = dtypeOf(ds.metadata, attrs);
    if (ds.metadata.type !== 0 && ds.metadata.type !== 1 && dtype !== 'bool')
      throw new FurrowError('bad-input', `'${inner}' holds ${dtype} values; a line or heatmap draws numbers`);
    const dims = namedAxes(h5, f, file, inner, ds);
    const axes = params.axes;
    if (axes.some((a) => a >= shape.length) || new Set(axes).size !== axes.length)
      throw new FurrowError(
        'bad-input',
        `'${inner}' has ${shape.length} dim${shape.length === 1 ? '' : 's'}; draw ${axes.length === 1 ? 'one of them' : 'two different ones'}`,
      );
    const index = shape.map((size, axis) => {
      if (axes.includes(axis)) return 0;
      const at = params.index?.[axis] ?? 0;
      if (at >= size)
        throw new FurrowError('bad-input', `index ${at} is past the end of dim '${dims[axis]}' (size ${size})`);
      return at;
    });
    const ranges = shape.map((size, axis): [number, number] =>
      axes.includes(axis) ? [0, size] : [index[axis]!, index[axis]! + 1],
    );
    const count = axes.reduce((n, a) => n * shape[a]!, 1);
    if (count > SLICE_MAX_VALUES)
      throw new FurrowError(
        'bad-input',
        `this slice of '${inner}' holds ${count.toLocaleString('en')} values; draw at most ${SLICE_MAX_VALUES.toLocaleString('en')} (the Matrix view pages through any size)`,
      );
    const cf = dtype === 'bool' ? null : cfDecodingOf(attrs, dtype);
    const raw = count === 0 ? new Float64Array(0) : dataOf(ds, file, ranges);
    let values = decodeNumbers(raw as ArrayLike<number>, cf);
    if (dtype === 'bool') values = values.map((v) => (v < 0 ? NaN : v));
    // Hyperslabs come back row-major in axis order: rows after columns means a transpose.
    if (axes.length === 2 && axes[0]! > axes[1]!) {
      const [rows, cols] = [shape[axes[0]!]!, shape[axes[1]!]!];
      const t = new Float64Array(values.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[r * cols + c] = values[c * rows + r]!;
      values = t;
    }
    const coordColumn = (axis: number): Column => {
      const scale = coordScale(h5, f, ds, axis);
      if (!scale) return { f64: Float64Array.from({ length: shape[axis]! }, (_, i) => i) };
      const cells = coordCells(scale, file, [0, shape[axis]!]);
      return cells.every((c) => typeof c === 'number')
        ? { f64: Float64Array.from(cells as number[]) }
        : cells.map((c) => c ?? null);
    };
    const fixedCoords = shape.map((_, axis) => {
      if (axes.includes(axis)) return null;
      const scale = coordScale(h5, f, ds, axis);
      return scale ? (coordCells(scale, file, ranges[axis]!)[0] ?? null) : null;
    });
    return {
      dims,
      shape,
      dtype,
      axes,
      index,
      coords: axes.map(coordColumn),
      calendars: axes.map((axis) => {
        const scale = coordScale(h5, f, ds, axis);
        return scale ? plainAxisCalendar(cfDecodingOf(readAttrs(scale), describeDtype(scale))?.time?.calendar) : null;
      }),
      values: cellsColumn(values), // float32 when there are many and float32 holds them, as a plot's heatmap
      fixedCoords,
      label: valueLabel(baseOf(inner), attrs, Boolean(cf?.time)),
    };
  });
}
