// Sensitivity indices checked against functions whose indices are known exactly: Ishigami's (Ishigami & Homma 1990;
// the values of Saltelli et al., Global Sensitivity Analysis: The Primer, 2008) and Sobol's G-function.
import { describe, expect, it } from 'vitest';
import { givenDataIndices, GridAnova, gridMainEffects, morrisIndices, sobolIndices } from './analyze';
import type { Interval } from './analyze';
import { designSamples, latinHypercube, morris, saltelli } from './designs';
import { sobolPoints } from './sobol-sequence';

const A = 7;
const B = 0.1;
const ishigami = (x1: number, x2: number, x3: number) =>
  Math.sin(x1) + A * Math.sin(x2) ** 2 + B * x3 ** 4 * Math.sin(x1);
const ISHIGAMI_S1 = [0.3139, 0.4424, 0];
const ISHIGAMI_ST = [0.5576, 0.4424, 0.2437];

/** Evaluate `f` on unit points mapped to (−π, π). */
function onUnit(points: Float64Array, k: number, f: (...x: number[]) => number): Float64Array {
  const y = new Float64Array(points.length / k);
  for (let r = 0; r < y.length; r++) {
    y[r] = f(...Array.from({ length: k }, (_, i) => -Math.PI + 2 * Math.PI * points[r * k + i]!));
  }
  return y;
}

/** Within `tolerance` of the exact value, and the exact value inside the interval. */
function expectNear(got: Interval[], exact: number[], tolerance: number, what: string): void {
  got.forEach((g, i) => {
    expect(Math.abs(g.value - exact[i]!), `${what}[${i}] = ${g.value.toFixed(4)} ± ${g.conf.toFixed(4)}`).toBeLessThan(
      tolerance,
    );
    expect(
      Math.abs(g.value - exact[i]!),
      `${what}[${i}]: ${exact[i]} outside ${g.value.toFixed(4)} ± ${g.conf.toFixed(4)}`,
    ).toBeLessThanOrEqual(g.conf);
  });
}

/** Sobol's G-function on [0, 1]^k with coefficients `a`, and its exact first- and total-order indices. */
function gFunction(a: number[]) {
  const v = a.map((ai) => 1 / (3 * (1 + ai) ** 2));
  const total = v.reduce((p, vi) => p * (1 + vi), 1) - 1;
  return {
    f: (...x: number[]) => x.reduce((p, xi, i) => (p * (Math.abs(4 * xi - 2) + a[i]!)) / (1 + a[i]!), 1),
    S1: v.map((vi) => vi / total),
    ST: v.map((vi, i) => (vi * v.reduce((p, vj, j) => (j === i ? p : p * (1 + vj)), 1)) / total),
  };
}

describe('the Sobol sequence', () => {
  it('puts exactly one of the first 2^m points in each of 2^m equal intervals of every dimension', () => {
    for (const seed of [null, 7]) {
      const points = sobolPoints(256, 10, seed);
      for (let d = 0; d < 10; d++) {
        const cells = new Set(Array.from({ length: 256 }, (_, i) => Math.floor(points[i * 10 + d]! * 256)));
        expect(cells.size, `dimension ${d}, seed ${seed}`).toBe(256);
      }
    }
  });
  it('is the same for the same seed and another for another', () => {
    expect(sobolPoints(64, 4, 3)).toEqual(sobolPoints(64, 4, 3));
    expect(sobolPoints(64, 4, 3)).not.toEqual(sobolPoints(64, 4, 4));
  });
});

describe("Sobol indices from Saltelli's design", () => {
  it('give Ishigami exactly: S1 and ST within 0.02, each exact value inside its 95 % interval', () => {
    const n = 2 ** 13;
    const design = saltelli(n, 3, false, 1);
    const result = sobolIndices(onUnit(design.points, 3, ishigami), n, 3, false, { seed: 2 });
    expectNear(result.S1, ISHIGAMI_S1, 0.02, 'S1');
    expectNear(result.ST, ISHIGAMI_ST, 0.02, 'ST');
  });

  it("give Ishigami's second-order indices: only x1–x3 interacts (S2_13 = ST_1 − S1_1 = 0.2437)", () => {
    const n = 2 ** 13;
    const design = saltelli(n, 3, true, 1);
    const result = sobolIndices(onUnit(design.points, 3, ishigami), n, 3, true, { seed: 2, resamples: 200 });
    const s2 = result.S2!;
    expect(Math.abs(s2[0]![2]!.value - 0.2437)).toBeLessThan(0.05);
    expect(Math.abs(s2[0]![1]!.value)).toBeLessThan(0.05);
    expect(Math.abs(s2[1]![2]!.value)).toBeLessThan(0.05);
  });

  it("give Sobol's G-function exactly to the same bounds", () => {
    const g = gFunction([0, 1, 4.5, 9, 99]);
    const n = 2 ** 13;
    const design = saltelli(n, 5, false, 3);
    const y = new Float64Array(design.rows);
    for (let r = 0; r < design.rows; r++) y[r] = g.f(...design.points.subarray(r * 5, r * 5 + 5));
    const result = sobolIndices(y, n, 5, false, { seed: 4 });
    expectNear(result.S1, g.S1, 0.02, 'S1');
    expectNear(result.ST, g.ST, 0.02, 'ST');
  });

  it('leave out a base row with a failed evaluation', () => {
    const n = 2 ** 10;
    const design = saltelli(n, 3, false, 1);
    const y = onUnit(design.points, 3, ishigami);
    y[7] = NaN;
    expect(sobolIndices(y, n, 3, false, { resamples: 10 }).n).toBe(n - 1);
  });
});

describe('Morris elementary effects', () => {
  it('rank x1 and x2 of Ishigami above x3 by μ*', () => {
    const r = 200;
    const design = morris(r, 3, 4, 5);
    const result = morrisIndices(design.points, onUnit(design.points, 3, ishigami), r, 3);
    const mu = result.muStar.map((m) => m.value);
    expect(mu[0]!).toBeGreaterThan(mu[2]!);
    expect(mu[1]!).toBeGreaterThan(mu[2]!);
    expect(result.r).toBe(r);
  });
  it('move one parameter at a time, by Δ, on the grid', () => {
    const design = morris(20, 4, 4, 1);
    for (let t = 0; t < 20; t++) {
      for (let s = 0; s < 4; s++) {
        const moved = [0, 1, 2, 3].filter(
          (i) => design.points[(t * 5 + s + 1) * 4 + i] !== design.points[(t * 5 + s) * 4 + i],
        );
        expect(moved).toHaveLength(1);
        const d = design.points[(t * 5 + s + 1) * 4 + moved[0]!]! - design.points[(t * 5 + s) * 4 + moved[0]!]!;
        expect(Math.abs(Math.abs(d) - 2 / 3)).toBeLessThan(1e-12);
      }
    }
    for (const v of design.points) expect([0, 1 / 3, 2 / 3, 1].some((l) => Math.abs(l - v) < 1e-12)).toBe(true);
  });
});

describe('first-order indices from given data', () => {
  it('give Ishigami from 2^14 uniform random samples, within 0.04', () => {
    const n = 2 ** 14;
    const design = latinHypercube(n, 3, 9);
    const columns = [0, 1, 2].map((i) => Float64Array.from({ length: n }, (_, r) => design.points[r * 3 + i]!));
    const result = givenDataIndices(columns, onUnit(design.points, 3, ishigami), { resamples: 100 });
    result.S1.forEach((s, i) =>
      expect(Math.abs(s.value - ISHIGAMI_S1[i]!), `S1[${i}] = ${s.value}`).toBeLessThan(0.04),
    );
  });
});

describe('main effects of a full grid', () => {
  it('are exact: an additive function splits its variance between its parameters', () => {
    // f(a, b) = a + 2 b over a, b in {0, 1, 2}: Var = Var(a) + 4 Var(b), so S1 = (0.2, 0.8).
    const values = Float64Array.from({ length: 9 }, (_, c) => Math.floor(c / 3) + 2 * (c % 3));
    const [a, b] = gridMainEffects(values, [3, 3]);
    expect(a!.S1).toBeCloseTo(0.2, 12);
    expect(b!.S1).toBeCloseTo(0.8, 12);
    expect(a!.mean).toEqual([2, 3, 4]);
  });
  it('are exact at each coordinate, fed a cell at a time in any order, however large the mean beside the spread', () => {
    // f(a, b; c) = 1e9 + c·a + (2 − c)·b over a, b in {0, 1, 2}, at c = 0, 1, 2: S1(a) = c² / (c² + (2 − c)²).
    const anova = new GridAnova([3, 3], 3);
    const order = [4, 0, 8, 2, 6, 1, 7, 3, 5];
    for (const cell of order) {
      const [a, b] = [Math.floor(cell / 3), cell % 3];
      anova.add(
        [a, b],
        [0, 1, 2].map((c) => 1e9 + c * a + (2 - c) * b),
      );
    }
    const [a, b] = anova.effects();
    [0, 0.5, 1].forEach((exact, c) => {
      expect(a!.S1[c]).toBeCloseTo(exact, 9);
      expect(b!.S1[c]).toBeCloseTo(1 - exact, 9);
    });
    expect(Array.from(a!.mean[2]!)).toEqual([1e9 + 2, 1e9 + 3, 1e9 + 4]);
    expect(() => new GridAnova([3, 3], 1).effects()).toThrow(/0 cells of the grid's 9/);
  });
});

describe('designs through distributions', () => {
  it('map quantiles by inverse CDFs: uniform, loguniform, normal, randint and choices', () => {
    const samples = designSamples({ design: 'lhs', n: 1000, seed: 1 }, [
      { name: 'u', distribution: { uniform: [2, 4] }, where: 'u' },
      { name: 'l', distribution: { loguniform: [1, 100] }, where: 'l' },
      { name: 'z', distribution: { normal: [10, 2] }, where: 'z' },
      { name: 'i', distribution: { randint: [0, 5] }, where: 'i' },
      { name: 'c', distribution: ['x', 'y'], where: 'c' },
    ]);
    const col = (name: string) => samples.map((s) => s[name] as number);
    expect(Math.min(...col('u'))).toBeGreaterThanOrEqual(2);
    expect(Math.max(...col('u'))).toBeLessThan(4);
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
    expect(median(col('l'))).toBeGreaterThan(9);
    expect(median(col('l'))).toBeLessThan(11);
    expect(Math.abs(median(col('z')) - 10)).toBeLessThan(0.1);
    const z = col('z');
    const sd = Math.sqrt(z.reduce((s, v) => s + (v - 10) ** 2, 0) / z.length);
    expect(Math.abs(sd - 2)).toBeLessThan(0.1);
    expect(new Set(col('i'))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(samples.filter((s) => s['c'] === 'x')).toHaveLength(500);
  });
  it('refuse a module distribution, which has no inverse CDF', () => {
    expect(() =>
      designSamples({ design: 'sobol', n: 4, seed: 1 }, [
        { name: 'm', distribution: { module: './d.mjs' }, where: 'sample.distributions.m' },
      ]),
    ).toThrow(/sample.distributions.m: .*inverse CDF/);
  });
});
