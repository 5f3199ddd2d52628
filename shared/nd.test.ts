import { describe, expect, it } from 'vitest';
import type { NdArray } from './nd';
import { applyStep, diff, isel, normalize, reduce, sel, squeeze, transpose } from './nd';

// a(seed, t): seed 0 → 1, 2, 3; seed 1 → 3, NaN, 7.
const a: NdArray = {
  dims: ['seed', 't'],
  shape: [2, 3],
  coords: [
    [10, 11],
    [0, 0.5, 1],
  ],
  data: Float64Array.from([1, 2, 3, 3, NaN, 7]),
};

describe('labelled arrays', () => {
  it('selects by index and by value, saying which values exist', () => {
    expect(Array.from(isel(a, 'seed', -1).data)).toEqual([3, NaN, 7]);
    expect(Array.from(sel(a, 't', 0.5).data)).toEqual([2, NaN]);
    expect(() => sel(a, 't', 0.25)).toThrow(/0.25 is not a value of 't' \(its values: 0, 0.5, 1\)/);
    expect(() => isel(a, 'seed', 2)).toThrow(/outside 'seed' \(length 2\)/);
  });

  it('reduces skipping NaN, as xarray does', () => {
    expect(Array.from(reduce(a, 'seed', 'mean').data)).toEqual([2, 2, 5]);
    expect(Array.from(reduce(a, 't', 'sum').data)).toEqual([6, 10]);
    expect(Array.from(reduce(a, 't', 'median').data)).toEqual([2, 5]);
    expect(reduce(a, 'seed', 'std').data[2]).toBeCloseTo(2);
    expect(reduce(a, 'seed', 'max').dims).toEqual(['t']);
  });

  it('transposes, diffs, normalizes and squeezes', () => {
    const t = transpose(a, ['t', 'seed']);
    expect(Array.from(t.data)).toEqual([1, 3, 2, NaN, 3, 7]);
    expect(t.coords[0]).toEqual([0, 0.5, 1]);
    const d = diff(a, 't');
    expect(Array.from(d.data)).toEqual([1, 1, NaN, NaN]);
    expect(d.coords[1]).toEqual([0.5, 1]);
    expect(Array.from(normalize(a, 't').data)).toEqual([0, 0.5, 1, 0, NaN, 1]);
    const one = { dims: ['a', 'b'], shape: [1, 2], coords: [[0], [0, 1]], data: Float64Array.from([4, 5]) };
    expect(squeeze(one).dims).toEqual(['b']);
    expect(Array.from(applyStep(a, { log10: true }).data.slice(0, 1))).toEqual([0]);
  });
});
