// A dim stored in order stays in order when a round adds to it, as xarray's combine_first (xyzpy's merge) keeps
// it; any other dim grows at its end. In memory (unionDim, mergeDatasets) and in a real HDF5 file (harvestInto:
// new values past the end of an ordered dim go in place, values that fall inside it need a rewrite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabelledDataset, LabelledDim } from '../../../shared/labelled';
import type { Scalar } from '../../../shared/space';
import { mergeDatasets, orderOf, unionDim } from './harvest';
import { harvestInto } from './harvest-file';
import { readDataset } from './netcdf-read';

const dim = (name: string, values: Scalar[]): LabelledDim => ({ name, values, size: values.length });
const union = (old: Scalar[], fresh: Scalar[]) => unionDim(dim('x', old), dim('x', fresh), 'h.nc').values;
const line = (xs: Scalar[], z: number[]): LabelledDataset => ({
  dims: [dim('x', xs)],
  variables: [{ name: 'z', dims: ['x'], kind: 'float', data: Float64Array.from(z) }],
  attrs: {},
});

describe('the order of a dim that grows', () => {
  it('keeps numbers and strings stored ascending in order, wherever the new ones fall', () => {
    expect(union([1, 2, 3], [0, 2.5, 10])).toEqual([0, 1, 2, 2.5, 3, 10]);
    expect(union(['x', 'y', 'z'], ['w', 'v'])).toEqual(['v', 'w', 'x', 'y', 'z']);
    // Numbers as numbers, not as text: 10 after 9.
    expect(union([1, 9], [10, 2])).toEqual([1, 2, 9, 10]);
    // One value is in order.
    expect(union([5], [3])).toEqual([3, 5]);
  });

  it('keeps a dim stored descending descending', () => {
    expect(union([3, 2, 1], [0, 2.5, 4])).toEqual([4, 3, 2.5, 2, 1, 0]);
    expect(union(['c', 'a'], ['b'])).toEqual(['c', 'b', 'a']);
  });

  it('appends to a dim in no order, of booleans, or of values of another kind, as before', () => {
    expect(union([2, 1, 3], [0])).toEqual([2, 1, 3, 0]);
    expect(union([1, 1.5, 1.2], [0])).toEqual([1, 1.5, 1.2, 0]);
    expect(union([true], [false])).toEqual([true, false]);
    expect(union([false, true], [true])).toEqual([false, true]);
    // Values of two kinds never compare: the merge stores such a dim as strings (comparable), in the order given.
    expect(union([1, 2], ['a', 0])).toEqual([1, 2, 'a', 0]);
    expect(union(['a', 'b'], [3])).toEqual(['a', 'b', 3]);
    // Numbers and strings do not make an order, even where JavaScript would compare them (1 < '2').
    expect(orderOf([1, '2'])).toBe(null);
    expect(orderOf(['1', 2])).toBe(null);
    // A repeated value is not an order; NaN compares with nothing.
    expect(orderOf([1, 1])).toBe(null);
    expect(orderOf([1, NaN])).toBe(null);
    expect(orderOf([NaN])).toBe(null);
  });

  it('puts each value where its coordinate lands, in the merge of two datasets', () => {
    const merged = mergeDatasets(line([1, 3], [10, 30]), line([4, 2], [40, 20]), 'error', 'h.nc');
    expect(merged.dims).toEqual([dim('x', [1, 2, 3, 4])]);
    expect([...merged.variables[0]!.data]).toEqual([10, 20, 30, 40]);
  });
});

describe('an ordered dim in a file', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-order-'));
  const options = (dir: string) => ({ growableDims: ['x'], backupDir: path.join(dir, 'backup') });

  it('grows in place when the new values come after the stored ones, and is rewritten when they fall inside', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, line([1, 3], [10, 30]), 'error', options(dir));
    expect(await harvestInto(file, line([5, 4], [50, 40]), 'error', options(dir))).toBe('in place');
    let read = await readDataset(file);
    expect(read.dims).toEqual([dim('x', [1, 3, 4, 5])]);
    expect([...read.variables[0]!.data]).toEqual([10, 30, 40, 50]);
    // x=2 falls between stored cells: the file is rewritten, after a copy of it into the backup folder.
    expect(await harvestInto(file, line([2, 6], [20, 60]), 'error', options(dir))).toBe('rewritten');
    read = await readDataset(file);
    expect(read.dims).toEqual([dim('x', [1, 2, 3, 4, 5, 6])]);
    expect([...read.variables[0]!.data]).toEqual([10, 20, 30, 40, 50, 60]);
    expect(fs.existsSync(path.join(dir, 'backup', 'h.nc'))).toBe(true);
  });

  it('appends in place to a dim in no order, wherever the new values would sort', async () => {
    const dir = tmp();
    const file = path.join(dir, 'h.nc');
    await harvestInto(file, line([3, 1, 2], [30, 10, 20]), 'error', options(dir));
    expect(await harvestInto(file, line([0], [0]), 'error', options(dir))).toBe('in place');
    const read = await readDataset(file);
    expect(read.dims).toEqual([dim('x', [3, 1, 2, 0])]);
    expect([...read.variables[0]!.data]).toEqual([30, 10, 20, 0]);
  });
});
