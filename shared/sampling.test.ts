import { describe, expect, it } from 'vitest';
import { builtinDraw, drawSamples, Rng } from './sampling';

describe('the seeded generator', () => {
  it('draws the same numbers for the same seed, on every machine (integer arithmetic only)', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const first = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(first);
    // A fixed vector: a change of the algorithm, which would change everyone's samples, cannot go unnoticed.
    expect(first.slice(0, 3)).toEqual([1028872839, 2516511472, 400437680]);
    expect(new Rng(42).random()).toBe(0.23955312807799112);
    expect(new Rng(43).uint32()).not.toBe(first[0]);
  });

  it('gives the distributions their shape', () => {
    const rng = new Rng(7);
    const n = 20_000;
    const normal = Array.from({ length: n }, () => rng.normal(3, 2));
    const mean = normal.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(normal.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
    expect(Math.abs(mean - 3)).toBeLessThan(0.06);
    expect(Math.abs(sd - 2)).toBeLessThan(0.06);
    const ints = Array.from({ length: n }, () => rng.integers(1, 4));
    expect([...new Set(ints)].sort()).toEqual([1, 2, 3]);
    const log = builtinDraw({ loguniform: [1e-3, 1e3] }, 'x');
    const logs = Array.from({ length: n }, () => Math.log10(log(rng) as number));
    expect(Math.min(...logs)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...logs)).toBeLessThan(3);
    expect(logs.filter((x) => x < 0).length / n).toBeCloseTo(0.5, 1); // uniform in the exponent
    expect(() => builtinDraw({ uniform: [2, 1] }, 'combos.a')).toThrow(/combos\.a: uniform \[lo, hi\] needs lo < hi/);
  });

  it('draws samples parameter by parameter, sample by sample', () => {
    const draws: Parameters<typeof drawSamples>[1] = [
      ['a', builtinDraw({ uniform: [0, 1] }, 'a')],
      ['b', builtinDraw(['x', 'y'], 'b')],
    ];
    const samples = drawSamples(4, draws, 9);
    expect(drawSamples(4, draws, 9)).toEqual(samples);
    expect(samples.map((s) => Object.keys(s))).toEqual(Array(4).fill(['a', 'b']));
    expect(() => drawSamples(1, [['c', () => ({})]], 1)).toThrow(/'c' gave object/);
  });
});
