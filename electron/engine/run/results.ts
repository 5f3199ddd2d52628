// Collects the outputs of a run's cases into labelled arrays laid out as xyzpy lays them out:
// the parameter dims first (case dims, combo dims, zip dims), then each output's own dims; NaN (or "" / -1
// for strings / booleans) in every cell that no case delivered.
import type { LabelledDataset, LabelledDim, LabelledVariable, VariableKind } from '../../../shared/labelled';
import { kindOf, sizeOf } from '../../../shared/labelled';
import type { Scalar, Space } from '../../../shared/space';

export interface OutputSpec {
  name: string;
  dims: string[];
}

interface Slot {
  spec: OutputSpec;
  kind: VariableKind | null;
  data: Float64Array | Int8Array | string[] | null;
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

export class ResultGrid {
  private readonly slots: Slot[];
  private readonly dimSizes = new Map<string, number>();
  /** Cells of the parameter dims (more than the cases run when particular cases leave holes). */
  private readonly cells: number;

  constructor(
    private readonly space: Space,
    outputs: OutputSpec[],
    private readonly coords: Record<string, Scalar[]>,
    /** keep: false checks outputs and returns their scalars but stores nothing (samples have no grid). */
    private readonly options: { keep: boolean } = { keep: true },
  ) {
    this.cells = space.cells;
    this.slots = outputs.map((spec) => ({ spec, kind: null, data: null }));
    for (const [dim, values] of Object.entries(coords)) this.dimSizes.set(dim, values.length);
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
   * Throws OutputError (and stores nothing) when they do not fit.
   */
  add(index: number, raw: unknown): Record<string, Scalar | null> {
    const checked: { slot: Slot; flat: ArrayLike<unknown>; kind: VariableKind | null }[] = [];
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
    for (const { slot, flat } of checked) {
      if (slot.spec.dims.length === 0) scalars[slot.spec.name] = (flat[0] as Scalar | null | undefined) ?? null;
    }
    for (const { slot, flat, kind } of checked) {
      if (!this.options.keep) break;
      if (kind === null) continue; // all missing: nothing to write
      if (slot.kind === null) {
        slot.kind = kind;
        slot.data = this.allocate(kind, this.cells * flat.length);
      }
      const offset = this.space.cellOf(index) * flat.length;
      const data = slot.data!;
      if (data instanceof Float64Array && isNumberArray(flat)) {
        data.set(flat, offset); // numbers from a typed array: one copy, no checks needed
        continue;
      }
      for (let i = 0; i < flat.length; i++) {
        const v = flat[i];
        if (v === null || v === undefined) continue;
        if (Array.isArray(data)) data[offset + i] = v as string;
        else if (data instanceof Int8Array) data[offset + i] = v ? 1 : 0;
        else data[offset + i] = v as number;
      }
    }
    return scalars;
  }

  private allocate(kind: VariableKind, n: number): Float64Array | Int8Array | string[] {
    if (kind === 'string') return new Array<string>(n).fill('');
    if (kind === 'bool') return new Int8Array(n).fill(-1);
    return new Float64Array(n).fill(NaN);
  }

  toDataset(attrs: LabelledDataset['attrs']): LabelledDataset {
    const inner = new Set(this.slots.flatMap((s) => s.spec.dims));
    const dims: LabelledDim[] = [
      ...this.space.dims.map((d) => ({ name: d.name, values: d.values, size: d.values.length })),
      ...[...inner].map((name) => {
        const values = this.coords[name];
        if (values) return { name, values, size: values.length };
        const size = this.dimSizes.get(name) ?? 1;
        return { name, values: Array.from({ length: size }, (_, i) => i), size };
      }),
    ];
    const paramDims = this.space.dims.map((d) => d.name);
    // Parameters that vary with a zip dim are coordinates along it (xarray reads the `coordinates` attribute).
    const coupled = this.space.dims.flatMap((d) => (d.coupled ?? []).map((c) => ({ ...c, dim: d.name })));
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
      return {
        name: slot.spec.name,
        dims: [...paramDims, ...slot.spec.dims],
        kind: slot.kind ?? 'float',
        data: slot.data ?? new Float64Array(this.cells * innerSize).fill(NaN),
        ...(coordinatesAttr ? { attrs: coordinatesAttr } : {}),
      };
    });
    return { dims, variables: [...variables, ...coordinateVars], attrs };
  }
}
