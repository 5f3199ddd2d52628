// `furrow sample --design` and `furrow sensitivity` (issue 25), through the real command line: Ishigami's function
// and Sobol's G-function as module models, their indices checked against the exact values.
import fs from 'node:fs';
import path from 'node:path';
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
  outputs: Record<string, Record<string, Indices>>;
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
