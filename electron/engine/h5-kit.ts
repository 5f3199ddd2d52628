// A small HDF5 writer for command models written in JavaScript: `FURROW_H5` in a case's environment is the URL
// of this module (bundled with h5wasm), so a script run by Furrow, in or out of the app, can write its outputs:
//   const { writeH5 } = await import(process.env.FURROW_H5);
//   await writeH5('data.h5', { x: Float64Array.of(1, 2), 'abm/energy': [0.5, 0.7] }, { seed: 3 });
import path from 'node:path';
import type { Group } from 'h5wasm/node';
import { loadH5 } from './h5';

type Data = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array | number[] | string[];

export async function writeH5(
  file: string,
  datasets: Record<string, Data>,
  attrs: Record<string, number | string> = {},
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
    for (const [name, value] of Object.entries(attrs)) f.create_attribute(name, value);
  } finally {
    f.close();
  }
}
