// A labelled dataset as the library hands it out: dims with their coords, variables, attrs; `sel` and `isel` as
// xarray's; `Dataset.open` reads any NetCDF4/HDF5 file as xarray's open_dataset does (CF-decoded, stored dtypes);
// `toNetCDF` writes it as `furrow run` writes a study's dataset (xarray, `furrow inspect` and the app open it).
import path from 'node:path';
import type { LabelledDataset, StoredDataset, StoredVariable } from '../../shared/labelled';
import { sizeOf } from '../../shared/labelled';
import type { Scalar } from '../../shared/space';
import { readDecoded } from '../engine/dataset/netcdf-read';
import { writeDataset } from '../engine/dataset/netcdf-write';
import { library } from './runner-error';
import { RunnerError } from './runner-error';

/**
 * A variable's values: numbers in their stored type (`dtype`: int32 stays an Int32Array, int64 a BigInt64Array;
 * float64 with NaN missing), booleans as 1/0 (-1 missing), strings ("" missing), or CF dates as ISO strings.
 */
export interface Variable {
  dims: string[];
  shape: number[];
  kind: StoredVariable['kind'];
  dtype: string;
  data: StoredVariable['data'];
}

export class Dataset {
  constructor(readonly labelled: StoredDataset) {}

  /**
   * Any NetCDF4/HDF5 file's root, as `xr.open_dataset` opens it: CF-decoded (`_FillValue`/`missing_value` masked,
   * `scale_factor`/`add_offset` applied, `units: "<unit> since <date>"` in any CF calendar as ISO dates), every
   * other number in its stored type.
   */
  static open(file: string): Promise<Dataset> {
    return library(async () => new Dataset(await readDecoded(path.resolve(file))));
  }

  /** As Furrow stores a dataset: numbers as float64 (NaN missing), dates as text. */
  toLabelled(): LabelledDataset {
    return {
      dims: this.labelled.dims.map(({ name, values, size }) => ({ name, values, size })),
      attrs: this.labelled.attrs,
      variables: this.labelled.variables.map((v) => ({
        name: v.name,
        dims: v.dims,
        ...(v.attrs ? { attrs: v.attrs } : {}),
        kind: v.kind === 'int' ? 'float' : v.kind === 'date' ? 'string' : v.kind,
        data:
          Array.isArray(v.data) || v.data instanceof Float64Array || (v.kind === 'bool' && v.data instanceof Int8Array)
            ? v.data
            : Float64Array.from(v.data as ArrayLike<number | bigint>, Number),
      })),
    };
  }

  get dims(): Record<string, number> {
    return Object.fromEntries(this.labelled.dims.map((d) => [d.name, d.size]));
  }

  get coords(): Record<string, Scalar[]> {
    return Object.fromEntries(
      this.labelled.dims.map((d) => [d.name, d.values ?? Array.from({ length: d.size }, (_, i) => i)]),
    );
  }

  get attrs(): LabelledDataset['attrs'] {
    return this.labelled.attrs;
  }

  get variables(): Record<string, Variable> {
    const sizes = this.dims;
    return Object.fromEntries(
      this.labelled.variables.map((v) => [
        v.name,
        { dims: v.dims, shape: v.dims.map((d) => sizes[d]!), kind: v.kind, dtype: dtypeOf(v), data: v.data },
      ]),
    );
  }

  /** Fix dims at positions; each dim fixed goes (xarray's isel with integers). */
  isel(at: Record<string, number>): Dataset {
    let ds = this.labelled;
    for (const [dim, index] of Object.entries(at)) {
      const d = ds.dims.find((x) => x.name === dim);
      if (!d) throw new RunnerError(`isel: no dim '${dim}' (dims: ${ds.dims.map((x) => x.name).join(', ')})`);
      const i = index < 0 ? d.size + index : index;
      if (!Number.isInteger(i) || i < 0 || i >= d.size)
        throw new RunnerError(`isel: ${dim}=${index} is outside 0..${d.size - 1}`);
      ds = drop(ds, dim, i);
    }
    return new Dataset(ds);
  }

  /** Fix dims at coordinate values; each dim fixed goes (xarray's sel). */
  sel(at: Record<string, Scalar>): Dataset {
    const coords = this.coords;
    const positions: Record<string, number> = {};
    for (const [dim, value] of Object.entries(at)) {
      const values = coords[dim];
      if (!values) throw new RunnerError(`sel: no dim '${dim}' (dims: ${Object.keys(coords).join(', ')})`);
      const i = values.indexOf(value);
      if (i < 0)
        throw new RunnerError(
          `sel: ${dim} has no value ${JSON.stringify(value)} (it has ${values
            .slice(0, 10)
            .map((v) => JSON.stringify(v))
            .join(', ')}${values.length > 10 ? ', …' : ''})`,
        );
      positions[dim] = i;
    }
    return this.isel(positions);
  }

  /** A summary as xarray prints one: dims, coords, variables (first and last values) and attrs. */
  toString(): string {
    const sizes = this.dims;
    const dimNames = Object.keys(sizes);
    const width = Math.max(0, ...dimNames.map((d) => d.length), ...this.labelled.variables.map((v) => v.name.length));
    const pad = (name: string) => name.padEnd(width);
    const lines = [
      '<furrow.Dataset>',
      `Dimensions:  (${dimNames.map((d) => `${d}: ${sizes[d]}`).join(', ')})`,
      'Coordinates:',
      ...this.labelled.dims.map((d) => `  * ${pad(d.name)}  (${d.name}) ${preview(this.coords[d.name]!)}`),
      'Data variables:',
      ...this.labelled.variables.map(
        (v) => `    ${pad(v.name)}  (${v.dims.join(', ')}) ${dtypeOf(v)} ${preview(valuesOf(v))}`,
      ),
    ];
    const attrs = Object.entries(this.attrs);
    if (attrs.length > 0) {
      lines.push('Attributes:', ...attrs.map(([k, v]) => `    ${k}: ${Array.isArray(v) ? preview(v) : format(v)}`));
    }
    return lines.join('\n');
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Write it as NetCDF4 (HDF5), as Furrow writes a study's dataset. */
  async toNetCDF(file: string): Promise<void> {
    await writeDataset(file, this.toLabelled());
  }
}

/** The dataset with `dim` fixed at position `at` and gone. */
function drop(ds: StoredDataset, dim: string, at: number): StoredDataset {
  const sizes = new Map(ds.dims.map((d) => [d.name, d.size]));
  const variables = ds.variables.map((v): StoredVariable => {
    const axis = v.dims.indexOf(dim);
    if (axis < 0) return v;
    const shape = v.dims.map((d) => sizes.get(d)!);
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const pick = (i: number) => {
      const o = Math.floor(i / inner);
      return (o * shape[axis]! + at) * inner + (i % inner);
    };
    const n = outer * inner;
    let data: StoredVariable['data'];
    if (Array.isArray(v.data)) {
      const from = v.data;
      data = Array.from({ length: n }, (_, i) => from[pick(i)]!);
    } else {
      // The same typed array type as stored: an Int32Array stays one.
      const from = v.data as unknown as { [i: number]: number | bigint };
      const out = new (v.data.constructor as new (n: number) => typeof v.data)(n);
      const to = out as unknown as { [i: number]: number | bigint };
      for (let i = 0; i < n; i++) to[i] = from[pick(i)]!;
      data = out;
    }
    return { ...v, dims: v.dims.filter((d) => d !== dim), data };
  });
  return { ...ds, dims: ds.dims.filter((d) => d.name !== dim), variables };
}

const dtypeOf = (v: StoredVariable) =>
  v.dtype ?? (v.kind === 'float' ? 'float64' : v.kind === 'date' ? 'datetime' : v.kind);

/** Stands for the values left out of a preview. */
const MORE = Symbol('more');
type Shown = Scalar | null | typeof MORE;

/** A variable's first and last three values as they read: booleans as true/false, missing as nan. */
function valuesOf(v: StoredVariable): Shown[] {
  const at = (i: number): Scalar | null => {
    const raw = v.data[i]!;
    const x = typeof raw === 'bigint' ? Number(raw) : raw;
    if (v.kind === 'bool') return x === -1 ? null : x === 1;
    if (v.kind === 'string') return x === '' ? null : x;
    if (v.kind === 'date') return x === 'NaT' ? null : x;
    return x;
  };
  const n = v.data.length;
  const ends = n <= 7 ? [...Array(n).keys()] : [0, 1, 2, -1, n - 3, n - 2, n - 1];
  return ends.map((i) => (i === -1 ? MORE : at(i)));
}

function format(x: Shown): string {
  if (x === MORE) return '...';
  if (x === null || (typeof x === 'number' && Number.isNaN(x))) return 'nan';
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'number') return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
  return String(x);
}

/** The first and last three values, as xarray shows a long array. */
function preview(values: Shown[]): string {
  const shown: Shown[] = values.length <= 7 ? values : [...values.slice(0, 3), MORE as Shown, ...values.slice(-3)];
  return shown.map(format).join(' ');
}
