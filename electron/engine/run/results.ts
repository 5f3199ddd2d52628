// Collects the outputs of a run's cases into labelled arrays laid out as xyzpy lays them out:
// the parameter dims first (case dims, combo dims, zip dims), then each output's own dims; NaN (or "" / -1
// for strings / booleans) in every cell that no case delivered.
import type { LabelledDataset, LabelledDim, LabelledVariable, VariableKind } from '../../../shared/labelled';
import { kindOf, sizeOf } from '../../../shared/labelled';
import type { OwnDimsValues } from '../db/run-db';
import type { WritableDataset } from '../dataset/netcdf-write';
import type { Scalar, Space } from '../../../shared/space';

export interface OutputSpec {
  name: string;
  dims: string[];
}

interface Slot {
  spec: OutputSpec;
  kind: VariableKind | null;
  /** Values per cell (the product of its own dims), once known. */
  inner: number;
  /** The values of the cells delivered so far, `inner` per cell, in the order of `cells`. */
  values: Float64Array | Int8Array | string[] | null;
}

/** An output of a case, checked: its values flat, and their kind (null: all missing). */
interface Checked {
  slot: Slot;
  flat: ArrayLike<unknown>;
  kind: VariableKind | null;
}

/** Thrown for a case whose outputs cannot be stored; the case fails with this message. */
export class OutputError extends Error {}

/** A typed array of numbers (not BigInt, not bytes of a DataView): stored as it is, without a copy to an array. */
type NumberArray = Exclude<ArrayBufferView, DataView | BigInt64Array | BigUint64Array> & ArrayLike<number>;
const isNumberArray = (v: unknown): v is NumberArray =>
  ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);

function shapeAndFlatten(value: unknown, name: string): { shape: number[]; flat: ArrayLike<unknown> } {
  if (isNumberArray(value)) return { shape: [value.length], flat: value };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return {
      shape: [(value as unknown as ArrayLike<unknown>).length],
      flat: Array.from(value as unknown as ArrayLike<unknown>),
    };
  }
  if (!Array.isArray(value)) return { shape: [], flat: [value] };
  if (value.length === 0) return { shape: [0], flat: [] };
  const parts = value.map((v) => shapeAndFlatten(v, name));
  const inner = parts[0]!.shape;
  for (const p of parts) {
    if (p.shape.join() !== inner.join()) {
      throw new OutputError(`output '${name}' is a ragged array: its rows have shapes [${inner}] and [${p.shape}]`);
    }
  }
  return { shape: [value.length, ...inner], flat: parts.flatMap((p) => Array.from(p.flat)) };
}

/**
 * The outputs of a run's cases (or of one round of them), held for the cells delivered only: a round of a study of
 * 10^7 cases holds that round's values, not a grid of 10^7 cells. It gives them as the whole grid (toDataset, for
 * the library) or as the smallest box of the grid that holds them (boxDataset, what a harvest round writes).
 */
export class ResultGrid {
  private readonly slots: Slot[];
  private readonly dimSizes = new Map<string, number>();
  /** Cells of the parameter dims (more than the cases run when particular cases leave holes). */
  private readonly cells: number;
  /** The cell of each case delivered, in delivery order. */
  private delivered: Float64Array<ArrayBufferLike> = new Float64Array(1024);
  private count = 0;

  constructor(
    private readonly space: Space,
    outputs: OutputSpec[],
    private readonly coords: Record<string, Scalar[]>,
    /** keep: false checks outputs and returns their scalars but stores nothing (samples have no grid). */
    private readonly options: { keep: boolean } = { keep: true },
  ) {
    this.cells = space.cells;
    this.slots = outputs.map((spec) => ({ spec, kind: null, inner: 0, values: null }));
    for (const [dim, values] of Object.entries(coords)) this.dimSizes.set(dim, values.length);
  }

  /** Whether any case was delivered. */
  get empty(): boolean {
    return this.count === 0;
  }

  /** What the cases delivered take: their values (8 bytes each, 1 for booleans, 8 for a string's place) and cells. */
  get bytes(): number {
    let each = 8;
    for (const slot of this.slots) each += slot.inner * (slot.kind === 'bool' ? 1 : 8);
    return this.count * each;
  }

  /** Match what a model returned to the declared outputs: an object by name, or an array in order. */
  private byName(raw: unknown): Map<string, unknown> {
    const names = this.slots.map((s) => s.spec.name);
    const isPlainObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !ArrayBuffer.isView(raw);
    if (isPlainObject) {
      const obj = raw as Record<string, unknown>;
      const extra = Object.keys(obj).filter((k) => !names.includes(k));
      if (extra.length) {
        throw new OutputError(
          `the model returned ${extra.map((k) => `'${k}'`).join(', ')}, which study.yaml's outputs do not declare (declared: ${names.join(', ')})`,
        );
      }
      const missing = names.filter((n) => !(n in obj));
      if (missing.length) throw new OutputError(`the model returned no ${missing.map((k) => `'${k}'`).join(', ')}`);
      return new Map(names.map((n) => [n, obj[n]]));
    }
    if (names.length === 1) return new Map([[names[0]!, raw]]);
    if (!Array.isArray(raw) || raw.length !== names.length) {
      throw new OutputError(
        `the model returned ${Array.isArray(raw) ? `an array of ${raw.length}` : typeof raw}; expected an object with ${names.join(', ')} or an array of ${names.length} values in that order`,
      );
    }
    return new Map(names.map((n, i) => [n, raw[i]]));
  }

  /**
   * Store the outputs of case `index`, and return its scalar outputs (for the run database).
   * Throws OutputError (and stores nothing) when they do not fit. `arrays`, when given, receives the numeric
   * outputs with dims of their own, as float64 (what a sample, which has no cell in the dataset, keeps of them).
   */
  add(index: number, raw: unknown, arrays?: Record<string, OwnDimsValues>): Record<string, Scalar | null> {
    // The commonest case, a number for a study's one scalar output, without the general checks' allocations.
    if (typeof raw === 'number' && this.slots.length === 1 && this.slots[0]!.spec.dims.length === 0) {
      const slot = this.slots[0]!;
      if (slot.kind !== null && slot.kind !== 'float') {
        throw new OutputError(`output '${slot.spec.name}' was ${slot.kind} in earlier cases but is float here`);
      }
      if (slot.values !== null && this.options.keep) this.keepNumber(index, slot, raw);
      else this.keep(index, [{ slot, flat: [raw], kind: 'float' }]);
      return { [slot.spec.name]: raw };
    }
    const checked: Checked[] = [];
    const sizes = new Map<string, number>();
    for (const [name, value] of this.byName(raw)) {
      const slot = this.slots.find((s) => s.spec.name === name)!;
      const { shape, flat } = shapeAndFlatten(value, name);
      const dims = slot.spec.dims;
      const expected = dims.map((d) => this.dimSizes.get(d) ?? sizes.get(d) ?? null);
      if (shape.length !== dims.length || shape.some((s, i) => expected[i] !== null && expected[i] !== s)) {
        const want = `[${dims.map((d, i) => `${d}=${expected[i] ?? '?'}`).join(', ')}]`;
        throw new OutputError(`output '${name}' has shape [${shape.join(', ')}] but its dims are ${want}`);
      }
      dims.forEach((d, i) => sizes.set(d, shape[i]!));
      // A typed array holds numbers only; anything else is checked value by value.
      let kind: VariableKind | null = isNumberArray(flat) && flat.length > 0 ? 'float' : null;
      for (let i = 0; !isNumberArray(flat) && i < flat.length; i++) {
        const v = flat[i];
        if (v === null || v === undefined) continue;
        const k = kindOf(v);
        if (k === null)
          throw new OutputError(`output '${name}' holds a ${typeof v}; outputs are numbers, booleans or strings`);
        if (kind !== null && k !== kind) throw new OutputError(`output '${name}' mixes ${kind} and ${k} values`);
        kind = k;
      }
      if (kind !== null && slot.kind !== null && kind !== slot.kind) {
        throw new OutputError(`output '${name}' was ${slot.kind} in earlier cases but is ${kind} here`);
      }
      checked.push({ slot, flat, kind });
    }
    for (const [d, n] of sizes) this.dimSizes.set(d, n);
    const scalars: Record<string, Scalar | null> = {};
    for (const { slot, flat, kind } of checked) {
      const { dims, name } = slot.spec;
      if (dims.length === 0) scalars[name] = (flat[0] as Scalar | null | undefined) ?? null;
      else if (arrays && kind !== 'string') {
        const values = new Float64Array(flat.length);
        for (let i = 0; i < flat.length; i++) {
          const v = flat[i];
          values[i] = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
        }
        arrays[name] = { shape: dims.map((d) => sizes.get(d)!), values };
      }
    }
    this.keep(index, checked);
    return scalars;
  }

  /** keep() of one number for the one output, its values begun already: what most cases of a fast model take. */
  private keepNumber(index: number, slot: Slot, value: number): void {
    const at = this.count++;
    if (at === this.delivered.length) this.delivered = grow(this.delivered, at * 2) as Float64Array;
    this.delivered[at] = this.space.cellOf(index);
    if (at >= slot.values!.length) slot.values = grow(slot.values!, (at + 1) * 2);
    (slot.values as Float64Array)[at] = value;
  }

  /** Keep case `index`'s checked outputs in the grid (unless the grid keeps nothing). */
  private keep(index: number, checked: Checked[]): void {
    if (!this.options.keep) return;
    const at = this.count++;
    if (at === this.delivered.length) this.delivered = grow(this.delivered, at * 2) as Float64Array;
    this.delivered[at] = this.space.cellOf(index);
    for (const { slot, flat, kind } of checked) {
      if (slot.kind === null && kind !== null) {
        slot.kind = kind;
        slot.inner = flat.length;
        slot.values = this.allocate(kind, Math.max(1024, (at + 1) * flat.length));
        // Cases delivered before this one had only missing values here.
        if (at > 0) fillMissing(slot.values, 0, at * flat.length);
      }
      if (slot.values === null) continue; // every case so far all missing: nothing to keep
      const offset = at * slot.inner;
      if (offset + slot.inner > slot.values.length) slot.values = grow(slot.values, (at + 1) * 2 * slot.inner);
      const data = slot.values;
      if (kind === null) {
        fillMissing(data, offset, offset + slot.inner);
        continue;
      }
      if (data instanceof Float64Array && isNumberArray(flat)) {
        data.set(flat, offset); // numbers from a typed array: one copy, no checks needed
        continue;
      }
      for (let i = 0; i < flat.length; i++) {
        const v = flat[i];
        if (Array.isArray(data)) data[offset + i] = v === null || v === undefined ? '' : (v as string);
        else if (data instanceof Int8Array) data[offset + i] = v === null || v === undefined ? -1 : v ? 1 : 0;
        else data[offset + i] = v === null || v === undefined ? NaN : (v as number);
      }
    }
  }

  private allocate(kind: VariableKind, n: number): Float64Array | Int8Array | string[] {
    if (kind === 'string') return new Array<string>(n).fill('');
    if (kind === 'bool') return new Int8Array(n).fill(-1);
    return new Float64Array(n).fill(NaN);
  }

  /** The dims of the dataset: the parameter dims whole, then the outputs' own. */
  private allDims(): LabelledDim[] {
    const inner = new Set(this.slots.flatMap((s) => s.spec.dims));
    return [
      ...this.space.dims.map((d) => ({ name: d.name, values: d.values, size: d.values.length })),
      ...[...inner].map((name) => {
        const values = this.coords[name];
        if (values) return { name, values, size: values.length };
        const size = this.dimSizes.get(name) ?? 1;
        return { name, values: Array.from({ length: size }, (_, i) => i), size };
      }),
    ];
  }

  /** The whole grid's layout, without values: what a harvest makes a new dataset file from (harvest-file.ts). */
  skeleton(attrs: LabelledDataset['attrs']): WritableDataset {
    const full = this.dataset(
      attrs,
      this.space.dims.map((d) => [0, d.values.length]),
      false,
    );
    const outputs = new Set(this.slots.map((s) => s.spec.name));
    return { ...full, variables: full.variables.map((v) => (outputs.has(v.name) ? { ...v, data: null } : v)) };
  }

  /** The whole grid: every cell, missing where no case was delivered. */
  toDataset(attrs: LabelledDataset['attrs']): LabelledDataset {
    return this.dataset(
      attrs,
      this.space.dims.map((d) => [0, d.values.length]),
    );
  }

  /**
   * The smallest box of the grid that holds every case delivered (for each parameter dim, the span of its
   * positions), as a dataset whose parameter dims are those spans of the study's dims. Null when none was.
   */
  boxDataset(attrs: LabelledDataset['attrs']): LabelledDataset | null {
    if (this.count === 0) return null;
    const sizes = this.space.dims.map((d) => d.values.length);
    const lo = sizes.map((n) => n);
    const hi = sizes.map(() => -1);
    for (let c = 0; c < this.count; c++) {
      let rest = this.delivered[c]!;
      for (let d = sizes.length - 1; d >= 0; d--) {
        const at = rest % sizes[d]!;
        rest = Math.floor(rest / sizes[d]!);
        if (at < lo[d]!) lo[d] = at;
        if (at > hi[d]!) hi[d] = at;
      }
    }
    return this.dataset(
      attrs,
      lo.map((l, d): [number, number] => [l, hi[d]! + 1]),
    );
  }

  /**
   * The dataset over `ranges` of the parameter dims ([from, to) positions each), the delivered values placed (or,
   * without `values`, the outputs' arrays left empty: the skeleton's).
   */
  private dataset(attrs: LabelledDataset['attrs'], ranges: [number, number][], values = true): LabelledDataset {
    const all = this.allDims();
    const paramCount = this.space.dims.length;
    const dims: LabelledDim[] = all.map((d, i) => {
      if (i >= paramCount) return d;
      const [from, to] = ranges[i]!;
      return { name: d.name, values: d.values!.slice(from, to), size: to - from };
    });
    const sizes = this.space.dims.map((d) => d.values.length);
    const box = ranges.map(([from, to]) => to - from);
    const boxCells = sizeOf(box);
    /** Where delivered cell c lands in the box (-1: outside, which a box of every delivered cell never is). */
    const placeOf = (cell: number) => {
      let rest = cell;
      let at = 0;
      let scale = 1;
      for (let d = sizes.length - 1; d >= 0; d--) {
        const p = (rest % sizes[d]!) - ranges[d]![0];
        rest = Math.floor(rest / sizes[d]!);
        if (p < 0 || p >= box[d]!) return -1;
        at += p * scale;
        scale *= box[d]!;
      }
      return at;
    };
    const paramDims = this.space.dims.map((d) => d.name);
    // Parameters that vary with a zip dim are coordinates along it (xarray reads the `coordinates` attribute).
    const coupled = this.space.dims.flatMap((d, i) =>
      (d.coupled ?? []).map((c) => ({ ...c, dim: d.name, values: c.values.slice(ranges[i]![0], ranges[i]![1]) })),
    );
    const coordinateVars: LabelledVariable[] = coupled.map((c) => ({
      name: c.name,
      dims: [c.dim],
      kind: c.values.every((v) => typeof v === 'number')
        ? 'float'
        : c.values.every((v) => typeof v === 'boolean')
          ? 'bool'
          : 'string',
      data: c.values.every((v) => typeof v === 'number')
        ? Float64Array.from(c.values as number[])
        : c.values.every((v) => typeof v === 'boolean')
          ? Int8Array.from(c.values, (v) => (v ? 1 : 0))
          : c.values.map(String),
    }));
    const coordinatesAttr = coupled.length ? { coordinates: coupled.map((c) => c.name).join(' ') } : undefined;
    const variables: LabelledVariable[] = this.slots.map((slot) => {
      const innerSize = sizeOf(slot.spec.dims.map((d) => dims.find((x) => x.name === d)!.size));
      const data = this.allocate(slot.kind ?? 'float', values ? boxCells * innerSize : 0);
      if (values && slot.values) {
        for (let c = 0; c < this.count; c++) {
          const at = placeOf(this.delivered[c]!);
          if (at < 0) continue;
          for (let i = 0; i < innerSize; i++) {
            (data as unknown[])[at * innerSize + i] = slot.values[c * innerSize + i];
          }
        }
      }
      return {
        name: slot.spec.name,
        dims: [...paramDims, ...slot.spec.dims],
        kind: slot.kind ?? 'float',
        data,
        ...(coordinatesAttr ? { attrs: coordinatesAttr } : {}),
      };
    });
    return { dims, variables: [...variables, ...coordinateVars], attrs };
  }
}

/** `data` with room for `n` values, what it held kept (missing values after it). */
function grow<T extends Float64Array | Int8Array | string[]>(data: T, n: number): T {
  if (Array.isArray(data)) return [...data, ...new Array<string>(n - data.length).fill('')] as T;
  const grown = new (data.constructor as new (n: number) => Float64Array | Int8Array)(n);
  grown.set(data as never);
  fillMissing(grown, data.length, n);
  return grown as T;
}

function fillMissing(data: Float64Array | Int8Array | string[], from: number, to: number): void {
  if (Array.isArray(data)) data.fill('', from, to);
  else if (data instanceof Int8Array) data.fill(-1, from, to);
  else data.fill(NaN, from, to);
}
