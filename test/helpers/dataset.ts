// A dataset's whole content as Furrow's reader gives it, for comparing two datasets cell by cell.
import { describeDataset, readSlice } from '../../electron/engine/dataset/netcdf-read';

/** Every dim's coords and every variable's dims and values. */
export async function datasetValues(file: string): Promise<Record<string, unknown>> {
  const info = await describeDataset(file);
  const out: Record<string, unknown> = { dims: info.dims.map((d) => [d.name, d.values]) };
  for (const v of info.variables) {
    const slice = await readSlice(file, v.name, {});
    out[v.name] = { dims: slice.dims, values: slice.values };
  }
  return out;
}
