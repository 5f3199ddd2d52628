import { describe, expect, it } from 'vitest';
import { caseRunner, comboRunner } from './index';

const foo = ({ a, b, c }: Record<string, unknown>) => (a as number) + (b as number) * (c as number);

describe('comboRunner', () => {
  it("nests results as xyzpy's combo_runner: one level per combo, the last varying fastest", () => {
    const calls: string[] = [];
    const out = comboRunner(
      (p) => {
        calls.push(`${p['a']}${p['b']}`);
        return (p['a'] as number) * 10 + (p['b'] as number) + (p['k'] as number);
      },
      { a: [1, 2], b: [3, 4, 5] },
      { constants: { k: 100 } },
    );
    expect(out).toEqual([
      [113, 114, 115],
      [123, 124, 125],
    ]);
    expect(calls).toEqual(['13', '14', '15', '23', '24', '25']);
  });

  it('takes generators as study.yaml does, and a list of pairs for the order', () => {
    expect(comboRunner((p) => p['x'], [['x', { range: [0, 3] }]])).toEqual([0, 1, 2]);
    expect(comboRunner((p) => `${p['u']}`, { u: { linspace: [0, 1, 3] } })).toEqual(['0', '0.5', '1']);
  });

  it('puts the case dims first, then the combos, with NaN where no case ran (null beside strings)', () => {
    const cases = [
      { a: 1, b: 10 },
      { a: 2, b: 20 },
    ];
    const out = comboRunner(foo, { c: [1, 2] }, { cases });
    // a = 1, 2; b = 10, 20: (1, 20) and (2, 10) never ran.
    expect(out).toEqual([
      [
        [11, 21],
        [NaN, NaN],
      ],
      [
        [NaN, NaN],
        [22, 42],
      ],
    ]);
    const words = comboRunner((p) => `${p['a']}-${p['c']}`, { c: ['x'] }, { cases });
    expect(words).toEqual([
      [['1-x'], [null]],
      [[null], ['2-x']],
    ]);
  });

  it('refuses what it cannot do, saying why', () => {
    expect(() => comboRunner(foo, { a: [1] }, { workers: 2 })).toThrow(/an inline function runs in this process only/);
    expect(() => comboRunner(foo, { a: [1] }, { cases: [{ a: 2 }] })).toThrow(
      /'a' is both a combo and set by the cases/,
    );
    expect(() => comboRunner(foo, { b: [1] }, { cases: [{ a: 2 }, { c: 3 }] })).toThrow(/cases\[0\] sets no 'c'/);
    expect(() => comboRunner(foo, { a: [1, 1] })).toThrow(/lists the value 1 twice/);
  });
});

describe('caseRunner', () => {
  it('calls the function once per case, by position or by name, in order', () => {
    expect(caseRunner(foo, ['a', 'b', 'c'], [[1, 2, 3], { a: 0, b: 1, c: 1 }])).toEqual([7, 1]);
    expect(() => caseRunner(foo, ['a', 'b'], [[1]])).toThrow(/cases\[0\] has 1 values for 2 arguments \(a, b\)/);
    expect(() => caseRunner(foo, ['a', 'b'], [{ a: 1 }])).toThrow(/cases\[0\] has no 'b'/);
  });
});
