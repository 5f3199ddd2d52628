// `furrow sample --design` and `furrow sensitivity` (issue 25), through the real command line: Ishigami's function
// and Sobol's G-function as module models, their indices checked against the exact values.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { exampleStudy, furrow } from '../helpers/furrow';

interface Indices {
  s1?: number;
  s1_conf?: number;
  st?: number;
  st_conf?: number;
  mu?: number;
  mu_star?: number;
  mu_star_conf?: number;
  sigma?: number;
  main_effect?: { levels: unknown[]; mean: number[]; std: number[] };
}
interface Report {
  method: string;
  params: string[];
  evaluations: number;
  design: { name: string; n: number; seed: number } | null;
  reduce: Record<string, string>;
  outputs: Record<string, Record<string, Indices>>;
  along: Record<
    string,
    { dims: { name: string; values: unknown[] }[]; params: Record<string, Record<string, (number | null)[]>> }
  >;
}

const PI = Math.PI;
const ISHIGAMI = `name: ishigami
model: {module: ./model.mjs}
outputs: {y: {}}
sample:
  distributions:
    x1: {uniform: [${-PI}, ${PI}]}
    x2: {uniform: [${-PI}, ${PI}]}
    x3: {uniform: [${-PI}, ${PI}]}
`;
const ISHIGAMI_MODEL =
  'export default ({ x1, x2, x3 }) => Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);\n';
const ISHIGAMI_S1 = { x1: 0.3139, x2: 0.4424, x3: 0 };
const ISHIGAMI_ST = { x1: 0.5576, x2: 0.4424, x3: 0.2437 };

/** Sobol's G-function over [0, 1]^4 with a = (0, 1, 4.5, 9), and its exact indices (Saltelli et al. 2010). */
const G_A = [0, 1, 4.5, 9];
const G_STUDY = `name: g
model: {module: ./model.mjs}
outputs: {g: {}}
sample:
  distributions:
${G_A.map((_, i) => `    u${i}: {uniform: [0, 1]}`).join('\n')}
`;
const G_MODEL = `const A = ${JSON.stringify(G_A)};
export default (p) => ({ g: A.reduce((prod, a, i) => (prod * (Math.abs(4 * p['u' + i] - 2) + a)) / (1 + a), 1) });
`;
function gExact() {
  const v = G_A.map((a) => 1 / (3 * (1 + a) ** 2));
  const total = v.reduce((p, vi) => p * (1 + vi), 1) - 1;
  const s1 = Object.fromEntries(v.map((vi, i) => [`u${i}`, vi / total]));
  const st = Object.fromEntries(
    v.map((vi, i) => [`u${i}`, (vi * v.reduce((p, vj, j) => (j === i ? p : p * (1 + vj)), 1)) / total]),
  );
  return { s1, st };
}

async function study(yaml: string, model: string): Promise<string> {
  return exampleStudy('foo', { studyYaml: yaml, model });
}

async function report(dir: string, ...args: string[]): Promise<Report> {
  const r = await furrow(['sensitivity', dir, '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

async function sample(dir: string, ...args: string[]): Promise<void> {
  const r = await furrow(['sample', dir, ...args], { timeoutMs: 170_000 });
  expect(r.code, r.stderr).toBe(0);
}

/** Within `tolerance` of the exact value, and the exact value inside the 95 % interval. */
function expectExact(
  got: Record<string, Indices>,
  key: 's1' | 'st',
  exact: Record<string, number>,
  tolerance: number,
): void {
  for (const [param, value] of Object.entries(exact)) {
    const index = got[param]![key]!;
    const conf = got[param]![`${key}_conf`]!;
    const where = `${key} of ${param}: ${index.toFixed(4)} ± ${conf.toFixed(4)}, exact ${value}`;
    expect(Math.abs(index - value), where).toBeLessThan(tolerance);
    expect(Math.abs(index - value), where).toBeLessThanOrEqual(conf);
  }
}

describe('furrow sensitivity of Ishigami', () => {
  it('a Saltelli design of N = 2^13 gives S1 and ST within 0.02, each exact value inside its interval', async () => {
    const dir = await study(ISHIGAMI, ISHIGAMI_MODEL);
    await sample(dir, '--design', 'saltelli', '-n', String(2 ** 13), '--seed', '3');
    const got = await report(dir);
    expect(got.method).toBe('sobol');
    expect(got.design).toEqual({ name: 'saltelli', n: 8192, seed: 3 });
    expect(got.evaluations).toBe(8192 * 5);
    expectExact(got.outputs['y']!, 's1', ISHIGAMI_S1, 0.02);
    expectExact(got.outputs['y']!, 'st', ISHIGAMI_ST, 0.02);
    // The table: most influential (by ST) first.
    const table = await furrow(['sensitivity', dir]);
    expect(table.stdout).toMatch(/Sobol indices[^\n]*N = 8192, seed 3/);
    const order = table.stdout
      .split('\n')
      .filter((l) => /^\s+x\d/.test(l))
      .map((l) => l.trim().split(/\s+/)[0]);
    expect(order).toEqual(['x1', 'x2', 'x3']);
  }, 180_000);

  it('a Morris design ranks x1 and x2 above x3 by mu*, and the Sobol analysis still finds its design', async () => {
    const dir = await study(ISHIGAMI, ISHIGAMI_MODEL);
    await sample(dir, '--design', 'saltelli', '-n', '512', '--seed', '1');
    await sample(dir, '--design', 'morris', '-n', '40', '--levels', '4', '--seed', '2');
    const got = await report(dir);
    expect(got.method).toBe('morris');
    expect(got.evaluations).toBe(40 * 4);
    const y = got.outputs['y']!;
    expect(Math.min(y['x1']!.mu_star!, y['x2']!.mu_star!)).toBeGreaterThan(y['x3']!.mu_star!);
    for (const p of ['x1', 'x2', 'x3']) expect(y[p]!.mu_star_conf).toBeGreaterThan(0);
    // The earlier Saltelli design is still there to ask for by method.
    const sobol = await report(dir, '--method', 'sobol');
    expect(sobol.design).toEqual({ name: 'saltelli', n: 512, seed: 1 });
  }, 120_000);

  it('given data: 2^14 random samples give S1 within 0.04', async () => {
    const dir = await study(ISHIGAMI, ISHIGAMI_MODEL);
    await sample(dir, '-n', String(2 ** 14), '--seed', '4');
    const got = await report(dir);
    expect(got.method).toBe('given-data');
    expect(got.design).toBeNull();
    for (const [p, exact] of Object.entries(ISHIGAMI_S1)) {
      expect(Math.abs(got.outputs['y']![p]!.s1! - exact), p).toBeLessThan(0.04);
    }
  }, 120_000);

  it('too few or unsuitable cases say what to run (exit 2), and a design draws the same cases for the same seed', async () => {
    const dir = await study(ISHIGAMI, ISHIGAMI_MODEL);
    const before = await furrow(['sensitivity', dir]);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('nothing has run yet');
    expect(before.stderr).toContain(`run a Saltelli design of N ≥ 512: furrow sample ${dir} --design saltelli -n 512`);
    await sample(dir, '--design', 'saltelli', '-n', '16', '--seed', '9');
    const few = await furrow(['sensitivity', dir]);
    expect(few.code).toBe(2);
    expect(few.stderr).toContain('only 16 of the design');
    expect(few.stderr).toContain(`run a Saltelli design of N ≥ 512: furrow sample ${dir} --design saltelli -n 512`);
    const morris = await furrow(['sensitivity', dir, '--method', 'morris']);
    expect(morris.code).toBe(2);
    expect(morris.stderr).toContain('no morris design has run; run a Morris design');
    const unknown = await furrow(['sensitivity', dir, '--output', 'z']);
    expect(unknown.stderr).toContain("has no output 'z' (outputs: y)");

    // The same seed, the same design: the cases of two studies agree row for row.
    const other = await study(ISHIGAMI, ISHIGAMI_MODEL);
    await sample(other, '--design', 'saltelli', '-n', '16', '--seed', '9');
    const rows = async (d: string) =>
      (JSON.parse((await furrow(['db', d, '--format', 'json'])).stdout) as { x1: number; y: number }[])
        .map((r) => `${r.x1}:${r.y}`)
        .sort();
    expect(await rows(other)).toEqual(await rows(dir));
  }, 120_000);

  it('refuses a design over a distribution without an inverse CDF, or bad bounds, and runs nothing', async () => {
    const dir = await study(ISHIGAMI, ISHIGAMI_MODEL);
    fs.writeFileSync(path.join(dir, 'dist.mjs'), 'export default (rng) => rng.random();\n');
    const module = await furrow(['sample', dir, '--design', 'lhs', '-n', '8', '--set', 'x3={module: dist.mjs}']);
    expect(module.code).toBe(2);
    expect(module.stderr).toContain("--set x3: a design maps quantiles through a distribution's inverse CDF");
    const bounds = await furrow(['sample', dir, '--design', 'lhs', '-n', '8', '--set', 'x3={uniform: [1, 0]}']);
    expect(bounds.code).toBe(2);
    expect(bounds.stderr).toContain('--set x3: uniform [lo, hi] needs lo < hi');
    const levels = await furrow(['sample', dir, '--design', 'saltelli', '-n', '8', '--levels', '4']);
    expect(levels.code).toBe(2);
    expect(levels.stderr).toContain('--levels goes with --design morris');
    expect(fs.existsSync(path.join(dir, 'runs.sqlite'))).toBe(false);
  }, 60_000);
});

describe('furrow sensitivity of a second function', () => {
  it("Sobol's G-function (a = 0, 1, 4.5, 9), Saltelli N = 2^13: S1 and ST within 0.02, exact inside each interval", async () => {
    const dir = await study(G_STUDY, G_MODEL);
    await sample(dir, '--design', 'saltelli', '-n', String(2 ** 13), '--seed', '5');
    const got = await report(dir, '--output', 'g');
    const { s1, st } = gExact();
    expectExact(got.outputs['g']!, 's1', s1, 0.02);
    expectExact(got.outputs['g']!, 'st', st, 0.02);
  }, 180_000);

  it('a full grid gets its exact main effects and first-order indices (y = a + 2b over a 3 × 2 grid)', async () => {
    const dir = await study(
      'name: grid\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  a: [0, 1, 2]\n  b: [0, 1]\n',
      'export default ({ a, b }) => a + 2 * b;\n',
    );
    expect((await furrow(['run', dir])).code).toBe(0);
    const got = await report(dir);
    expect(got.method).toBe('grid');
    // Var(a) = 2/3, Var(2b) = 1, no interaction: S1 = 0.4 and 0.6 exactly.
    expect(got.outputs['y']!['a']!.s1).toBeCloseTo(0.4, 12);
    expect(got.outputs['y']!['b']!.s1).toBeCloseTo(0.6, 12);
    expect(got.outputs['y']!['a']!.main_effect).toEqual({ levels: [0, 1, 2], mean: [1, 2, 3], std: [1, 1, 1] });
  }, 60_000);
});

/** y(t) = t·x1 + (1 − t)·x2 with x1, x2 ~ U(0, 1): S1(x1) = t² / (t² + (1 − t)²), S1(x2) its complement, no interactions. */
const T = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const OVER_TIME = `name: over_time
model: {module: ./model.mjs}
outputs:
  y: {dims: [t]}
  end: {}
coords:
  t: ${JSON.stringify(T)}
sample:
  distributions:
    x1: {uniform: [0, 1]}
    x2: {uniform: [0, 1]}
`;
const OVER_TIME_MODEL = `const T = ${JSON.stringify(T)};
export default ({ x1, x2 }) => ({ y: T.map((t) => t * x1 + (1 - t) * x2), end: x1 });
`;
const s1OfX1 = (t: number) => (t * t) / (t * t + (1 - t) ** 2);

describe('furrow sensitivity of an output over time', () => {
  it('a Saltelli design gives S1 and ST at each time within 0.02 of t²/(t² + (1 − t)²), exact inside each interval', async () => {
    const dir = await study(OVER_TIME, OVER_TIME_MODEL);
    await sample(dir, '--design', 'saltelli', '-n', '4096', '--seed', '2');
    const got = await report(dir, '--resamples', '300');
    // The scalar output as before; y over its own dim, with the study's coordinates.
    expect(got.outputs['end']!['x1']!.s1).toBeCloseTo(1, 6);
    expect(Object.keys(got.outputs)).toEqual(['end']);
    const y = got.along['y']!;
    expect(y.dims).toEqual([{ name: 't', values: T }]);
    T.forEach((t, i) => {
      for (const [param, exact] of [
        ['x1', s1OfX1(t)],
        ['x2', 1 - s1OfX1(t)],
      ] as const) {
        for (const key of ['s1', 'st']) {
          const value = y.params[param]![key]![i]!;
          const conf = y.params[param]![`${key}_conf`]![i]!;
          const where = `${key} of ${param} at t = ${t}: ${value.toFixed(4)} ± ${conf.toFixed(4)}, exact ${exact}`;
          expect(Math.abs(value - exact), where).toBeLessThan(0.02);
          expect(Math.abs(value - exact), where).toBeLessThanOrEqual(conf + 1e-9);
        }
      }
    });
    // The table names the time of each row.
    const table = await furrow(['sensitivity', dir, '--resamples', '50']);
    expect(table.stdout).toContain('y, over t');
    expect(table.stdout).toMatch(/\n\s+t=0\.3\s+0\.15\d\d/);

    // A reduction the person names, as plots reduce: the mean over t is (x1 + x2) / 2, half each.
    const mean = await report(dir, '--output', 'y', '--reduce', 't=mean', '--resamples', '100');
    expect(mean.reduce).toEqual({ t: 'mean' });
    expect(mean.along).toEqual({});
    expect(mean.outputs['y']!['x1']!.s1).toBeCloseTo(0.5, 2);
    expect(mean.outputs['y']!['x2']!.s1).toBeCloseTo(0.5, 2);
    const wrong = await furrow(['sensitivity', dir, '--reduce', 'time=mean']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--reduce time=mean: no output analysed has a dim 'time' (y: [t])");
  }, 180_000);

  it('given data and Morris go per coordinate too', async () => {
    const dir = await study(OVER_TIME, OVER_TIME_MODEL);
    await sample(dir, '-n', '4000', '--seed', '3');
    const given = await report(dir, '--output', 'y', '--resamples', '50');
    expect(given.method).toBe('given-data');
    T.forEach((t, i) =>
      expect(Math.abs(given.along['y']!.params['x1']!['s1']![i]! - s1OfX1(t)), `t = ${t}`).toBeLessThan(0.04),
    );
    await sample(dir, '--design', 'morris', '-n', '20', '--seed', '3');
    const morris = await report(dir, '--output', 'y', '--resamples', '50');
    // The elementary effect of x1 on y(t) is t everywhere: mu* = t exactly.
    morris.along['y']!.params['x1']!['mu_star']!.forEach((m, i) => expect(m).toBeCloseTo(T[i]!, 9));
  }, 180_000);

  it('a sample keeps its outputs with dims up to --keep-arrays: past it none, said at once and when asked', async () => {
    const dir = await study(OVER_TIME, OVER_TIME_MODEL);
    // 11 float64 per case: 88 bytes, 200 cases 17.6 kB, past 10 kB.
    const past = await furrow(['sample', dir, '-n', '200', '--seed', '1', '--keep-arrays', '10KB']);
    expect(past.code, past.stderr).toBe(0);
    expect(past.stderr).toContain(
      "warning: the outputs with dims of their own (y: 11 values per case) would take 17.2 KiB of the run database for this sample's 200 cases, past its budget of 9.8 KiB: none of their values are kept",
    );
    expect(past.stderr).toContain('sample again with --keep-arrays 0.1MiB');
    const rows = () => {
      const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM sample_arrays').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(rows()).toBe(0);
    // The scalar output answers; y, asked for, says how to get it.
    const scalar = await report(dir, '--resamples', '20');
    expect(Object.keys(scalar.outputs)).toEqual(['end']);
    expect(scalar.along).toEqual({});
    const asked = await furrow(['sensitivity', dir, '--output', 'y']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain("output 'y' has dims [t], and none of these cases kept its values");
    expect(asked.stderr).toContain('Sample again with room for them (furrow sample --keep-arrays SIZE, or all)');

    const wrong = await furrow(['sample', dir, '-n', '200', '--keep-arrays', '10 parsecs']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--keep-arrays 10 parsecs: give a size such as 500MB or 4GiB, 0 for none, or all');
    // Room enough: kept, and y gets its indices per coordinate.
    const room = await furrow(['sample', dir, '-n', '200', '--seed', '2', '--keep-arrays', '0.1MiB']);
    expect(room.code, room.stderr).toBe(0);
    expect(room.stderr).not.toContain('warning');
    expect(rows()).toBe(200);
    expect(Object.keys((await report(dir, '--output', 'y', '--resamples', '20')).along)).toEqual(['y']);
  }, 60_000);

  it('second order per coordinate: y(t) = t·x1·x2 + x3 over U(−1, 1)³ gives S2(x1, x2) = t²/(t² + 3) at each t', async () => {
    // x1·x2 has no main effects (each has mean 0): Var = t²/9 + 1/3, all of t²/9 the pair's together.
    const TS = [0, 0.5, 1, 1.5, 2];
    const dir = await study(
      `name: pair\nmodel: {module: ./model.mjs}\noutputs:\n  y: {dims: [t]}\ncoords:\n  t: ${JSON.stringify(TS)}\n` +
        'sample:\n  distributions:\n    x1: {uniform: [-1, 1]}\n    x2: {uniform: [-1, 1]}\n    x3: {uniform: [-1, 1]}\n',
      `const T = ${JSON.stringify(TS)};\nexport default ({ x1, x2, x3 }) => ({ y: T.map((t) => t * x1 * x2 + x3) });\n`,
    );
    await sample(dir, '--design', 'saltelli', '--second-order', '-n', '4096', '--seed', '6');
    const got = await report(dir, '--resamples', '300');
    const y = got.along['y']!;
    expect(y.dims).toEqual([{ name: 't', values: TS }]);
    const s2 = y.params['x1']!['s2'] as unknown as Record<
      string,
      { value: (number | null)[]; conf: (number | null)[] }
    >;
    expect(Object.keys(s2).sort()).toEqual(['x2', 'x3']);
    TS.forEach((t, i) => {
      const exact = (t * t) / (t * t + 3);
      const value = s2['x2']!.value[i]!;
      const conf = s2['x2']!.conf[i]!;
      const where = `S2(x1, x2) at t = ${t}: ${value.toFixed(4)} ± ${conf.toFixed(4)}, exact ${exact.toFixed(4)}`;
      expect(Math.abs(value - exact), where).toBeLessThan(0.03);
      expect(Math.abs(value - exact), where).toBeLessThanOrEqual(conf + 1e-9);
      // The same pair from x2's side, and no pair with x3.
      const other = (y.params['x2']!['s2'] as unknown as typeof s2)['x1']!;
      expect(other.value[i]).toBe(value);
      expect(Math.abs(s2['x3']!.value[i]!), `S2(x1, x3) at t = ${t}`).toBeLessThan(0.03);
    });
  }, 180_000);
});
