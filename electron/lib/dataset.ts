// A labelled dataset as the library hands it out: dims with their coords, variables, attrs; `sel` and `isel` as
// xarray's; `toNetCDF` writes it as `furrow run` writes a study's dataset (xarray, `furrow inspect` and the app
// open it).
import type { LabelledDataset, LabelledVariable } from '../../shared/labelled';
import { sizeOf } from '../../shared/labelled';
import type { Scalar } from '../../shared/space';
import { writeDataset } from '../engine/dataset/netcdf-write';
import { RunnerError } from './runner-error';

/** A variable's values: numbers (NaN missing), booleans as 1/0 (-1 missing), or strings ("" missing). */
export interface Variable {
  dims: string[];
  shape: number[];
  kind: LabelledVariable['kind'];
  data: LabelledVariable['data'];
}

export class Dataset {
  constructor(readonly labelled: LabelledDataset) {}

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
        { dims: v.dims, shape: v.dims.map((d) => sizes[d]!), kind: v.kind, data: v.data },
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
    await writeDataset(file, this.labelled);
  }
}

/** The dataset with `dim` fixed at position `at` and gone. */
function drop(ds: LabelledDataset, dim: string, at: number): LabelledDataset {
  const sizes = new Map(ds.dims.map((d) => [d.name, d.size]));
  const variables = ds.variables.map((v): LabelledVariable => {
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
    const data = Array.isArray(v.data)
      ? Array.from({ length: n }, (_, i) => (v.data as string[])[pick(i)]!)
      : v.data instanceof Int8Array
        ? Int8Array.from({ length: n }, (_, i) => (v.data as Int8Array)[pick(i)]!)
        : Float64Array.from({ length: n }, (_, i) => (v.data as Float64Array)[pick(i)]!);
    return { ...v, dims: v.dims.filter((d) => d !== dim), data };
  });
  return { ...ds, dims: ds.dims.filter((d) => d.name !== dim), variables };
}

const dtypeOf = (v: LabelledVariable) => (v.kind === 'float' ? 'float64' : v.kind);

/** Stands for the values left out of a preview. */
const MORE = Symbol('more');
type Shown = Scalar | null | typeof MORE;

/** A variable's first and last three values as they read: booleans as true/false, missing as nan. */
function valuesOf(v: LabelledVariable): Shown[] {
  const at = (i: number): Scalar | null => {
    const x = v.data[i]!;
    if (v.kind === 'bool') return x === -1 ? null : x === 1;
    if (v.kind === 'string') return x === '' ? null : x;
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
