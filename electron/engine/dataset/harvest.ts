// Merging a run's results into the study's dataset, with xyzpy Harvester's rules: coordinates are the union
// (a dim stored in order, ascending or descending, stays in order, as xarray's combine_first keeps it; new values
// of any other dim are appended at its end), cells no run filled stay missing, and where a stored value and a
// new one disagree the `overwrite` policy decides: 'error' (refuse, naming the variable, the cell and both
// values, and write nothing), 'new' (the new value wins) or 'old' (the stored one stays). Missing never conflicts.
import type { LabelledDataset, LabelledDim, LabelledVariable } from '../../../shared/labelled';
import { sizeOf } from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { FurrowError } from '../errors';
import { coordText } from './mixed-coords';

/** How a refused harvest says what to do; the library (electron/lib/harvester.ts) says it in its own terms. */
export const OVERWRITE_HINT = 'Use --overwrite new to keep the new values or --overwrite old to keep the stored ones';

export type Overwrite = 'error' | 'new' | 'old';

/**
 * A harvest refused under `overwrite: 'error'`: a new value disagrees with a stored one. `detail` names the variable,
 * the cell and both values; the message adds what to do (OVERWRITE_HINT), which a run says in its own terms.
 */
export class ConflictError extends FurrowError {
  constructor(readonly detail: string) {
    super('bad-input', `${detail}. ${OVERWRITE_HINT}`);
    this.name = 'ConflictError';
  }
}

export function isMissing(data: LabelledVariable['data'], i: number): boolean {
  const v = data[i];
  return Array.isArray(data) ? v === '' : data instanceof Int8Array ? v === -1 : Number.isNaN(v as number);
}

export function blank(kind: LabelledVariable['kind'], n: number): LabelledVariable['data'] {
  if (kind === 'string') return new Array<string>(n).fill('');
  if (kind === 'bool') return new Int8Array(n).fill(-1);
  return new Float64Array(n).fill(NaN);
}

/** Where each index of `dim` lands in the merged dim. */
export function placeIn(merged: LabelledDim, dim: LabelledDim): number[] {
  if (!merged.values || !dim.values) return Array.from({ length: dim.size }, (_, i) => i);
  const at = new Map(merged.values.map((v, i) => [v, i]));
  return dim.values.map((v) => at.get(v)!);
}

/**
 * The stored values, then the new ones; kept in order when the stored ones are in order. `inOrder` false: the dim is
 * compared as strings (its values mix kinds, or the run's are of another kind), so the strings' order is not the
 * values' and the new ones are appended.
 */
export function unionDim(old: LabelledDim, fresh: LabelledDim, where: string, inOrder = true): LabelledDim {
  if (!old.values || !fresh.values) {
    if (old.size !== fresh.size) {
      throw new FurrowError(
        'bad-input',
        `${where}: dim '${old.name}' has ${old.size} cells there but ${fresh.size} in this run`,
      );
    }
    return old;
  }
  const seen = new Set(old.values);
  const values = [...old.values, ...fresh.values.filter((v) => !seen.has(v))];
  // Sorted only when the new values are of the stored kind too (sorting them in puts them all in order).
  const order = inOrder ? orderOf(old.values) : null;
  if (order && orderOf([...values].sort(order))) values.sort(order);
  return { name: old.name, values, size: values.length };
}

/**
 * How `values` are ordered, as a comparison to keep them so: ascending (one value counts), or strictly descending;
 * null when they are in no order or are not all numbers or all strings (booleans, mixed kinds).
 */
export function orderOf(values: Scalar[]): ((a: Scalar, b: Scalar) => number) | null {
  const kind = typeof values[0];
  if ((kind !== 'number' && kind !== 'string') || values.some((v) => typeof v !== kind || Number.isNaN(v))) return null;
  // All numbers or all strings from here (no null, no boolean); the values of a dim are unique: never equal.
  const ordered = values as (number | string)[];
  const ascending = (a: Scalar, b: Scalar) => ((a as number | string) < (b as number | string) ? -1 : 1);
  if (ordered.every((v, i) => i === 0 || ordered[i - 1]! < v)) return ascending;
  if (ordered.every((v, i) => i === 0 || ordered[i - 1]! > v)) return (a, b) => ascending(b, a);
  return null;
}

/** Copy `source` into `target` (merged layout), cell by cell, applying the overwrite policy. */
export function copyInto(
  target: LabelledVariable,
  targetShape: number[],
  source: LabelledVariable,
  sourceShape: number[],
  maps: number[][],
  policy: Overwrite | 'fill',
  describe: (targetIndex: number) => string,
): void {
  const rank = sourceShape.length;
  const targetStrides = targetShape.map((_, a) => sizeOf(targetShape.slice(a + 1)));
  const counter = new Array<number>(rank).fill(0);
  const total = sizeOf(sourceShape);
  for (let i = 0; i < total; i++) {
    let t = 0;
    for (let a = 0; a < rank; a++) t += maps[a]![counter[a]!]! * targetStrides[a]!;
    if (!isMissing(source.data, i)) {
      const stored = !isMissing(target.data, t);
      const differs = stored && target.data[t] !== source.data[i];
      if (policy === 'error' && differs) {
        throw new ConflictError(
          `${describe(t)}: the dataset holds ${JSON.stringify(target.data[t])} but this run gave ${JSON.stringify(source.data[i])}; nothing was written`,
        );
      }
      if (!stored || policy === 'new') (target.data as unknown[])[t] = source.data[i];
    }
    for (let a = rank - 1; a >= 0; a--) {
      if (++counter[a]! < sourceShape[a]!) break;
      counter[a] = 0;
    }
  }
}

type ValueKind = 'number' | 'string' | 'boolean' | 'object' | 'mixed';
/** The kind of a dim's values; undefined for a dim with no values yet, which takes the other side's kind. */
function kindOfValues(values: Scalar[]): ValueKind | undefined {
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size === 0) return undefined;
  return kinds.size === 1 ? ([...kinds][0] as ValueKind) : 'mixed';
}

/**
 * Coordinates are compared in the form they are stored in: a dim whose values mix kinds (or whose stored and new
 * values are of different kinds) is stored as strings, so both sides are compared as strings (null as "", as xarray
 * writes None). The merged dim keeps the values themselves (typedDim), which its strings' attribute keeps. A side
 * with no values yet has no kind of its own: the other side's values stay as they are.
 */
export function comparable(old: LabelledDim[], fresh: LabelledDim[]): [LabelledDim[], LabelledDim[]] {
  const asStrings = new Set(
    old
      .filter((o) => {
        const f = fresh.find((d) => d.name === o.name);
        if (!o.values || !f?.values) return false;
        const [a, b] = [kindOfValues(o.values), kindOfValues(f.values)];
        return a === 'mixed' || b === 'mixed' || (a !== undefined && b !== undefined && a !== b);
      })
      .map((o) => o.name),
  );
  const convert = (dims: LabelledDim[]) =>
    dims.map((d) => (asStrings.has(d.name) && d.values ? { ...d, values: d.values.map(coordText) } : d));
  return [convert(old), convert(fresh)];
}

/**
 * A merged dim compared as strings, with the values it was given again: each string's first value, the stored
 * ones first. A dim stored as strings before (or by another tool) keeps what it has.
 */
function typedDim(merged: LabelledDim, stored: LabelledDim, run: LabelledDim): LabelledDim {
  if (!merged.values || !stored.values || !run.values) return merged;
  const typed = new Map<string, Scalar>();
  for (const v of [...stored.values, ...run.values]) if (!typed.has(coordText(v))) typed.set(coordText(v), v);
  return { ...merged, values: merged.values.map((v) => (typed.has(coordText(v)) ? typed.get(coordText(v))! : v)) };
}

export function mergeDatasets(
  stored: LabelledDataset,
  run: LabelledDataset,
  overwrite: Overwrite,
  where: string,
): LabelledDataset {
  const [oldDims, freshDims] = comparable(stored.dims, run.dims);
  const old = { ...stored, dims: oldDims };
  const fresh = { ...run, dims: freshDims };
  const oldNames = old.dims.map((d) => d.name);
  const freshNames = fresh.dims.map((d) => d.name);
  const missing = freshNames.filter((d) => !oldNames.includes(d));
  const extra = oldNames.filter((d) => !freshNames.includes(d));
  if (missing.length || extra.length) {
    throw new FurrowError(
      'bad-input',
      `${where} has dims (${oldNames.join(', ')}) but this run has (${freshNames.join(', ')}); a run adds to a dataset with the same dims. Move the old dataset aside, or make the new parameter a dim of it first`,
    );
  }
  // A dim comparable() turned into strings is a new object: its order is not kept.
  const dims = old.dims.map((d) =>
    unionDim(
      d,
      fresh.dims.find((f) => f.name === d.name)!,
      where,
      stored.dims.includes(d),
    ),
  );
  const dimOf = new Map(dims.map((d) => [d.name, d]));
  const shapeOfDims = (names: string[], from: LabelledDim[]) => names.map((n) => from.find((d) => d.name === n)!.size);
  const mapsFor = (names: string[], from: LabelledDim[]) =>
    names.map((n) =>
      placeIn(
        dimOf.get(n)!,
        from.find((d) => d.name === n)!,
      ),
    );

  const names = [...new Set([...old.variables.map((v) => v.name), ...fresh.variables.map((v) => v.name)])];
  const variables = names.map((name): LabelledVariable => {
    const before = old.variables.find((v) => v.name === name);
    const now = fresh.variables.find((v) => v.name === name);
    const base = before ?? now!;
    if (before && now && before.dims.join() !== now.dims.join()) {
      throw new FurrowError(
        'bad-input',
        `${where}: '${name}' has dims (${before.dims.join(', ')}) there but (${now.dims.join(', ')}) in this run`,
      );
    }
    if (before && now && before.kind !== now.kind) {
      throw new FurrowError(
        'bad-input',
        `${where}: '${name}' holds ${before.kind} values there but ${now.kind} values in this run`,
      );
    }
    const shape = base.dims.map((n) => dimOf.get(n)!.size);
    const merged: LabelledVariable = { ...base, data: blank(base.kind, sizeOf(shape)) };
    const strides = shape.map((_, a) => sizeOf(shape.slice(a + 1)));
    const describe = (t: number) =>
      `'${name}' at ${base.dims
        .map((n, a) => {
          const at = Math.floor(t / strides[a]!) % shape[a]!;
          const values = dimOf.get(n)!.values;
          return `${n}=${values ? String(values[at] as Scalar) : at}`;
        })
        .join(', ')}`;
    const copy = (source: LabelledVariable, from: LabelledDim[], policy: Overwrite | 'fill') =>
      copyInto(merged, shape, source, shapeOfDims(source.dims, from), mapsFor(source.dims, from), policy, describe);
    if (before) copy(before, old.dims, 'fill'); // the stored values first, into an empty array
    if (now) copy(now, fresh.dims, overwrite);
    return merged;
  });
  const typed = dims.map((d, i) =>
    typedDim(
      d,
      stored.dims[i]!,
      run.dims.find((f) => f.name === d.name)!,
    ),
  );
  return { dims: typed, variables, attrs: { ...old.attrs, ...fresh.attrs } };
}
