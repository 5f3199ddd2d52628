// Which of a study's run items the dataset already holds a value for: the dataset's side of `--missing-only`
// (the run database is the other). A cell counts as stored when any variable has a value there; only the box of
// the dataset that the requested coordinates span is read.
import fs from 'node:fs';
import type { DatasetInfo } from '../../../shared/api';
import { sizeOf } from '../../../shared/labelled';
import type { Scalar, Space } from '../../../shared/space';
import { describeDataset, readRegion } from '../dataset/netcdf-read';
import type { Study } from '../study/study';
import type { ItemSet } from './case-list';
import { NO_ITEMS, itemSetOf } from './case-list';

const key = (v: Scalar) => `${typeof v}:${String(v)}`;

/** How the dataset's description is had: read from the file, unless the caller (a run) has read it already. */
type Describe = () => Promise<DatasetInfo>;

export function storedRunItems(study: Study, describe?: Describe): Promise<ItemSet> {
  return storedCells(study.datasetPath, study.space, describe);
}

/** Cases over parameter dims: each case's cell, in mixed radix over the dims' values (the last varying fastest). */
type Cells = Pick<Space, 'count' | 'cellOf'> & { dims: { name: string; values: Scalar[] }[] };

/**
 * For each set of parameters (as the run database records them), whether the dataset `file` holds a value at its
 * cell: its parameter dims are the dataset's dims the parameters name. Used after a kill, when the study file may
 * have changed since the run, so it asks nothing of the study.
 */
export async function heldCases(
  file: string,
  params: Record<string, Scalar>[],
  describe: Describe = () => describeDataset(file),
): Promise<boolean[]> {
  if (!fs.existsSync(file) || params.length === 0) return params.map(() => false);
  const info = await describe();
  const names = info.dims.map((d) => d.name).filter((name) => params.some((p) => Object.hasOwn(p, name)));
  if (names.length === 0) return params.map(() => false);
  const dims = names.map((name) => {
    const at = new Map<string, number>();
    const values: Scalar[] = [];
    for (const p of params) {
      if (!Object.hasOwn(p, name) || at.has(key(p[name]!))) continue;
      at.set(key(p[name]!), values.length);
      values.push(p[name]!);
    }
    return { name, values, at };
  });
  // A case that lacks one of the dims has no cell: it is not held.
  const lacking = params.map((p) => names.some((name) => !Object.hasOwn(p, name)));
  const cells: Cells = {
    dims,
    count: params.length,
    cellOf: (i) => dims.reduce((cell, d) => cell * d.values.length + (d.at.get(key(params[i]![d.name]!)) ?? 0), 0),
  };
  const stored = await storedCells(file, cells, describe);
  return params.map((_, i) => !lacking[i] && stored.has(i));
}

/** About how many values a read of the dataset takes at a time: what is held meanwhile does not grow with it. */
const SLAB_VALUES = 1 << 20;

/**
 * The items of `space` whose cell the dataset `file` holds a value for (none, when there is no file yet), one byte
 * per item. The dataset is read a slab at a time along its first dim.
 */
export async function storedCells(
  file: string,
  space: Cells,
  describe: Describe = () => describeDataset(file),
): Promise<ItemSet> {
  if (!fs.existsSync(file)) return NO_ITEMS;
  const info = await describe();
  const dims = space.dims;
  // For each parameter dim, where each requested value sits in the stored dim (-1: not there).
  const positions = dims.map((d) => {
    const values = info.dims.find((s) => s.name === d.name)?.values ?? [];
    const exact = new Map(values.map((v, i) => [key(v), i]));
    const loose = new Map(values.map((v, i) => [String(v), i])); // stored as strings (mixed kinds)
    return d.values.map((v) => exact.get(key(v)) ?? loose.get(String(v)) ?? -1);
  });
  if (positions.some((p) => p.every((i) => i < 0))) return NO_ITEMS;
  const start = positions.map((p) => Math.min(...p.filter((i) => i >= 0)));
  const shape = positions.map((p, d) => Math.max(...p) + 1 - start[d]!);
  // hasValue[cell of the box over the parameter dims]: any variable holds something there.
  const hasValue = new Uint8Array(sizeOf(shape));
  for (const v of info.variables) {
    const axes = dims.map((d) => v.dims.indexOf(d.name));
    if (axes.some((a) => a < 0)) continue;
    const ranges = v.dims.map((name, axis): [number, number] => {
      const d = axes.indexOf(axis);
      return d >= 0 ? [start[d]!, start[d]! + shape[d]!] : [0, v.shape[axis]!];
    });
    const regionShape = ranges.map(([a, b]) => b - a);
    const strides = regionShape.map((_, a) => sizeOf(regionShape.slice(a + 1)));
    const fill = v.attrs['_FillValue'];
    // Slabs along the first axis, each about SLAB_VALUES values.
    const perRow = strides[0] ?? 1;
    const rows = regionShape[0] ?? 1;
    const step = Math.max(1, Math.floor(SLAB_VALUES / Math.max(1, perRow)));
    for (let row = 0; row < rows; row += step) {
      const slab = ranges.map((r, axis): [number, number] =>
        axis === 0 ? [r[0] + row, r[0] + Math.min(rows, row + step)] : r,
      );
      const data = await readRegion(file, v.name, slab);
      const offset = row * perRow;
      for (let i = 0; i < data.length; i++) {
        const x = data[i]!;
        if (x === '' || (typeof x === 'number' && (Number.isNaN(x) || x === fill || (v.dtype === 'bool' && x < 0))))
          continue;
        let cell = 0;
        for (let d = 0; d < dims.length; d++) {
          const at = Math.floor((offset + i) / strides[axes[d]!]!) % regionShape[axes[d]!]!;
          cell = cell * shape[d]! + at;
        }
        hasValue[cell] = 1;
      }
    }
  }
  const sizes = dims.map((d) => d.values.length);
  const stored = new Uint8Array(space.count);
  for (let index = 0; index < space.count; index++) {
    let rest = space.cellOf(index);
    let cell = 0;
    let scale = 1;
    let missing = false;
    for (let d = dims.length - 1; d >= 0; d--) {
      const p = positions[d]![rest % sizes[d]!]!;
      rest = Math.floor(rest / sizes[d]!);
      if (p < 0) {
        missing = true;
        break;
      }
      cell += (p - start[d]!) * scale;
      scale *= shape[d]!;
    }
    if (!missing && hasValue[cell]) stored[index] = 1;
  }
  return itemSetOf(stored);
}
