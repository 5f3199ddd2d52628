import { describe, expect, it } from 'vitest';
import { caseAt, caseCount, comboDims, expandValues, MAX_GENERATED_VALUES, SpaceError } from './space';

describe('value generators', () => {
  it('expand like numpy', () => {
    expect(expandValues({ range: [100, 500, 100] })).toEqual([100, 200, 300, 400]);
    expect(expandValues({ range: [0, 3] })).toEqual([0, 1, 2]);
    expect(expandValues({ range: [1, 0, -0.25] })).toEqual([1, 0.75, 0.5, 0.25]);
    expect(expandValues({ linspace: [0, 1, 5] })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(expandValues({ logspace: [0, 2, 3] })).toEqual([1, 10, 100]);
    expect(expandValues({ geomspace: [1, 1000, 4] }).map((v) => Number((v as number).toPrecision(12)))).toEqual([
      1, 10, 100, 1000,
    ]);
    expect(expandValues({ linspace: [0, 10, 4], as: 'int' })).toEqual([0, 3, 7, 10]);
    expect(expandValues({ values: ['x', 'y'] })).toEqual(['x', 'y']);
  });

  it('end exactly on the stop value of a linspace', () => {
    const values = expandValues({ linspace: [0, 0.3, 4] }) as number[];
    expect(values.at(-1)).toBe(0.3);
  });

  it('refuse a generator of more points than the limit before allocating', () => {
    expect(() => expandValues({ linspace: [0, 1, 1e12] }, ['combos', 'x'])).toThrow(/more than the limit/);
    expect(() => expandValues({ range: [0, MAX_GENERATED_VALUES + 1] })).toThrow(SpaceError);
    expect(() => expandValues({ range: [0, 1, 0] })).toThrow(/step must not be 0/);
  });
});

describe('combos', () => {
  const dims = comboDims({ a: [1, 2], b: ['x', 'y', 'z'] });

  it('count every combination', () => {
    expect(caseCount(dims)).toBe(6);
  });

  it('vary the last parameter fastest, as itertools.product', () => {
    const cases = Array.from({ length: 6 }, (_, i) => caseAt(dims, i));
    expect(cases).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ]);
  });

  it('refuse a value listed twice, naming the parameter', () => {
    try {
      comboDims({ a: [1, 2, 1] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SpaceError);
      expect((error as SpaceError).message).toMatch(/'a' lists the value 1 twice/);
      expect((error as SpaceError).path).toEqual(['combos', 'a']);
    }
  });
});
