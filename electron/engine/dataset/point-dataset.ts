// The point dataset of an adaptive run (`furrow adapt`): every point evaluated along one `point` dim, the learned
// parameters and the other combos as coordinates on it, the learned output as a variable over it (NaN where the
// model failed), the run's options and the learners' settings in attributes. NetCDF4 as the study's dataset is, so
// xarray opens it; written whole into a temporary file renamed over the old one, a round at a time.
import fs from 'node:fs';
import type { Scalar } from '../../../shared/space';
import { FurrowError } from '../errors';
import { describeDataset } from './netcdf-read';
import type { WritableDataset } from './netcdf-write';
import { writeDataset } from './netcdf-write';

export const POINT_DIM = 'point';
/** The attribute holding what the points learn (the parameters' ranges and the output), as JSON. */
export const ADAPT_ATTR = 'furrow_adapt';

export interface PointColumns {
  /** The learned parameters' values, a column each (in the options' order). */
  params: { name: string; values: number[] }[];
  /** The other combos' values, a column each. */
  combos: { name: string; values: Scalar[] }[];
  output: { name: string; values: (number | null)[] };
  /** Whether each point's evaluation failed (1) or not (0). */
  failed: number[];
  /** The run (run_seq) that evaluated each point. */
  runs: number[];
}

function coordinate(name: string, values: Scalar[]): WritableDataset['variables'][number] {
  if (values.every((v) => typeof v === 'number'))
    return { name, dims: [POINT_DIM], kind: 'float', data: Float64Array.from(values as number[]) };
  if (values.every((v) => typeof v === 'boolean'))
    return { name, dims: [POINT_DIM], kind: 'bool', data: Int8Array.from(values.map(Number)) };
  return { name, dims: [POINT_DIM], kind: 'string', data: values.map((v) => (v === null ? '' : String(v))) };
}

/** Write the points to `file` (whole, atomically). */
export async function writePointDataset(
  file: string,
  columns: PointColumns,
  attrs: Record<string, Scalar | Scalar[]>,
): Promise<void> {
  const n = columns.failed.length;
  const coords = [...columns.params, ...columns.combos].map((c) => coordinate(c.name, c.values));
  const dataset: WritableDataset = {
    dims: [{ name: POINT_DIM, values: Array.from({ length: n }, (_, i) => i), size: n }],
    variables: [
      ...coords,
      {
        name: columns.output.name,
        dims: [POINT_DIM],
        kind: 'float',
        data: Float64Array.from(columns.output.values, (v) => v ?? NaN),
        attrs: { coordinates: coords.map((c) => c.name).join(' ') },
      },
      {
        name: 'failed',
        dims: [POINT_DIM],
        kind: 'bool',
        data: Int8Array.from(columns.failed),
        attrs: { long_name: 'the model failed at this point' },
      },
      { name: 'run', dims: [POINT_DIM], kind: 'float', data: Float64Array.from(columns.runs) },
    ],
    attrs,
  };
  await writeDataset(file, dataset);
}

/**
 * What a stored point dataset learned (its ADAPT_ATTR, parsed), or null when there is none. A file that does not
 * open (cut short, say) is refused with what to do; it is left as it is.
 */
export async function storedAdaptSettings(file: string, whatToDo: string): Promise<unknown> {
  if (!fs.existsSync(file)) return null;
  let attrs: Record<string, unknown>;
  try {
    attrs = (await describeDataset(file)).attrs;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new FurrowError('bad-input', `${file} does not open as a point dataset (${why}). ${whatToDo}`);
  }
  const text = attrs[ADAPT_ATTR];
  if (typeof text !== 'string') {
    throw new FurrowError(
      'bad-input',
      `${file} is not the point dataset of an adaptive run (no ${ADAPT_ATTR} attribute). ${whatToDo}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FurrowError('bad-input', `${file}: its ${ADAPT_ATTR} attribute is not JSON. ${whatToDo}`);
  }
}
