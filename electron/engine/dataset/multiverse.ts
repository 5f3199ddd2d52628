// The multiverse (dantro's): one dataset that every case folder's file holds, combined into one array over the
// study's parameter dims (as its dataset lays them out), then the array's own dims. A cell whose case is not done
// in the run database (never run, failed, cancelled) is NaN ("" for strings). It is written as NetCDF4 like the
// dataset, so plots and the data tree read it as any other file: `furrow combine`, and `multiverse.combine`.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetInfo } from '../../../shared/api';
import type { LabelledDataset, LabelledDim, LabelledVariable, VariableKind } from '../../../shared/labelled';
import { sizeOf } from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import { FurrowError } from '../errors';
import { loadH5 } from './h5';
import type { DoneCase } from './multiverse-case';
import { ownDims, positions, readCase } from './multiverse-case';
import type { MultiversePath } from './multiverse-path';
import { parseMultiversePath } from './multiverse-path';
import { describeDataset, readSlice } from './netcdf-read';
import { writeDataset } from './netcdf-write';
import { RunDb } from '../db/run-db';
import type { Study } from '../study/study';

export { parseMultiversePath, PATH_FORM } from './multiverse-path';

/** More values than this are refused: the array is built in memory before it is written. */
export const MAX_VALUES = 2 ** 28;
/** Where combined arrays are kept, inside the study folder, rewritten when the run database has newer cases. */
export const MULTIVERSE_DIR = path.join('data', 'multiverse');
const STAMP_ATTR = 'furrow_stamp';

/** The cache file of a path: data/multiverse/<file>-<group>-<dataset>.nc. */
export function cacheFileOf(study: Study, p: MultiversePath): string {
  const parts = [...p.file.split('/'), ...p.inner.split('/').filter(Boolean)];
  const name = parts.map((s) => s.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_')).join('-');
  return path.join(study.dir, MULTIVERSE_DIR, `${name}.nc`);
}

const valueKey = (v: Scalar) => `${typeof v}:${String(v)}`;

function coordinateVariable(name: string, dim: string, values: (Scalar | null)[], bool = false): LabelledVariable {
  if (bool || values.every((v) => v === null || typeof v === 'boolean')) {
    return { name, dims: [dim], kind: 'bool', data: Int8Array.from(values, (v) => (v === null ? -1 : v ? 1 : 0)) };
  }
  if (values.every((v) => v === null || typeof v === 'number'))
    return { name, dims: [dim], kind: 'float', data: Float64Array.from(values, (v) => (v === null ? NaN : Number(v))) };
  return { name, dims: [dim], kind: 'string', data: values.map((v) => (v === null ? '' : String(v))) };
}

interface ParamLayout {
  dims: LabelledDim[];
  /** Parameters that vary along a dim (a zip group's, a coupled dim's): coordinates of that dim. */
  coordinates: LabelledVariable[];
}

/**
 * The parameter dims as the study's dataset has them (order and coords, grown by every run), read from the
 * first output it holds; before there is a dataset, the study's parameter space.
 */
async function paramLayout(study: Study): Promise<ParamLayout> {
  if (fs.existsSync(study.datasetPath)) {
    const info = await describeDataset(study.datasetPath);
    for (const [name, output] of Object.entries(study.spec.outputs)) {
      const v = info.variables.find((x) => x.name === name);
      const own = output.dims;
      if (!v || v.dims.length < own.length || own.some((d, i) => v.dims[v.dims.length - own.length + i] !== d))
        continue;
      const names = v.dims.slice(0, v.dims.length - own.length);
      const dims = names.map((n) => {
        const d = info.dims.find((x) => x.name === n)!;
        return { name: n, values: d.values ?? positions(d.size), size: d.size };
      });
      const listed = typeof v.attrs['coordinates'] === 'string' ? v.attrs['coordinates'].split(' ') : [];
      const coordinates: LabelledVariable[] = [];
      for (const c of listed) {
        const cv = info.variables.find((x) => x.name === c);
        if (!cv || cv.dims.length !== 1 || !names.includes(cv.dims[0]!)) continue;
        const slice = await readSlice(study.datasetPath, c, {});
        coordinates.push(coordinateVariable(c, cv.dims[0]!, slice.values, cv.dtype === 'bool'));
      }
      return { dims, coordinates };
    }
  }
  return {
    dims: study.space.dims.map((d) => ({ name: d.name, values: d.values, size: d.values.length })),
    coordinates: study.space.dims.flatMap((d) =>
      (d.coupled ?? []).map((c) => coordinateVariable(c.name, d.name, c.values)),
    ),
  };
}

/**
 * The done case of each cell, from the run database: its latest done record, as the dataset keeps the values of
 * a case done once (a later failure of the same parameters changes nothing there). Records whose parameters lie
 * off the dims (samples, say) have no cell. In cell order.
 */
function doneCases(study: Study, dims: LabelledDim[]): DoneCase[] {
  const db = RunDb.openReadOnly(study.dir);
  if (!db) return [];
  try {
    const lookups = dims.map((d) => {
      const values = d.values ?? positions(d.size);
      return {
        exact: new Map(values.map((v, i) => [valueKey(v), i])),
        loose: new Map(values.map((v, i) => [String(v), i])), // dims of mixed kinds are stored as strings
      };
    });
    const byCell = new Map<number, DoneCase>();
    for (const { calcDir, params } of db.doneCases()) {
      if (calcDir === null) continue;
      let cell = 0;
      for (let d = 0; d < dims.length && cell >= 0; d++) {
        const v = params[dims[d]!.name];
        const at = isScalar(v) ? (lookups[d]!.exact.get(valueKey(v)) ?? lookups[d]!.loose.get(String(v))) : undefined;
        cell = at === undefined ? -1 : cell * dims[d]!.size + at;
      }
      if (cell < 0) continue;
      const label = `case ${dims.map((d) => `${d.name}=${String(params[d.name] as Scalar)}`).join(' ')}`;
      byCell.set(cell, { cell, caseDir: path.join(study.dir, calcDir), label });
    }
    return [...byCell.values()].sort((a, b) => a.cell - b.cell);
  } finally {
    db.close();
  }
}

/**
 * Copy one case's array (row-major, of `shape`) into the multiverse at `offset`, laid out by the longest lengths
 * (`full`): the rest of each row stays as filled (NaN, or "").
 */
function placeCase(
  data: Float64Array | string[],
  values: Float64Array | string[],
  shape: number[],
  full: number[],
  offset: number,
): void {
  const count = sizeOf(shape);
  if (shape.join() === full.join()) {
    if (Array.isArray(data)) for (let i = 0; i < count; i++) data[offset + i] = (values as string[])[i]!;
    else data.set(values as Float64Array, offset);
    return;
  }
  for (let i = 0; i < count; i++) {
    // i's position in the case's array, then the same position in the longest layout
    let rest = i;
    let at = 0;
    let stride = 1;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      at += (rest % shape[axis]!) * stride;
      rest = Math.floor(rest / shape[axis]!);
      stride *= full[axis]!;
    }
    data[offset + at] = values[i]!;
  }
}

export interface Combined {
  dataset: LabelledDataset;
  /** The variable holding the multiverse. */
  variable: string;
  /** Cases read, and cells left NaN (their case not done). */
  cases: number;
  missing: number;
}

/** Combine `p` of every done case into one labelled dataset (in memory). `onProgress` follows the cases read. */
export async function combineMultiverse(
  study: Study,
  p: MultiversePath,
  onProgress?: (read: number, total: number) => void,
): Promise<Combined> {
  if (study.model.kind !== 'command') {
    throw new FurrowError(
      'bad-input',
      `${study.file}: the model is a module, whose cases have no folders; the multiverse combines a file that each case folder holds (command models)`,
    );
  }
  const layout = await paramLayout(study);
  const cases = doneCases(study, layout.dims);
  if (cases.length === 0) {
    throw new FurrowError(
      'bad-input',
      `${study.dir}: no case is done yet in the run database, so there is no ${p.file} to combine; run the study first`,
    );
  }
  const h5 = await loadH5();
  const realStudy = fs.realpathSync(study.dir);
  const paramNames = new Set([...layout.dims.map((d) => d.name), ...layout.coordinates.map((c) => c.name)]);
  const cells = sizeOf(layout.dims.map((d) => d.size));
  let own: LabelledDim[] = [];
  let variable = p.inner.split('/').pop()!;
  let first: { shape: number[]; kind: VariableKind; path: string } | null = null;
  // The cases shaped as the first go straight into the multiverse; the others are kept until the longest
  // lengths are known (its own dims are as long as the longest case's), then the whole is laid out again.
  let data: Float64Array | string[] = new Float64Array(0);
  let inner = 1;
  const placed: number[] = [];
  const others: { cell: number; shape: number[]; values: Float64Array | string[] }[] = [];
  const tooMany = (inner: number) =>
    new FurrowError(
      'bad-input',
      `${p.text}: the multiverse would hold ${cells} cells × ${inner} values, more than the ${MAX_VALUES} Furrow combines in memory; combine a smaller dataset`,
    );
  for (const [k, c] of cases.entries()) {
    const got = await readCase(h5, realStudy, c, p);
    try {
      if (first === null) {
        own = ownDims(h5, study, got, p, variable);
        const clash = own.find((d) => paramNames.has(d.name));
        if (clash) {
          throw new FurrowError(
            'bad-input',
            `${got.path}: ${p.inner} has a dim '${clash.name}', which is also a parameter of the study; rename that dimension scale`,
          );
        }
        if (paramNames.has(variable) || own.some((d) => d.name === variable)) variable = `${variable}_values`;
        first = { shape: got.shape, kind: got.kind, path: got.path };
        inner = sizeOf(got.shape);
        if (cells * inner > MAX_VALUES) throw tooMany(inner);
        data =
          got.kind === 'string' ? new Array<string>(cells * inner).fill('') : new Float64Array(cells * inner).fill(NaN);
      } else if (got.shape.length !== first.shape.length || got.kind !== first.kind) {
        const what = (a: { shape: number[]; kind: string }) =>
          `${a.kind === 'string' ? 'strings' : 'numbers'} of shape [${a.shape.join(', ')}]`;
        throw new FurrowError(
          'bad-input',
          `${got.path}: ${p.inner} holds ${what(got)} (${c.label}), but ${first.path} holds ${what(first)}; the multiverse needs the same kind and number of axes in every case (lengths may differ: the shorter are padded)`,
        );
      } else if (got.shape.some((n, axis) => n > own[axis]!.size)) {
        // A longer case: that axis's coordinates are its own (the shorter cases' are their beginning).
        const longer = ownDims(h5, study, got, p, variable);
        own = own.map((d, axis) => (got.shape[axis]! > d.size ? { ...longer[axis]!, name: d.name } : d));
      }
      if (got.shape.join() === first.shape.join()) {
        placeCase(data, got.values, got.shape, first.shape, c.cell * inner);
        placed.push(c.cell);
      } else {
        if (cells * sizeOf(own.map((d) => d.size)) > MAX_VALUES) throw tooMany(sizeOf(own.map((d) => d.size)));
        others.push({ cell: c.cell, shape: got.shape, values: got.values });
      }
    } finally {
      got.file.close();
    }
    onProgress?.(k + 1, cases.length);
  }
  const full = own.map((d) => d.size);
  if (others.length) {
    const size = sizeOf(full);
    const laid =
      first!.kind === 'string' ? new Array<string>(cells * size).fill('') : new Float64Array(cells * size).fill(NaN);
    for (const cell of placed) {
      placeCase(laid, data.slice(cell * inner, (cell + 1) * inner), first!.shape, full, cell * size);
    }
    for (const o of others) placeCase(laid, o.values, o.shape, full, o.cell * size);
    data = laid;
  }
  // Along a dim whose length differs by case, the shorter cases are padded: say which dims, and with what.
  const shapes = [first!.shape, ...others.map((o) => o.shape)];
  const ragged = own.filter((_, axis) => shapes.some((shape) => shape[axis] !== full[axis])).map((d) => d.name);
  const padding = first!.kind === 'string' ? 'empty strings' : 'NaN';
  const raggedAttrs = ragged.length
    ? {
        ragged_dims: ragged.join(' '),
        comment: `lengths differ by case along ${ragged.join(', ')}: each shorter case is padded with ${padding} at its end`,
      }
    : {};
  const coordinatesAttr = layout.coordinates.length
    ? { coordinates: layout.coordinates.map((c) => c.name).join(' ') }
    : {};
  return {
    dataset: {
      dims: [...layout.dims, ...own],
      variables: [
        {
          name: variable,
          dims: [...layout.dims.map((d) => d.name), ...own.map((d) => d.name)],
          kind: first!.kind,
          data,
          attrs: { source: p.text, ...coordinatesAttr, ...raggedAttrs },
        },
        ...layout.coordinates,
      ],
      attrs: {
        study: study.spec.name,
        multiverse: p.text,
        cases_combined: cases.length,
        cells_missing: cells - cases.length,
        ...raggedAttrs,
      },
    },
    variable,
    cases: cases.length,
    missing: cells - cases.length,
  };
}

/** What the cache depends on: the path, the run database's last record, the dataset's file, study.yaml. */
function stampOf(study: Study, p: MultiversePath): string {
  const db = RunDb.openReadOnly(study.dir);
  let last: unknown;
  try {
    last = db?.lastCaseSeq() ?? null;
  } finally {
    db?.close();
  }
  const dataset = fs.existsSync(study.datasetPath) ? fs.statSync(study.datasetPath) : null;
  return createHash('sha1')
    .update(JSON.stringify([p.text, last, dataset && [dataset.mtimeMs, dataset.size], study.text]))
    .digest('hex');
}

export interface MultiverseFile {
  file: string;
  info: DatasetInfo;
  /** The variable that holds the multiverse (the file's other variables are coordinates). */
  variable: DatasetInfo['variables'][number];
  /** Whether it was written now (false: the cache was up to date). */
  written: boolean;
}

/**
 * The multiverse of `pathText` as a NetCDF4 file: `out` when given, else the study's cache
 * (data/multiverse/<name>.nc), which is written again only when the run database, the dataset or study.yaml
 * changed since.
 */
export async function multiverseFile(
  study: Study,
  pathText: string,
  options: { out?: string; onProgress?: (read: number, total: number) => void } = {},
): Promise<MultiverseFile> {
  const p = parseMultiversePath(pathText);
  const target = options.out ?? cacheFileOf(study, p);
  const stamp = stampOf(study, p);
  if (!options.out && fs.existsSync(target)) {
    try {
      const info = await describeDataset(target);
      const variable = info.variables.find((v) => v.attrs['source'] === p.text);
      if (info.attrs[STAMP_ATTR] === stamp && variable) return { file: target, info, variable, written: false };
    } catch {
      // an unreadable cache is written again
    }
  }
  const combined = await combineMultiverse(study, p, options.onProgress);
  const attrs = options.out ? combined.dataset.attrs : { ...combined.dataset.attrs, [STAMP_ATTR]: stamp };
  await writeDataset(target, { ...combined.dataset, attrs });
  const info = await describeDataset(target);
  return { file: target, info, variable: info.variables.find((v) => v.name === combined.variable)!, written: true };
}
