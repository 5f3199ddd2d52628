// A small HDF5 writer for command models written in JavaScript: `FURROW_H5` in a case's environment is the URL
// of this module (bundled with h5wasm), so a script run by Furrow, in or out of the app, can write its outputs:
//   const { writeH5 } = await import(process.env.FURROW_H5);
//   await writeH5('data.h5', { x: Float64Array.of(1, 2), 'abm/energy': [0.5, 0.7] }, { seed: 3 }, { dims: { x: 't' } });
import path from 'node:path';
import type { Dataset, File, Group } from 'h5wasm/node';
import type { H5 } from './h5';
import { loadH5 } from './h5';

type Data = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array | number[] | string[];

export interface WriteH5Options {
  /**
   * Each dataset's dims, one name per axis (a string for one axis): each dim becomes a dimension scale at the
   * file's root, as netCDF4 files have them, so xarray and Furrow read the dims by name. A dataset of the same name
   * at the root (given in `datasets`) holds its coordinates; without one, the positions 0..n-1 are written.
   */
  dims?: Record<string, string | string[]>;
}

function attachDims(h5: H5, f: File, name: string, dims: string[]): void {
  const ds = f.get(name.startsWith('/') ? name : `/${name}`);
  if (!(ds instanceof h5.Dataset)) throw new Error(`writeH5: dims are given for '${name}', which is not written`);
  const shape = ds.shape ?? [];
  if (shape.length !== dims.length) {
    throw new Error(`writeH5: '${name}' has ${shape.length} axes but dims names ${dims.length} (${dims.join(', ')})`);
  }
  dims.forEach((dim, axis) => {
    let scale = f.get(`/${dim}`);
    if (scale === null) {
      scale = f.create_dataset({ name: dim, data: BigInt64Array.from({ length: shape[axis]! }, (_, i) => BigInt(i)) });
    }
    if (!(scale instanceof h5.Dataset) || (scale.shape ?? []).length !== 1 || scale.shape![0] !== shape[axis]) {
      throw new Error(`writeH5: dim '${dim}' of '${name}' needs ${shape[axis]} coordinates; /${dim} is not that`);
    }
    if ((scale as Dataset).get_scale_name() === null) (scale as Dataset).make_scale(dim);
    ds.attach_scale(axis, `/${dim}`);
  });
}

export async function writeH5(
  file: string,
  datasets: Record<string, Data>,
  attrs: Record<string, number | string> = {},
  options: WriteH5Options = {},
): Promise<void> {
  const h5 = await loadH5();
  const f = new h5.File(path.resolve(file), 'w');
  try {
    for (const [name, data] of Object.entries(datasets)) {
      const parts = name.replace(/^\//, '').split('/');
      let group: Group = f;
      for (const part of parts.slice(0, -1)) {
        const existing = group.get(part);
        group = existing instanceof h5.Group ? existing : group.create_group(part);
      }
      const values = Array.isArray(data) && data.every((v) => typeof v === 'number') ? Float64Array.from(data) : data;
      group.create_dataset({ name: parts.at(-1)!, data: values });
    }
    for (const [name, dims] of Object.entries(options.dims ?? {}))
      attachDims(h5, f, name, typeof dims === 'string' ? [dims] : dims);
    for (const [name, value] of Object.entries(attrs)) f.create_attribute(name, value);
  } finally {
    f.close();
  }
}
