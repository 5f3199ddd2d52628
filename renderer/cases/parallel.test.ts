import { describe, expect, it } from 'vitest';
import { axesOf, filterOfBrush, insideBrushes, niceTicks, viridis, wantsLog } from './parallel';

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
    // Which cases lie inside every brush: dt in 0.001..0.1 and n in 2..4 keep the second to the fourth.
    const both = axesOf(columns, { dt: '0.001..0.1', n: '2..4' });
    expect([0, 1, 2, 3].map((i) => insideBrushes(both, i))).toEqual([false, true, true, true]);
    // A case with no value on a brushed axis is outside it.
    const onErr = axesOf(columns, { err: '-5..5' });
    expect([0, 1, 2, 3].map((i) => insideBrushes(onErr, i))).toEqual([true, false, true, true]);
  });

  it('colours by viridis from dark purple to yellow', () => {
    expect(viridis(0)).toBe('rgb(68, 1, 84)');
    expect(viridis(1)).toBe('rgb(253, 231, 37)');
    expect(viridis(Number.NaN)).toBe('rgb(68, 1, 84)');
  });
});
