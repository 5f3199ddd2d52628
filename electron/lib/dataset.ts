// A labelled dataset as the library hands it out: dims with their coords, variables, attrs; `sel` and `isel` as
// xarray's; `toNetCDF` writes it as `furrow run` writes a study's dataset (xarray, `furrow inspect` and the app
// open it).
import type { LabelledDataset, LabelledVariable } from '../../shared/labelled';
import { sizeOf } from '../../shared/labelled';
import type { Scalar } from '../../shared/space';
import { writeDataset } from '../engine/netcdf-write';
import { RunnerError } from './runners';

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
