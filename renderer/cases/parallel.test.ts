import { describe, expect, it } from 'vitest';
import { axesOf, filtersFromBrush, wantsLog } from './parallel';

const columns = [
  { name: 'dt', kind: 'param' as const, values: [1e-4, 1e-3, 1e-2, 1e-1] },
  { name: 'n', kind: 'param' as const, values: [1, 2, 3, 4] },
  { name: 'err', kind: 'output' as const, values: [0.5, null, -1, 2] },
];

describe('parallel coordinates', () => {
  it('draws a column spanning decades as log10 with its ticks relabelled, others as they are', () => {
    expect(wantsLog(columns[0]!.values)).toBe(true);
    expect(wantsLog(columns[1]!.values)).toBe(false);
    expect(wantsLog(columns[2]!.values)).toBe(false); // not all positive
    const [dt, n, err] = axesOf(columns, {});
    expect(dt).toMatchObject({
      label: 'dt (log)',
      log: true,
      tickvals: [-4, -3, -2, -1],
      ticktext: ['1e-4', '1e-3', '1e-2', '1e-1'],
    });
    expect(dt!.values.map((v) => Math.round(v))).toEqual([-4, -3, -2, -1]);
    expect(n).toMatchObject({ label: 'n', log: false, values: [1, 2, 3, 4] });
    expect(err!.values[1]).toBeNaN(); // a missing value is no point on the axis
  });

  it('turns a brush into a range filter of the table (in the values, not their log), and a filter back into a brush', () => {
    const axes = axesOf(columns, {});
    expect(filtersFromBrush({ 'dimensions[1].constraintrange': [[2, 3]] }, columns, axes)).toEqual({ n: '2..3' });
    expect(
      filtersFromBrush(
        {
          'dimensions[0].constraintrange': [
            [
              [-3, -2],
              [-1.5, -1],
            ],
          ],
        },
        columns,
        axes,
      ),
    ).toEqual({
      dt: '0.001..0.1',
    });
    expect(filtersFromBrush({ 'dimensions[1].constraintrange': [null] }, columns, axes)).toEqual({ n: '' });
    expect(filtersFromBrush({ 'line.color': [[1]] }, columns, axes)).toEqual({});
    const back = axesOf(columns, { dt: '0.001..0.1', n: '> 2' });
    expect(back[0]!.constraintrange).toEqual([-3, -1]);
    expect(back[1]!.constraintrange).toBeUndefined();
  });
});
