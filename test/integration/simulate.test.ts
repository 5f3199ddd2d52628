// `furrow run --simulate` as psweep's simulate (issue 24): --json lists each case the run would run (its parameters,
// a pset id, its pset hash) as it goes, and a throwaway copy of the run database (.furrow-simulate/runs.sqlite)
// holds them, for `furrow db <study> --simulate`. The study itself is not changed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleStudy, furrow } from '../helpers/furrow';

const YAML =
  'name: s\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\nconstants: {k: 7}\ncombos:\n  a: [1, 2]\n  b: [x, y]\n';

async function dbRows(args: string[]): Promise<Record<string, unknown>[]> {
  const db = await furrow(['db', ...args, '--format', 'json']);
  expect(db.code, db.stderr).toBe(0);
  return JSON.parse(db.stdout) as Record<string, unknown>[];
}

describe('furrow run --simulate', () => {
  it('lists each case it would run, with the pset hash a real run records, and writes them into a copy', async () => {
    const dir = await exampleStudy('foo', { studyYaml: YAML, model: 'export default ({ a, k }) => a * k;\n' });
    expect((await furrow(['run', dir, '--combo', 'a=1'])).code).toBe(0);
    const db = fs.readFileSync(path.join(dir, 'runs.sqlite'));
    const dataset = fs.readFileSync(path.join(dir, 'data', 's.nc'));

    const sim = await furrow(['run', dir, '--missing-only', '--simulate', '--json']);
    expect(sim.code, sim.stderr).toBe(0);
    // A case a line, between the summary and the end of the one object.
    expect(sim.stdout.trim().split('\n')).toHaveLength(4);
    const plan = JSON.parse(sim.stdout) as { psets: { pset_id: string; pset_hash: string; params: object }[] };
    expect(plan).toMatchObject({ cases: 4, would_run: 2, done_before: 2 });
    expect(plan.psets.map((p) => p.params)).toEqual([
      { k: 7, a: 2, b: 'x' },
      { k: 7, a: 2, b: 'y' },
    ]);
    expect(plan.psets.every((p) => /^[0-9a-f-]{36}$/.test(p.pset_id))).toBe(true);

    // Nothing of the study changed; the copy holds the study's rows, then the simulated ones.
    expect(fs.readFileSync(path.join(dir, 'runs.sqlite')).equals(db)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'data', 's.nc')).equals(dataset)).toBe(true);
    const copy = await dbRows([dir, '--simulate']);
    expect(copy.map((r) => [r['_run_seq'], r['_status'], r['a'], r['b']])).toEqual([
      [1, 'done', 1, 'x'],
      [1, 'done', 1, 'y'],
      [2, 'simulated', 2, 'x'],
      [2, 'simulated', 2, 'y'],
    ]);
    expect(copy.slice(2).map((r) => r['_pset_hash'])).toEqual(plan.psets.map((p) => p.pset_hash));
    expect((await dbRows([dir])).length).toBe(2);

    // The hashes are those the real run then records.
    expect((await furrow(['run', dir, '--missing-only'])).code).toBe(0);
    const real = (await dbRows([dir])).filter((r) => r['_run_seq'] === 2);
    expect(real.map((r) => r['_pset_hash'])).toEqual(plan.psets.map((p) => p.pset_hash));
  });

  it('furrow db --simulate before any simulate says how to make the copy', async () => {
    const dir = await exampleStudy('foo', { studyYaml: YAML, model: 'export default ({ a }) => a;\n' });
    const db = await furrow(['db', dir, '--simulate']);
    expect(db.code).toBe(2);
    expect(db.stderr).toContain(
      `.furrow-simulate/runs.sqlite does not exist: write it with \`furrow run ${dir} --simulate\``,
    );
  });
});
