// Editing a dataset as xyzpy's Harvester can: `expand-dims` turns a constant into a new dim of length 1 (so that
// later runs can vary it), `drop` removes coordinate values. Both change the shape of every variable, so both
// rewrite the file: the old one is copied to backups/<timestamp>/ first, the new one is written to a temporary
// file and renamed over it, all under the lock of the folder it is in. `furrow dataset` edits a study's dataset;
// the library's Harvester (electron/lib/harvester.ts) edits its own file with the same functions.
import fs from 'node:fs';
import path from 'node:path';
import type { LabelledDataset, LabelledVariable } from '../../../shared/labelled';
import { shapeOf, sizeOf } from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { recoverFile } from './dataset-journal';
import { FurrowError } from '../errors';
import type { Dataset as H5Dataset } from 'h5wasm/node';
import { dataOf, describeDataset, openForReading, readDataset } from './netcdf-read';
import type { WritableDataset } from './netcdf-write';
import { bytesOf, writeDataset } from './netcdf-write';
import { copyAtomically, removeStaleTemporaries } from './atomic-file';
import { ensureRoom } from './disk';
import type { Study } from '../study/study';
import { lockStudy } from '../study/study-lock';

export interface EditResult {
  dataset: string;
  backup: string;
  dims: { name: string; size: number }[];
}

/** A dataset edit: the dataset in, the edited one out; `file` names it in messages. */
export type Edit = (dataset: LabelledDataset, file: string) => LabelledDataset;

export interface EditPlace {
  /** The folder whose lock (.furrow.lock) is held meanwhile: a study's, or the dataset's own. */
  lockDir: string;
  /** The old file is copied into <lockDir>/backups/<timestamp>/. */
  what: string;
  /** The outputs' own dims; every other dim can grow in later harvests. */
  innerDims: Iterable<string>;
  /** What to say when the file does not exist. */
  missing: string;
}

/** Rewrite the dataset `file` with `edit`, under a folder's lock, after copying it into that folder's backups/. */
export async function editDatasetFile(file: string, edit: Edit, place: EditPlace): Promise<EditResult> {
  const unlock = lockStudy(place.lockDir, place.what);
  try {
    recoverFile(file, { force: true });
    removeStaleTemporaries(file);
    if (!fs.existsSync(file)) throw new FurrowError('bad-input', place.missing);
    const edited = edit(await readDataset(file), file);
    const backup = path.join(place.lockDir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
    ensureRoom(
      file,
      fs.statSync(file).size + bytesOf(edited),
      'writing it anew, beside a backup of it,',
      'The dataset is as it was before',
    );
    copyAtomically(file, path.join(backup, path.basename(file)));
    const inner = new Set(place.innerDims);
    await writeDataset(file, edited, { growableDims: edited.dims.map((d) => d.name).filter((d) => !inner.has(d)) });
    return { dataset: file, backup, dims: edited.dims.map((d) => ({ name: d.name, size: d.size })) };
  } finally {
    unlock();
  }
}

function editDataset(study: Study, what: string, edit: Edit): Promise<EditResult> {
  return editDatasetFile(study.datasetPath, edit, {
    lockDir: study.dir,
    what: `furrow dataset ${what}`,
    innerDims: Object.values(study.spec.outputs).flatMap((o) => o.dims),
    missing: `${study.datasetPath} does not exist yet: run the study first, then edit its dataset`,
  });
}

const same = (a: Scalar, b: Scalar) => a === b || String(a) === String(b);

/** `furrow dataset expand-dims`: the constant `name` becomes the dataset's first dim, of length 1, at `value`. */
export function expandDims(study: Study, name: string, value: Scalar): Promise<EditResult> {
  return expandDimsFile(study.datasetPath, name, value, {
    lockDir: study.dir,
    what: 'furrow dataset expand-dims',
    innerDims: Object.values(study.spec.outputs).flatMap((o) => o.dims),
    missing: `${study.datasetPath} does not exist yet: run the study first, then edit its dataset`,
  });
}

/** Values read a slab at a time when a file is copied: what is held meanwhile does not grow with the file. */
const SLAB_VALUES = 1 << 20;

/**
 * expand-dims without holding the dataset: the new file has the new dim first and every variable one axis more,
 * and each variable's values are copied from the old file a slab of rows at a time (expandDimsEdit says what the
 * result is; this writes the same without reading the whole file into memory).
 */
export async function expandDimsFile(file: string, name: string, value: Scalar, place: EditPlace): Promise<EditResult> {
  const unlock = lockStudy(place.lockDir, place.what);
  try {
    recoverFile(file, { force: true });
    removeStaleTemporaries(file);
    if (!fs.existsSync(file)) throw new FurrowError('bad-input', place.missing);
    const info = await describeDataset(file);
    // The same checks and result as expandDimsEdit, on the file's description instead of its values.
    const layout = expandDimsEdit(name, value)(
      {
        dims: info.dims.map((d) => ({ name: d.name, values: d.values, size: d.size })),
        variables: [],
        attrs: info.attrs as LabelledDataset['attrs'],
      },
      file,
    );
    const source = await openForReading(file);
    try {
      const variables: WritableDataset['variables'] = info.variables.map((v) => {
        const { _FillValue: fill, dtype: _dtype, ...attrs } = v.attrs;
        const kind: LabelledVariable['kind'] = v.dtype === 'string' ? 'string' : v.dtype === 'bool' ? 'bool' : 'float';
        const ds = source.get(v.name) as H5Dataset;
        const common = {
          name: v.name,
          dims: [name, ...v.dims],
          kind,
          attrs: attrs as Record<string, Scalar | Scalar[]>,
        };
        // Strings cannot be written a slice at a time: those are copied whole.
        if (kind === 'string') return { ...common, data: (dataOf(ds, file) as unknown[]).map(String) };
        const rows = v.shape[0] ?? 1;
        const perRow = sizeOf(v.shape.slice(1));
        const step = Math.max(1, Math.floor(SLAB_VALUES / Math.max(1, perRow)));
        return {
          ...common,
          data: null,
          slabs: (write) => {
            for (let row = 0; row < rows; row += step) {
              const end = Math.min(rows, row + step);
              const ranges = v.shape.map((n, axis): [number, number] => (axis === 0 ? [row, end] : [0, n]));
              let values = dataOf(ds, file, v.shape.length ? ranges : undefined) as Float64Array | Int8Array;
              if (kind === 'float' && typeof fill === 'number' && !Number.isNaN(fill)) {
                values = Float64Array.from(values, (x) => (x === fill ? NaN : x));
              }
              write([[0, 1], ...ranges], values);
            }
          },
        };
      });
      const backup = path.join(place.lockDir, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
      const bytes = fs.statSync(file).size;
      ensureRoom(file, 2 * bytes, 'writing it anew, beside a backup of it,', 'The dataset is as it was before');
      copyAtomically(file, path.join(backup, path.basename(file)));
      const inner = new Set(place.innerDims);
      await writeDataset(
        file,
        { dims: layout.dims, variables, attrs: layout.attrs },
        { growableDims: layout.dims.map((d) => d.name).filter((d) => !inner.has(d)) },
      );
      return { dataset: file, backup, dims: layout.dims.map((d) => ({ name: d.name, size: d.size })) };
    } finally {
      source.close();
    }
  } finally {
    unlock();
  }
}

/** `furrow dataset drop`: remove the coordinate values `values` of dim `name`, and their cells. */
export function dropValues(study: Study, name: string, values: Scalar[]): Promise<EditResult> {
  return editDataset(study, 'drop', dropValuesEdit(name, values));
}

/** The edit that makes `name` a new first dim of length 1 at `value` (from the attribute of that name, if any). */
export function expandDimsEdit(name: string, value: Scalar): Edit {
  return (dataset, file) => {
    if (dataset.dims.some((d) => d.name === name)) {
      throw new FurrowError('bad-input', `${file} already has a dim '${name}'`);
    }
    const { [name]: stored, ...attrs } = dataset.attrs;
    if (stored !== undefined && (Array.isArray(stored) || !same(stored, value))) {
      throw new FurrowError(
        'bad-input',
        `${file} says ${name} = ${JSON.stringify(stored)} (an attribute): the values it holds were made with that, so the new dim must take it`,
      );
    }
    return {
      dims: [{ name, values: [value], size: 1 }, ...dataset.dims],
      variables: dataset.variables.map((v) => ({ ...v, dims: [name, ...v.dims] })),
      attrs,
    };
  };
}

/** The values of `variable` with only the positions `keep` along `axis`. */
function takeAlong(
  variable: LabelledVariable,
  shape: number[],
  axis: number,
  keep: number[],
): LabelledVariable['data'] {
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis]!;
  const out: number[] | string[] = [];
  const data = variable.data;
  for (let o = 0; o < outer; o++) {
    for (const k of keep) {
      const from = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) (out as unknown[]).push(data[from + i]);
    }
  }
  if (data instanceof Float64Array) return Float64Array.from(out as number[]);
  if (data instanceof Int8Array) return Int8Array.from(out as number[]);
  return out as string[];
}

/** The edit that removes the coordinate values `values` of dim `name`, and their cells. */
export function dropValuesEdit(name: string, values: Scalar[]): Edit {
  return (dataset, file) => {
    const dim = dataset.dims.find((d) => d.name === name);
    if (!dim?.values) {
      throw new FurrowError(
        'bad-input',
        `${file} has no dim '${name}' with coordinates (its dims: ${dataset.dims.map((d) => d.name).join(', ')})`,
      );
    }
    const stored = dim.values;
    const absent = values.filter((v) => !stored.some((s) => same(s, v)));
    if (absent.length > 0) {
      throw new FurrowError(
        'bad-input',
        `'${name}' has no value ${absent.map(String).join(', ')} in ${file} (it has ${stored.map(String).join(', ')}); nothing was changed`,
      );
    }
    const keep = stored.flatMap((s, i) => (values.some((v) => same(s, v)) ? [] : [i]));
    if (keep.length === 0) {
      throw new FurrowError(
        'bad-input',
        `dropping every value of '${name}' would leave an empty dataset; delete the file instead`,
      );
    }
    const byName = new Map(dataset.dims.map((d) => [d.name, d]));
    return {
      dims: dataset.dims.map((d) => (d === dim ? { name, values: keep.map((i) => stored[i]!), size: keep.length } : d)),
      variables: dataset.variables.map((v) => {
        const axis = v.dims.indexOf(name);
        if (axis === -1) return v;
        return { ...v, data: takeAlong(v, shapeOf(v.dims.map((d) => byName.get(d)!)), axis, keep) };
      }),
      attrs: dataset.attrs,
    };
  };
}
