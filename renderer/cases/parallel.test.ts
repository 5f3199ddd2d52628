import { describe, expect, it } from 'vitest';
import {
  axesOf,
  categoryColours,
  filterOfBrush,
  insideFilters,
  niceTicks,
  passesFilter,
  viridis,
  wantsLog,
} from './parallel';

const columns = [
  { name: 'dt', kind: 'param' as const, values: [1e-4, 1e-3, 1e-2, 1e-1] },
  { name: 'n', kind: 'param' as const, values: [1, 2, 3, 4] },
  { name: 'err', kind: 'output' as const, values: [0.5, null, -1, 2] },
];

describe('parallel coordinates', () => {
  it('draws a column spanning decades as log10 with its ticks labelled in the values, others as they are', () => {
    expect(wantsLog(columns[0]!.values)).toBe(true);
    expect(wantsLog(columns[1]!.values)).toBe(false);
    expect(wantsLog(columns[2]!.values)).toBe(false); // not all positive
    const [dt, n, err] = axesOf(columns, {});
    expect(dt).toMatchObject({ label: 'dt (log)', log: true, domain: [-4, -1] });
    expect(dt!.ticks.map((t) => t.text)).toEqual(['1e-4', '0.001', '0.01', '0.1']);
    expect(dt!.values.map((v) => Math.round(v))).toEqual([-4, -3, -2, -1]);
    expect(n).toMatchObject({ label: 'n', log: false, values: [1, 2, 3, 4], domain: [1, 4] });
    expect(err!.values[1]).toBeNaN(); // a missing value is no point on the axis
    expect(err!.domain).toEqual([-1, 2]);
  });

  it('gives round ticks, and an axis of one value a length', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97)).toEqual([20, 40, 60, 80]);
    expect(niceTicks(-0.013, 0.021)).toEqual([-0.01, 0, 0.01, 0.02]);
    const [one] = axesOf([{ name: 'k', kind: 'param', values: [7, 7, null] }], {});
    expect(one!.domain).toEqual([6.5, 7.5]);
  });

  it('turns a brush into a range filter of the table (in the values, not their log), and a filter back into a brush', () => {
    const [dt, n] = axesOf(columns, {});
    expect(filterOfBrush(n!, 3.2, 1.9)).toBe('1.9..3.2');
    expect(filterOfBrush(dt!, -3, -1)).toBe('0.001..0.1');
    const back = axesOf(columns, { dt: '0.001..0.1', n: '> 2' });
    expect(back[0]!.brush).toEqual([-3, -1]);
    expect(back[1]!.brush).toBeUndefined();
    // Which cases every filter keeps: dt in 0.001..0.1 and n in 2..4 keep the second to the fourth.
    expect(insideFilters(columns, { dt: '0.001..0.1', n: '2..4' })).toEqual([false, true, true, true]);
    // A case with no value in a filtered column is left out, as the table leaves it out.
    expect(insideFilters(columns, { err: '-5..5' })).toEqual([true, false, true, true]);
    // A comparison (no brush to draw) greys the lines all the same.
    expect(insideFilters(columns, { n: '> 2' })).toEqual([false, false, true, true]);
  });

  it('filters as the table does: ranges, comparisons, and text a cell contains', () => {
    expect(passesFilter(2, '1..2')).toBe(true);
    expect(passesFilter('x', '1..2')).toBe(false);
    expect(passesFilter(3, '!= 3')).toBe(false);
    expect(passesFilter('rk4', '> 100')).toBe(true); // text sorts after every number, as in SQL
    expect(passesFilter('RK45', 'rk4')).toBe(true);
    expect(passesFilter(2, '2.0')).toBe(true); // the database writes a whole float as 2.0
    expect(passesFilter(null, 'a')).toBe(false);
    expect(passesFilter(null, '')).toBe(true);
    expect(passesFilter('rk4', 'in: euler, rk4')).toBe(true);
    expect(passesFilter('RK45', 'in: euler, rk4')).toBe(false); // exact, not contained
    expect(passesFilter('a, b', 'in: "a, b", c')).toBe(true);
    expect(passesFilter(2, 'in: 2, 3')).toBe(true);
    expect(passesFilter('rk4', '= rk4')).toBe(true);
    expect(passesFilter('rk45', '= rk4')).toBe(false);
  });

  it('draws text columns and the status as axes of their categories, and a brush picks one', () => {
    const lines = [
      { name: 'method', kind: 'param' as const, values: ['rk4', 'euler', 'rk4', null] },
      { name: '_status', kind: 'run' as const, values: ['failed', 'done', 'done', 'cancelled'] },
      { name: '_runtime_s', kind: 'run' as const, values: [1, 2, 3, 4] },
    ];
    const [method, status, ...rest] = axesOf(lines, { _status: 'failed' });
    expect(rest).toEqual([]); // run metadata is for colouring, not an axis
    expect(method).toMatchObject({ categories: ['euler', 'rk4'], domain: [-0.5, 1.5] });
    expect(method!.values.slice(0, 3)).toEqual([1, 0, 1]);
    expect(status!.categories).toEqual(['done', 'failed', 'cancelled']);
    expect(status!.brush).toEqual([0.6, 1.4]);
    expect(filterOfBrush(method!, -0.3, 0.2)).toBe('in: euler');
    // A brush over several categories keeps them all, and draws over them all again.
    expect(filterOfBrush(status!, -0.4, 1.3)).toBe('in: done, failed');
    expect(axesOf(lines, { _status: 'in: done, failed' })[1]!.brush).toEqual([-0.4, 1.4]);
    expect(categoryColours(status!)).toEqual(['#009E73', '#D55E00', '#999999']);
    const many = axesOf([{ name: 'k', kind: 'param', values: 'abcdefghij'.split('') }], {})[0]!;
    expect(new Set(categoryColours(many)).size).toBe(10); // more categories than colours: a scale, no repeats
  });

  it('colours by viridis from dark purple to yellow', () => {
    expect(viridis(0)).toBe('rgb(68, 1, 84)');
    expect(viridis(1)).toBe('rgb(253, 231, 37)');
    expect(viridis(Number.NaN)).toBe('rgb(68, 1, 84)');
  });
});
