// `repeats: N` (issue 24): what a psweep user means by running a stochastic model again. A `repeat` dim, each repeat
// a case of its own, and a seed in the parameters the model receives, derived from the case's pset hash.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow } from '../helpers/furrow';

const MODEL = 'export default ({ a, repeat, seed }) => ({ y: a + repeat / 10, s: seed });\n';
const study = (yaml: string) =>
  exampleStudy('foo', { studyYaml: `name: r\nmodel: {module: ./model.mjs}\n${yaml}`, model: MODEL });

async function rows(dir: string): Promise<Record<string, unknown>[]> {
  const db = await furrow(['db', dir, '--format', 'json']);
  expect(db.code, db.stderr).toBe(0);
  return JSON.parse(db.stdout) as Record<string, unknown>[];
}

describe('repeats: N', () => {
  it('adds a repeat dim, runs each repeat as its own case, and hands each a seed from its pset hash', async () => {
    const dir = await study('outputs: {y: {}, s: {}}\ncombos:\n  a: [1, 2]\nrepeats: 3\n');
    const run = await furrow(['run', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ cases: 6, done: 6 });
    const y = await readSlice(path.join(dir, 'data', 'r.nc'), 'y', {});
    expect(y.coords).toEqual({ a: [1, 2], repeat: [0, 1, 2] });
    expect(y.values).toEqual([1, 1.1, 1.2, 2, 2.1, 2.2]);
    const recorded = await rows(dir);
    expect(recorded.map((r) => [r['a'], r['repeat']])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2],
    ]);
    // The seed is the first 8 hex digits of the case's pset hash, each case its own.
    const seeds = recorded.map((r) => r['s']);
    expect(seeds).toEqual(recorded.map((r) => Number.parseInt(String(r['_pset_hash']).slice(0, 8), 16)));
    expect(new Set(seeds).size).toBe(6);
    expect(seeds.every((s) => Number.isInteger(s) && (s as number) >= 0 && (s as number) < 2 ** 32)).toBe(true);

    // Deterministic given the pset: another study with the same parameters hands out the same seeds.
    const other = await study('outputs: {y: {}, s: {}}\ncombos:\n  a: [1, 2]\nrepeats: 3\n');
    expect((await furrow(['run', other, '--combo', 'a=2', '--json'])).code).toBe(0);
    expect((await rows(other)).map((r) => r['s'])).toEqual(seeds.slice(3));
    // More repeats later: only the new ones run, the old ones keep their seeds.
    const more = await furrow(['run', dir, '--combo', 'repeat=0,1,2,3', '--missing-only', '--json']);
    expect(more.code, more.stderr).toBe(0);
    expect(JSON.parse(more.stdout)).toMatchObject({ done: 2 });
  });

  it('a parameter, constant or output named repeat or seed is refused where it is written', async () => {
    for (const [yaml, name] of [
      ['outputs: {y: {}, s: {}}\ncombos:\n  a: [1]\n  seed: [1, 2]\nrepeats: 2\n', 'seed'],
      ['outputs: {y: {}, s: {}}\nconstants: {repeat: 1}\ncombos:\n  a: [1]\nrepeats: 2\n', 'repeat'],
    ] as const) {
      const dir = await study(yaml);
      const run = await furrow(['run', dir]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`study.yaml:7: repeats: with repeats, '${name}' is Furrow's`);
    }
    const zero = await furrow(['run', await study('outputs: {y: {}, s: {}}\ncombos:\n  a: [1]\nrepeats: 0\n')]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/study\.yaml:6: repeats: /);
  });
});
