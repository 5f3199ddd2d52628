// `furrow sample` (issue 4's Sampler): N random cases, drawn with a seed, run like a run, kept in the run
// database only.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleStudy, furrow } from '../helpers/furrow';

interface Row {
  _run_id: string;
  _status: string;
  _error: string | null;
  a: number;
  b: string;
  c: number;
  d: number;
  e: number;
  k: number;
  y: number | null;
}

const STUDY = `name: s
model: {module: ./model.mjs}
outputs: {y: {}}
constants: {k: 10}
combos:
  b: [left, right]
sample:
  seed: 5
  distributions:
    a: {uniform: [2, 3]}
    c: {normal: [0, 1]}
    d: {randint: [1, 4]}
    e: {module: ./dist.mjs}
`;

async function samplingStudy(model = 'export default ({ a, c, d, e, k }) => a + c + d + e + k;\n'): Promise<string> {
  const dir = await exampleStudy('foo', { studyYaml: STUDY, model });
  fs.writeFileSync(path.join(dir, 'dist.mjs'), 'export default (rng) => 100 * rng.integers(1, 3);\n');
  return dir;
}

const rows = async (dir: string, where = '1 = 1') =>
  JSON.parse((await furrow(['db', dir, '--format', 'json', '--where', where])).stdout) as Row[];
const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('furrow sample', () => {
  it('draws N cases from the distributions and the combos, runs them, and records them only in the database', async () => {
    const dir = await samplingStudy();
    const run = await furrow(['sample', dir, '-n', '40', '--json']);
    expect(run.code).toBe(0);
    expect(last(run.stdout)).toMatchObject({ cases: 40, done: 40, failed: 0, dataset: null, seed: 5 });
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false); // never gridded
    const all = await rows(dir);
    expect(all).toHaveLength(40);
    for (const r of all) {
      expect(r.a).toBeGreaterThanOrEqual(2);
      expect(r.a).toBeLessThan(3);
      expect(['left', 'right']).toContain(r.b);
      expect([1, 2, 3]).toContain(r.d);
      expect([100, 200]).toContain(r.e);
      expect(r.k).toBe(10);
      expect(r.y).toBeCloseTo(r.a + r.c + r.d + r.e + r.k, 9);
    }
    expect(new Set(all.map((r) => r.b)).size).toBe(2);
    expect(new Set(all.map((r) => r.d)).size).toBe(3);
    // A second sample is a run of its own, appended.
    expect((await furrow(['sample', dir, '-n', '5', '--seed', '6', '--json'])).code).toBe(0);
    const both = await rows(dir);
    expect(both).toHaveLength(45);
    expect(new Set(both.map((r) => r._run_id)).size).toBe(2);
  });

  it('the same seed draws the same samples; another seed or --set draws others', async () => {
    const params = (r: Row) => [r.a, r.b, r.c, r.d, r.e];
    const one = await samplingStudy();
    const two = await samplingStudy();
    expect((await furrow(['sample', one, '-n', '10', '--seed', '77'])).code).toBe(0);
    expect((await furrow(['sample', two, '-n', '10', '--seed', '77', '--workers', '1'])).code).toBe(0);
    expect((await rows(two)).map(params)).toEqual((await rows(one)).map(params));
    expect((await furrow(['sample', two, '-n', '10', '--seed', '78'])).code).toBe(0);
    const [first, second] = [
      (await rows(two, '_run_seq = 1')).map(params),
      (await rows(two, '_run_seq = 2')).map(params),
    ];
    expect(second).not.toEqual(first);
    const set = await furrow(['sample', two, '-n', '10', '--set', 'a={uniform: [50, 60]}', '--set', 'b=[up]']);
    expect(set.code).toBe(0);
    for (const r of await rows(two, '_run_seq = 3')) {
      expect(r.a).toBeGreaterThanOrEqual(50);
      expect(r.b).toBe('up');
    }
  });

  it('a failing sample fails alone; bad distributions are refused before anything runs', async () => {
    const dir = await samplingStudy(
      'export default ({ d }) => { if (d === 2) throw new Error("no good at d=2"); return d; };\n',
    );
    const run = await furrow(['sample', dir, '-n', '30', '--json']);
    expect(run.code).toBe(1);
    const all = await rows(dir);
    expect(all.filter((r) => r._status === 'failed').every((r) => r.d === 2 && /no good at d=2/.test(r._error!))).toBe(
      true,
    );
    expect(all.filter((r) => r._status === 'done').every((r) => r.d !== 2)).toBe(true);

    const bad = await furrow(['sample', dir, '-n', '3', '--set', 'a={uniform: [3, 1]}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--set a: uniform \[lo, hi\] needs lo < hi/);
    const unknown = await furrow(['sample', dir, '-n', '3', '--set', 'a={gamma: [1, 2]}']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--set a=\{gamma: \[1, 2\]\}: not a distribution/);
    fs.writeFileSync(path.join(dir, 'study.yaml'), STUDY.replace('{randint: [1, 4]}', '{poisson: 3}'));
    const file = await furrow(['sample', dir, '-n', '3']);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/study\.yaml:\d+: sample\.distributions\.d: not a distribution; give a list of values/);
    expect(await rows(dir)).toHaveLength(30); // nothing more ran
  });
});
