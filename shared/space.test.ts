import { describe, expect, it } from 'vitest';
import { caseAt, caseCount, comboDims, expandValues, MAX_GENERATED_VALUES, Space, SpaceError } from './space';

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
    expect(expandValues({ linspace: [0, 10, 4], as: 'int' })).toEqual([0, 3, 6, 10]);
    expect(expandValues({ values: ['x', 'y'] })).toEqual(['x', 'y']);
    expect(expandValues({ values: [1.7, '2.2', -0.5], as: 'int' })).toEqual([1, 2, 0]);
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

describe('the parameter space', () => {
  it('runs every combination for each particular case, and lays cases out on their own dims (xyzpy)', () => {
    const space = new Space({
      cases: [
        { a: 1, b: 3 },
        { a: 2, b: 4 },
      ],
      combos: { c: [3, 4], d: [4, 5] },
    });
    expect(space.count).toBe(8);
    expect(space.dims.map((d) => [d.name, d.role, d.values])).toEqual([
      ['a', 'case', [1, 2]],
      ['b', 'case', [3, 4]],
      ['c', 'combo', [3, 4]],
      ['d', 'combo', [4, 5]],
    ]);
    expect(space.cells).toBe(16);
    expect(space.paramsAt(0)).toEqual({ a: 1, b: 3, c: 3, d: 4 });
    expect(space.paramsAt(7)).toEqual({ a: 2, b: 4, c: 4, d: 5 });
    // (a=1, b=3) is cell row 0 of the 2×2 case block, (a=2, b=4) is row 3: the off-diagonal rows stay empty.
    expect(Array.from({ length: 8 }, (_, i) => space.cellOf(i))).toEqual([0, 1, 2, 3, 12, 13, 14, 15]);
  });

  it('sorts the union of case values where they sort, else keeps the order first seen', () => {
    const sorted = new Space({ cases: [{ x: 3 }, { x: 1 }, { x: 2 }], combos: {} });
    expect(sorted.dims[0]!.values).toEqual([1, 2, 3]);
    const mixed = new Space({ cases: [{ x: 'b' }, { x: 1 }], combos: {} });
    expect(mixed.dims[0]!.values).toEqual(['b', 1]);
  });

  it('varies zip groups together, as one dim carrying the others as coordinates', () => {
    const space = new Space({ combos: { a: [1, 2] }, zip: [{ p: [1, 2, 3], q: [10, 20, 30] }] });
    expect(space.count).toBe(6);
    expect(space.dims[1]).toEqual({
      name: 'p',
      role: 'zip',
      values: [1, 2, 3],
      coupled: [{ name: 'q', values: [10, 20, 30] }],
    });
    expect(space.paramsAt(4)).toEqual({ a: 2, p: 2, q: 20 });
  });

  it('keeps the order of combos given as [name, values] pairs', () => {
    const space = new Space({
      combos: [
        ['z', [1]],
        ['a', [2, 3]],
      ],
    });
    expect(space.dims.map((d) => d.name)).toEqual(['z', 'a']);
  });

  it('refuses what cannot be laid out, before anything runs', () => {
    expect(() => new Space({ cases: [{ a: 1 }], combos: { a: [1, 2] } })).toThrow(
      /'a' is both a case parameter and a combo parameter/,
    );
    expect(() => new Space({ cases: [{ a: 1, b: 2 }, { a: 2 }], combos: {} })).toThrow(
      /case 2 sets a but the first case sets a, b/,
    );
    expect(() => new Space({ cases: [{ a: 1 }, { a: 1 }], combos: {} })).toThrow(/case 2 repeats case 1/);
    // No combination of an empty combo: the cases are not the fault.
    expect(() => new Space({ cases: [{ a: 1 }, { a: 2 }], combos: { b: [] } })).toThrow(
      expect.objectContaining({ message: "'b' has no values; give at least one", path: ['combos', 'b'] }),
    );
    expect(
      () =>
        new Space({
          cases: [
            { a: 1, b: 'x' },
            { a: '1', b: 'x' },
            { b: 'x', a: 1 },
          ],
          combos: {},
        }),
    ).toThrow(/case 3 repeats case 1/);
    expect(
      () =>
        new Space({
          cases: [
            { a: 1, b: 2 },
            { a: 1, c: 2 },
          ],
          combos: {},
        }),
    ).toThrow(/case 2 sets a, c but the first case sets a, b/);
    expect(() => new Space({ combos: {}, zip: [{ p: [1, 2], q: [1] }] })).toThrow(/'q' has 1 values but 'p' has 2/);
    const spread = Array.from({ length: 200 }, (_, i) => ({ a: i, b: i, c: i }));
    expect(() => new Space({ cases: spread, combos: {} }, 1_000_000)).toThrow(
      /the particular cases span 8000000 cells/,
    );
    expect(() => new Space({ combos: { a: { range: [0, 5000] }, b: { range: [0, 5000] } } }, 1_000_000)).toThrow(
      /25000000 cases is more than the limit of 1000000 \(max_cases\)/,
    );
  });
});
