// Harvesting a run into the study's dataset file at a cost in proportion to the run, not to the file.
// In place where it can: the dims that grow are resized and their new coordinates written, the new region of
// every variable gets its missing values (NaN, written explicitly: unwritten chunks read as 0), and the run's
// values are written as one hyperslab per variable, after the stored values under it were read and the
// overwrite policy applied. Nothing is written until every variable has passed that check, and the writes run
// under a rollback journal (dataset-journal.ts), so a killed harvest leaves the file as it was before.
// Where a change cannot be made in place (a new variable or attribute, new coordinates that fall inside a dim kept
// in order, a string variable or string coords that grow, a dtype that would widen, a file not written by Furrow), the merged dataset is written to a temporary
// file and renamed over the old one instead.
import fs from 'node:fs';
import path from 'node:path';
import type { Dataset as H5Dataset, File as H5File } from 'h5wasm/node';
import type { DatasetInfo } from '../../../shared/api';
import type { LabelledDataset, LabelledDim, LabelledVariable } from '../../../shared/labelled';
import { sizeOf } from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { changeInPlace, recoverFile } from './dataset-journal';
import type { H5 } from './h5';
import { loadH5 } from './h5';
import type { Overwrite } from './harvest';
import { blank, comparable, copyInto, mergeDatasets, placeIn, unionDim } from './harvest';
import { describeOpen, openForReading, readDataset } from './netcdf-read';
import type { WritableDataset } from './netcdf-write';
import { bytesOf, writeBlank, writeDataset } from './netcdf-write';
import { copyAtomically, removeStaleTemporaries } from './atomic-file';
import { ensureRoom } from './disk';

/** HDF5's unlimited maximum size, as h5wasm reports it. */
const UNLIMITED = 2 ** 63;
const growable = (ds: H5Dataset, axis: number) => (ds.metadata.maxshape?.[axis] ?? 0) >= UNLIMITED;

interface DimChange {
  name: string;
  oldSize: number;
  added: Int8Array | BigInt64Array | Float64Array;
}

interface VariableChange {
  name: string;
  kind: LabelledVariable['kind'];
  oldShape: number[];
  newShape: number[];
  /** The run's values over the smallest box that holds them, already merged with what was stored there. */
  box: { start: number[]; shape: number[]; data: Float64Array | Int8Array } | null;
}

interface Plan {
  dims: DimChange[];
  variables: VariableChange[];
}

export type HarvestWay = 'created' | 'in place' | 'rewritten';

/**
 * Merge `fresh` into the dataset at `target` (creating it when missing) with xyzpy's rules (harvest.ts).
 * The caller holds the study's lock. Returns how it was written.
 */
export async function harvestInto(
  target: string,
  fresh: LabelledDataset,
  overwrite: Overwrite,
  options: {
    growableDims: string[];
    /** Where the old file is copied before it is rewritten. */
    backupDir: string;
    /** The file's description, if the caller read it already (under the same lock). */
    described?: DatasetInfo;
    /**
     * The whole dataset `fresh` is a box of (every variable without values), when it is one: a missing file is
     * then made for the whole, every cell missing, a slab at a time, and the box goes in as a later round's does.
     */
    whole?: WritableDataset;
  },
): Promise<HarvestWay> {
  recoverFile(target, { force: true });
  removeStaleTemporaries(target);
  let created = false;
  if (!fs.existsSync(target)) {
    if (!options.whole) {
      await writeDataset(target, fresh, options);
      return 'created';
    }
    await writeDataset(target, options.whole, options);
    created = true;
  }
  const h5 = await loadH5();
  const file = await openForReading(target);
  let plan: Plan | null;
  try {
    const described = created ? undefined : options.described;
    plan = planInPlace(h5, file, described ?? describeOpen(h5, file, target), fresh, overwrite);
  } finally {
    file.close();
  }
  if (!plan) {
    const merged = mergeDatasets(await readDataset(target), fresh, overwrite, target);
    // The copy is of the file as it was before the run: a run's later rounds keep its first copy.
    const backup = path.join(options.backupDir, path.basename(target));
    const copy = !fs.existsSync(backup);
    // Refused before the copy, when the disk cannot hold the copy and the new file beside the old one.
    ensureRoom(
      target,
      (copy ? fs.statSync(target).size : 0) + bytesOf(merged),
      copy ? 'writing it anew, beside a backup of it,' : 'writing it anew',
      'The dataset is as it was before',
    );
    if (copy) copyAtomically(target, backup);
    await writeDataset(target, merged, options);
    return 'rewritten';
  }
  const change = plan;
  changeInPlace(target, () => {
    const out = new h5.File(target, 'a');
    try {
      apply(h5, out, change);
    } finally {
      out.close();
    }
  });
  return created ? 'created' : 'in place';
}

/** The coordinates `values` appended to a stored coordinate variable, in its own type; null if they do not fit. */
function coordsFor(ds: H5Dataset, values: Scalar[]): DimChange['added'] | null {
  const m = ds.metadata;
  const isBool = ds.attrs['dtype']?.value === 'bool';
  if (isBool) return values.every((v) => typeof v === 'boolean') ? Int8Array.from(values, (v) => (v ? 1 : 0)) : null;
  if (!values.every((v) => typeof v === 'number')) return null;
  const nums = values as number[];
  if (m.type === 0 && m.size === 8 && m.signed) {
    return nums.every(Number.isSafeInteger) ? BigInt64Array.from(nums, (v) => BigInt(v)) : null;
  }
  if (m.type === 1 && m.size === 8) return Float64Array.from(nums);
  return null;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What an in-place harvest writes, checked against the stored values; null when it must rewrite the file. */
function planInPlace(
  h5: H5,
  file: H5File,
  info: DatasetInfo,
  fresh: LabelledDataset,
  overwrite: Overwrite,
): Plan | null {
  const where = info.path;
  const stored: LabelledDim[] = info.dims.map((d) => ({ name: d.name, values: d.values, size: d.size }));
  const names = stored.map((d) => d.name);
  if (names.length !== fresh.dims.length || fresh.dims.some((d) => !names.includes(d.name))) return null;
  const [oldDims, freshDims] = comparable(stored, fresh.dims);
  if (oldDims.some((d, i) => d.values !== stored[i]!.values)) return null; // the coordinates would change type
  for (const [name, value] of Object.entries(fresh.attrs)) if (!sameJson(info.attrs[name], value)) return null;

  const merged = new Map<string, LabelledDim>();
  const dims: DimChange[] = [];
  for (const old of oldDims) {
    const now = freshDims.find((d) => d.name === old.name)!;
    const union = unionDim(old, now, where);
    merged.set(old.name, union);
    if (union.size === old.size) continue;
    // New coordinates that fall inside a dim kept in order move stored cells: only a rewrite can do that.
    if (union.values!.slice(0, old.size).some((v, i) => v !== old.values![i])) return null;
    const ds = file.get(old.name) as H5Dataset;
    const added = coordsFor(ds, union.values!.slice(old.size));
    if (!growable(ds, 0) || !added) return null;
    dims.push({ name: old.name, oldSize: old.size, added });
  }

  const variables: VariableChange[] = [];
  for (const v of info.variables) {
    const ds = file.get(v.name) as H5Dataset;
    const kind = v.dtype === 'float64' ? 'float' : v.dtype === 'bool' ? 'bool' : v.dtype === 'string' ? 'string' : null;
    const newShape = v.dims.map((d) => merged.get(d)?.size ?? NaN);
    const grows = newShape.some((n, axis) => n !== v.shape[axis]);
    if (newShape.some(Number.isNaN)) return null;
    if (grows && kind !== 'float' && kind !== 'bool') return null;
    if (grows && newShape.some((n, axis) => n !== v.shape[axis] && !growable(ds, axis))) return null;
    const run = fresh.variables.find((f) => f.name === v.name);
    if (run && (run.kind !== kind || run.dims.join() !== v.dims.join())) return null;
    if (run && kind === 'string') return null; // h5wasm cannot write part of a string variable
    variables.push({
      name: v.name,
      kind: kind!,
      oldShape: v.shape,
      newShape,
      box: run ? mergedBox(ds, run, v.shape, freshDims, merged, overwrite) : null,
    });
  }
  if (fresh.variables.some((f) => !variables.some((v) => v.name === f.name))) return null; // a new variable
  return { dims, variables };
}

/**
 * The run's values for one variable over the smallest box of the merged dataset that holds them, merged with the
 * stored values under that box by the overwrite policy (which throws, naming the cell, on a disagreement).
 */
function mergedBox(
  ds: H5Dataset,
  run: LabelledVariable,
  oldShape: number[],
  freshDims: LabelledDim[],
  merged: Map<string, LabelledDim>,
  overwrite: Overwrite,
): NonNullable<VariableChange['box']> {
  const maps = run.dims.map((name) =>
    placeIn(
      merged.get(name)!,
      freshDims.find((d) => d.name === name)!,
    ),
  );
  const start = maps.map((m) => Math.min(...m));
  const shape = maps.map((m, axis) => Math.max(...m) + 1 - start[axis]!);
  // The stored cells under the box are its leading corner: the box starts inside the stored extent or past it.
  const storedShape = shape.map((n, axis) => Math.max(0, Math.min(n, oldShape[axis]! - start[axis]!)));
  // The common case, new coordinates appended in the run's own order: the run's values are the box as they are.
  const inOrder = maps.every((m, axis) => m.every((at, i) => at === start[axis]! + i));
  if (inOrder && sizeOf(storedShape) === 0 && !Array.isArray(run.data)) return { start, shape, data: run.data };
  const box: LabelledVariable = { ...run, data: blank(run.kind, sizeOf(shape)) };
  if (sizeOf(storedShape) > 0) {
    const ranges = start.map((s, axis): [number, number] => [s, s + storedShape[axis]!]);
    const storedPart = ds.slice(ranges) as Float64Array | Int8Array;
    const identity = storedShape.map((n) => Array.from({ length: n }, (_, i) => i));
    copyInto(box, shape, { ...run, data: storedPart }, storedShape, identity, 'new', () => '');
  }
  const describe = (t: number) => {
    const strides = shape.map((_, a) => sizeOf(shape.slice(a + 1)));
    return `'${run.name}' at ${run.dims
      .map((name, a) => {
        const at = start[a]! + (Math.floor(t / strides[a]!) % shape[a]!);
        const values = merged.get(name)!.values;
        return `${name}=${values ? String(values[at]) : at}`;
      })
      .join(', ')}`;
  };
  const local = maps.map((m, axis) => m.map((i) => i - start[axis]!));
  const runShape = run.dims.map((name) => freshDims.find((d) => d.name === name)!.size);
  copyInto(box, shape, run, runShape, local, overwrite, describe);
  return { start, shape, data: box.data as Float64Array | Int8Array };
}

/** The regions of `newShape` outside `oldShape`, as disjoint boxes: along each grown axis in turn. */
function grownRegions(oldShape: number[], newShape: number[]): { start: number[]; shape: number[] }[] {
  const regions: { start: number[]; shape: number[] }[] = [];
  newShape.forEach((n, axis) => {
    if (n === oldShape[axis]) return;
    regions.push({
      start: newShape.map((_, a) => (a === axis ? oldShape[a]! : 0)),
      shape: newShape.map((m, a) => (a < axis ? oldShape[a]! : a === axis ? m - oldShape[a]! : m)),
    });
  });
  return regions;
}

const within = (inner: { start: number[]; shape: number[] }, outer: { start: number[]; shape: number[] }) =>
  inner.start.every((s, a) => s >= outer.start[a]! && s + inner.shape[a]! <= outer.start[a]! + outer.shape[a]!);
const rangesOf = (r: { start: number[]; shape: number[] }) =>
  r.start.map((s, a): [number, number] => [s, s + r.shape[a]!]);

function apply(h5: H5, file: H5File, plan: Plan): void {
  for (const dim of plan.dims) {
    const ds = file.get(dim.name) as H5Dataset;
    ds.resize([dim.oldSize + dim.added.length]);
    ds.write_slice([[dim.oldSize, dim.oldSize + dim.added.length]], dim.added);
  }
  for (const v of plan.variables) {
    const ds = file.get(v.name);
    if (!(ds instanceof h5.Dataset)) continue;
    if (v.newShape.some((n, axis) => n !== v.oldShape[axis])) {
      ds.resize(v.newShape);
      for (const region of grownRegions(v.oldShape, v.newShape)) {
        if (v.box && within(region, v.box)) continue; // the run's values cover it
        if (sizeOf(region.shape) === 0) continue;
        writeBlank(ds, v.kind, region);
      }
    }
    if (v.box) ds.write_slice(rangesOf(v.box), v.box.data);
  }
}
