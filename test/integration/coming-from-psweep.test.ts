// psweep's own examples (its manual's "Getting started", "Building parameter grids", "Special database fields and
// repeated runs", "Filter by pset hashes" and "Simulate", and examples/vary_1_param_simulate.py), done in Furrow's
// terms as docs/coming-from.md maps them, asserting the values and shapes psweep's documentation shows.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow } from '../helpers/furrow';

/** psweep's `func`: `{"result_": random.random() * pset["a"] * pset["b"]}`. */
const FUNC = 'export default ({ a, b }) => ({ result_: Math.random() * a * b });\n';

const study = (yaml: string, model = FUNC) =>
  exampleStudy('foo', { studyYaml: `name: ps\nmodel: {module: ./model.mjs}\noutputs: {result_: {}}\n${yaml}`, model });

async function db(dir: string, ...args: string[]): Promise<Record<string, unknown>[]> {
  const rows = await furrow(['db', dir, ...args, '--format', 'json']);
  expect(rows.code, rows.stderr).toBe(0);
  return JSON.parse(rows.stdout) as Record<string, unknown>[];
}

/** The psets `furrow run --simulate --json` lists: psweep's `params`. */
async function params(dir: string, ...args: string[]): Promise<Record<string, unknown>[]> {
  const sim = await furrow(['run', dir, '--simulate', '--json', ...args]);
  expect(sim.code, sim.stderr).toBe(0);
  return (JSON.parse(sim.stdout) as { psets: { params: Record<string, unknown> }[] }).psets.map((p) => p.params);
}

const HASH = /^[0-9a-f]{40}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("psweep's manual, in Furrow", () => {
  it('Getting started: pgrid(a=[1,2,3], b=[88,99]) and run(func, params): six rows, one run, the book-keeping columns', async () => {
    const dir = await study('combos:\n  a: [1, 2, 3]\n  b: [88, 99]\n');
    expect(await params(dir)).toEqual([
      { a: 1, b: 88 },
      { a: 1, b: 99 },
      { a: 2, b: 88 },
      { a: 2, b: 99 },
      { a: 3, b: 88 },
      { a: 3, b: 99 },
    ]);
    expect((await furrow(['run', dir])).code).toBe(0);
    const rows = await db(dir);
    expect(rows).toHaveLength(6);
    for (const column of ['_pset_hash', '_run_id', '_pset_id', '_calc_dir', '_time_utc', '_pset_seq', '_run_seq']) {
      expect(Object.keys(rows[0]!)).toContain(column);
    }
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['_exec_host', '_runtime_s', 'a', 'b', 'result_']));
    expect(new Set(rows.map((r) => r['_run_id'])).size).toBe(1); // one run(): one _run_id
    expect(new Set(rows.map((r) => r['_pset_id'])).size).toBe(6); // one _pset_id per func(pset)
    expect(rows.every((r) => UUID.test(String(r['_pset_id'])) && HASH.test(String(r['_pset_hash'])))).toBe(true);
    expect(new Set(rows.map((r) => r['_pset_hash'])).size).toBe(6);
    expect(rows.map((r) => r['_pset_seq'])).toEqual([1, 2, 3, 4, 5, 6]); // psweep counts from 0, Furrow from 1
    for (const r of rows) {
      const [a, b, result] = [r['a'], r['b'], r['result_']] as number[];
      expect(result).toBeGreaterThanOrEqual(0);
      expect(result).toBeLessThan(a! * b!);
    }
    // What psweep keeps only in its DataFrame is also an array with the grid's shape.
    const result = await readSlice(path.join(dir, 'data', 'ps.nc'), 'result_', {});
    expect(result.coords).toEqual({ a: [1, 2, 3], b: [88, 99] });
    expect(result.values).toHaveLength(6);
  });

  it('Building parameter grids: pgrid, zip, a constant and stargrid give the psets the manual lists', async () => {
    // ps.pgrid(a, b) with a = [1, 2], b = ["xx", "yy"]
    expect(await params(await study('combos:\n  a: [1, 2]\n  b: [xx, yy]\n'))).toEqual([
      { a: 1, b: 'xx' },
      { a: 1, b: 'yy' },
      { a: 2, b: 'xx' },
      { a: 2, b: 'yy' },
    ]);
    // ps.pgrid(zip(a, b), c, const) with c = [88, "Z"] (the manual's None is issue 24's part 2) and const = 1.23:
    // the same six psets; Furrow varies the zip group fastest, psweep the last plist.
    const zipped = await params(
      await study('constants: {const: 1.23}\ncombos:\n  c: [88, Z]\nzip:\n  - {a: [1, 2], b: [xx, yy]}\n'),
    );
    const key = (p: Record<string, unknown>) => JSON.stringify([p['a'], p['b'], p['c'], p['const']]);
    expect(zipped.map(key).sort()).toEqual(
      [
        { a: 1, b: 'xx', c: 88, const: 1.23 },
        { a: 1, b: 'xx', c: 'Z', const: 1.23 },
        { a: 2, b: 'yy', c: 88, const: 1.23 },
        { a: 2, b: 'yy', c: 'Z', const: 1.23 },
      ]
        .map(key)
        .sort(),
    );
    // ps.stargrid(dict(a=1, b=77, c=11), vary=[a=[1,2,3,4], b=[77,88,99]]): the star as particular cases.
    const star = await study(
      'constants: {c: 11}\ncases:\n  - {a: 1, b: 77}\n  - {a: 2, b: 77}\n  - {a: 3, b: 77}\n  - {a: 4, b: 77}\n  - {a: 1, b: 88}\n  - {a: 1, b: 99}\n',
    );
    expect(await params(star)).toEqual([
      { c: 11, a: 1, b: 77 },
      { c: 11, a: 2, b: 77 },
      { c: 11, a: 3, b: 77 },
      { c: 11, a: 4, b: 77 },
      { c: 11, a: 1, b: 88 },
      { c: 11, a: 1, b: 99 },
    ]);
  });

  it('repeated runs with the same params: two _run_ids, new _pset_ids, two sets of the same _pset_hash; repeats: N', async () => {
    // ps.run(func, params) twice over a = [1, 2, 3]: the second round's random values disagree with the first's.
    const dir = await study('constants: {b: 1}\ncombos:\n  a: [1, 2, 3]\n');
    expect((await furrow(['run', dir])).code).toBe(0);
    const again = await furrow(['run', dir]);
    expect(again.code).toBe(2); // the dataset keeps one value per cell: it refuses, and keeps what was computed
    const rows = await db(dir);
    expect(rows.map((r) => [r['_run_seq'], r['_pset_seq'], r['a'], r['_status']])).toEqual([
      [1, 1, 1, 'done'],
      [1, 2, 2, 'done'],
      [1, 3, 3, 'done'],
      [2, 4, 1, 'conflict'],
      [2, 5, 2, 'conflict'],
      [2, 6, 3, 'conflict'],
    ]);
    expect(new Set(rows.map((r) => r['_run_id'])).size).toBe(2);
    expect(new Set(rows.map((r) => r['_pset_id'])).size).toBe(6);
    expect(rows.slice(3).map((r) => r['_pset_hash'])).toEqual(rows.slice(0, 3).map((r) => r['_pset_hash']));
    expect(rows.slice(3).every((r) => typeof r['result_'] === 'number')).toBe(true);

    // What "sample more data for the same psets" is in Furrow: repeats, a dim the dataset keeps every sample on.
    const repeated = await study('constants: {b: 1}\ncombos:\n  a: [1, 2, 3]\nrepeats: 2\n');
    expect((await furrow(['run', repeated])).code).toBe(0);
    const yaml = path.join(repeated, 'study.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('repeats: 2', 'repeats: 4'));
    // skip_dups=True: only the psets not in the database yet (hash by hash) run.
    const more = await furrow(['run', repeated, '--missing-only', '--json']);
    expect(JSON.parse(more.stdout)).toMatchObject({ cases: 12, done: 6 });
    const result = await readSlice(path.join(repeated, 'data', 'ps.nc'), 'result_', {});
    expect(result.coords).toEqual({ a: [1, 2, 3], repeat: [0, 1, 2, 3] });
    expect(result.values.every((v) => typeof v === 'number')).toBe(true);
    expect(new Set((await db(repeated)).map((r) => r['_pset_hash'])).size).toBe(12);
  });

  it('simulate=True (examples/vary_1_param_simulate.py): the new psets go into a copy of the database only', async () => {
    // 1st real run: a = [1, 2, 3, 4], b = [100]
    const dir = await study('combos:\n  a: [1, 2, 3, 4]\n  b: [100]\n');
    expect((await furrow(['run', dir])).code).toBe(0);
    // simulate: a = [5, 6], b = [88, 99]; func is not called, the real database is not touched
    const grid = ['--combo', 'a=5,6', '--combo', 'b=88,99'];
    fs.writeFileSync(path.join(dir, 'model.mjs'), 'export default () => { throw new Error("called"); };\n');
    expect(await params(dir, ...grid)).toEqual([
      { a: 5, b: 88 },
      { a: 5, b: 99 },
      { a: 6, b: 88 },
      { a: 6, b: 99 },
    ]);
    const copy = await db(dir, '--simulate');
    expect(copy.map((r) => [r['_run_seq'], r['_status']])).toEqual([
      ...Array(4).fill([1, 'done']),
      ...Array(4).fill([2, 'simulated']),
    ]);
    expect(copy.slice(4).every((r) => r['result_'] === null)).toBe(true); // psweep: NaN for the new psets
    expect(await db(dir)).toHaveLength(4);
    // Looks good: the 2nd real run, into the same study.
    fs.writeFileSync(path.join(dir, 'model.mjs'), FUNC);
    expect((await furrow(['run', dir, ...grid])).code).toBe(0);
    expect(await db(dir)).toHaveLength(8);
    expect((await readSlice(path.join(dir, 'data', 'ps.nc'), 'result_', {})).coords).toEqual({
      a: [1, 2, 3, 4, 5, 6],
      b: [88, 99, 100], // a dim in order (one value is) stays in order, as xarray's combine_first keeps it
    });
  });
});
