// psweep's habits with values (issue 24): a model that returns its pset and extra keys, the model's own files kept
// with each run (psweep's backup_script), booleans read back as true and false. Real runs of the real command line.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineParts } from '../../electron/cli/run-report';
import { Engine } from '../../electron/engine/engine';
import { conditionEntry, examplesDir, furrowCommand } from '../../electron/host/paths';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith, python } from '../helpers/tools';

const PSET_STUDY = `name: pset
model:
  module: ./model.mjs
outputs:
  y: {}
constants: {scale: 2}
combos:
  a: [1, 2, 3]
  flag: [true, false]
`;

// As psweep's README does it: return the pset with the results added (and a few more keys of every sort).
const PSET_MODEL = `export default function (pset) {
  return { ...pset, y: pset.a * pset.scale, extra: pset.a + 0.5, label: 'a' + pset.a, ok: pset.a > 1,
           series: [1, 2, 3], _pset_id: 'mine' };
}
`;

interface Summary {
  done: number;
  failed: number;
  undeclared?: string[];
  warnings?: string[];
}

describe("psweep's habits: values", () => {
  it('keeps undeclared scalars as run database columns, with one warning for the run, and fails no case', async () => {
    const dir = await exampleStudy('foo', { studyYaml: PSET_STUDY, model: PSET_MODEL });
    const run = await furrow(['run', dir, '--json']);
    expect(run.stderr).not.toMatch(/internal error/);
    const summary = JSON.parse(run.stdout.trim()) as Summary;
    expect(run.code).toBe(0);
    expect(summary).toMatchObject({ done: 6, failed: 0, undeclared: ['extra', 'label', 'ok'] });
    // One warning for the run, naming what was kept and what was not, said once (not once per case).
    expect(summary.warnings).toHaveLength(1);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('furrow: warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/'extra', 'label', 'ok'.*kept in the run database only/);
    expect(warnings[0]).toMatch(/'series' is not a scalar: not stored/);
    expect(warnings[0]).toMatch(/'_pset_id' starts with _/);
    // The keys that repeat the parameters (a, flag) and the constant (scale) are not named: they are the pset.
    expect(warnings[0]).not.toMatch(/'a'|'flag'|'scale'/);

    // The declared output went into the dataset; the extra ones did not.
    const data = path.join(dir, 'data', 'pset.nc');
    expect((await readSlice(data, 'y', {})).values).toEqual([2, 2, 4, 4, 6, 6]);
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r['a'], r['flag'], r['y'], r['extra'], r['label'], r['ok']])).toEqual([
      [1, true, 2, 1.5, 'a1', false],
      [1, false, 2, 1.5, 'a1', false],
      [2, true, 4, 2.5, 'a2', true],
      [2, false, 4, 2.5, 'a2', true],
      [3, true, 6, 3.5, 'a3', true],
      [3, false, 6, 3.5, 'a3', true],
    ]);
    expect(rows.every((r) => !('series' in r))).toBe(true);
    // They can be filtered on as any column.
    const where = await furrow(['db', dir, '--where', 'extra > 2 AND ok = true', '--format', 'csv']);
    expect(where.stdout.trim().split('\n')).toHaveLength(5);

    // The runs listing names them too.
    const runs = JSON.parse((await furrow(['db', dir, '--runs', '--format', 'json'])).stdout) as {
      undeclared: string[];
    }[];
    expect(runs[0]!.undeclared).toEqual(['extra', 'label', 'ok']);
  }, 60_000);

  it("Try one case suggests the model's own keys as outputs, not the pset it handed back", async () => {
    const engine = new Engine({ ...engineParts, conditionEntry, furrowCommand, examplesDir, emit: () => undefined });
    try {
      const dir = await exampleStudy('foo', { studyYaml: PSET_STUDY, model: PSET_MODEL });
      await engine.handlers['study.open']({ dir });
      const tried = await engine.handlers['study.try']({});
      expect(tried.error).toBeNull();
      expect(tried.suggested.map((o) => o.name)).toEqual(['y', 'extra', 'label', 'ok', 'series', '_pset_id']);
    } finally {
      engine.close();
    }
  }, 60_000);

  it('does not store a key that changes a parameter, and says so', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: PSET_STUDY,
      model: 'export default (p) => ({ ...p, a: p.a * 10, y: 1 });\n',
    });
    const run = await furrow(['run', dir, '--json']);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ done: 6, failed: 0 });
    expect(run.stderr).toMatch(/'a' differs from the parameter the case was given: not stored/);
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r['a'])).toEqual([1, 1, 2, 2, 3, 3]);
  }, 60_000);

  it('a command model returning its params.json with more keys: the same', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: `name: cmd
model:
  command: ["{node}", ./sim.mjs]
outputs:
  y: {}
combos:
  a: [1, 2]
`,
    });
    fs.writeFileSync(
      path.join(dir, 'sim.mjs'),
      `import { createHash } from 'node:crypto';
import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync('params.json', 'utf8'));
console.log(JSON.stringify({ ...p, y: p.a * 3, note: 'ok' }));
`,
    );
    const run = await furrow(['run', dir, '--json']);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ done: 2, failed: 0, undeclared: ['note'] });
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as Record<string, unknown>[];
    rows.sort((p, q) => Number(p['a']) - Number(q['a'])); // the cases run side by side: recorded as they finish
    expect(rows.map((r) => [r['a'], r['y'], r['note']])).toEqual([
      [1, 3, 'ok'],
      [2, 6, 'ok'],
    ]);
  }, 60_000);

  it("keeps the model's own files with each run: a hash in the runs table, a copy when they changed", async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: `name: cmd
model:
  command: ["{node}", ./bin/sim.mjs, "{a}"]
outputs:
  y: {}
combos:
  a: [1, 2]
`,
    });
    fs.mkdirSync(path.join(dir, 'bin'));
    const script = path.join(dir, 'bin', 'sim.mjs');
    fs.writeFileSync(script, 'console.log(JSON.stringify({ y: Number(process.argv[2]) }));\n');
    type RunRow = { run_seq: number; model_hash: string | null; model_backup: string | null };
    const runs = async () =>
      (JSON.parse((await furrow(['db', dir, '--runs', '--format', 'json'])).stdout) as RunRow[]).reverse();

    expect((await furrow(['run', dir, '-q'])).code).toBe(0);
    expect((await furrow(['run', dir, '-q', '--overwrite', 'new'])).code).toBe(0);
    fs.appendFileSync(script, '// changed\n');
    expect((await furrow(['run', dir, '-q', '--overwrite', 'new'])).code).toBe(0);
    const [first, second, third] = await runs();
    expect(first!.model_hash).toMatch(/^[0-9a-f]{40}$/);
    expect(second!.model_hash).toBe(first!.model_hash);
    expect(third!.model_hash).not.toBe(first!.model_hash);
    // A copy by the first run, none by the second (unchanged), one by the third (changed).
    expect(first!.model_backup).toMatch(/^backups\/[^/]+$/);
    expect(second!.model_backup).toBeNull();
    expect(third!.model_backup).toMatch(/^backups\/[^/]+$/);
    const copied = (run: RunRow) => fs.readFileSync(path.join(dir, run.model_backup!, 'bin', 'sim.mjs'), 'utf8');
    expect(copied(first!)).not.toMatch(/changed/);
    expect(copied(third!)).toMatch(/changed/);

    // The table a person reads shows them.
    const table = (await furrow(['db', dir, '--runs'])).stdout;
    expect(table).toContain(third!.model_hash!.slice(0, 12));
    expect(table).toContain(third!.model_backup!);
  }, 60_000);

  it('furrow db shows booleans as true and false, as a table, CSV and JSON', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: `name: b
model:
  module: ./model.mjs
outputs:
  big: {}
combos:
  a: [1, 2]
  lit: [true, false]
`,
      model: 'export default ({ a }) => ({ big: a > 1 });\n',
    });
    expect((await furrow(['run', dir, '-q'])).code).toBe(0);
    const table = (await furrow(['db', dir])).stdout.split('\n');
    expect(table[0]).toMatch(/\ba\s+lit\s+big\b/);
    expect(table.slice(1, 5).map((l) => l.split(/\s+/).slice(3, 6))).toEqual([
      ['1', 'true', 'false'],
      ['1', 'false', 'false'],
      ['2', 'true', 'true'],
      ['2', 'false', 'true'],
    ]);
    const csv = (await furrow(['db', dir, '--format', 'csv'])).stdout.trim().split('\n');
    expect(csv.slice(1).map((l) => l.split(',').slice(-3))).toEqual([
      ['1', 'true', 'false'],
      ['1', 'false', 'false'],
      ['2', 'true', 'true'],
      ['2', 'false', 'true'],
    ]);
    const json = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(json.map((r) => [r['lit'], r['big']])).toEqual([
      [true, false],
      [false, false],
      [true, true],
      [false, true],
    ]);
    // Still a number to SQL: a condition on it works as before.
    const where = await furrow(['db', dir, '--where', 'lit = 1', '--format', 'json']);
    expect((JSON.parse(where.stdout) as unknown[]).length).toBe(2);
  }, 60_000);
});

const MIXED_STUDY = `name: mixed
model:
  module: ./model.mjs
outputs:
  kind: {}
  twice: {}
combos:
  z: [null, 1.2, 'X']
`;
// What the model was handed: its kind (0 null, 1 number, 2 string) and the value again (NaN when not a number).
const MIXED_MODEL = `export default ({ z }) => ({
  kind: z === null ? 0 : typeof z === 'number' ? 1 : typeof z === 'string' ? 2 : 3,
  twice: typeof z === 'number' ? 2 * z : NaN,
});
`;

describe("psweep's habits: None and mixed-type values", () => {
  it('hands the model null and the values as given, stores them, and --combo z=... runs them again as they were', async () => {
    const dir = await exampleStudy('foo', { studyYaml: MIXED_STUDY, model: MIXED_MODEL });
    const first = await furrow(['run', dir, '--json']);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout.trim())).toMatchObject({ done: 3, failed: 0 });
    const data = path.join(dir, 'data', 'mixed.nc');
    expect((await readSlice(data, 'kind', {})).values).toEqual([0, 1, 2]);
    expect((await readSlice(data, 'twice', {})).values).toEqual([null, 2.4, null]);
    const inspect = JSON.parse((await furrow(['inspect', data, '--json'])).stdout) as {
      dims: { name: string; values: unknown[] }[];
    };
    expect(inspect.dims[0]!.values).toEqual([null, 1.2, 'X']);

    // The stored values, run again: the same cases (no conflict under --overwrite error), the same kinds handed over.
    const again = await furrow(['run', dir, '--combo', 'z=...', '--json']);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ cases: 3, done: 3, failed: 0 });
    // ~ is YAML's null on the command line too; a new value extends the dim, the old ones are found again.
    const more = await furrow(['run', dir, '--combo', 'z=~,4,X', '--missing-only', '--json']);
    expect(JSON.parse(more.stdout.trim())).toMatchObject({ cases: 3, done: 1, skipped: 2 });
    expect((await readSlice(data, 'kind', {})).values).toEqual([0, 1, 2, 1]);
    const after = JSON.parse((await furrow(['inspect', data, '--json'])).stdout) as typeof inspect;
    expect(after.dims[0]!.values).toEqual([null, 1.2, 'X', 4]);

    // The run database: null as null; the pset hash of null is the SHA-1 of the canonical JSON {"z":null}.
    const rows = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as Record<string, unknown>[];
    const nullCase = rows.find((r) => (r['_params'] as { z: unknown }).z === null)!;
    expect(nullCase['z']).toBeNull();
    expect(nullCase['_pset_hash']).toBe(createHash('sha1').update('{"z":null}').digest('hex'));
    expect(new Set(rows.filter((r) => r['z'] === null).map((r) => r['_pset_hash'])).size).toBe(1);
  }, 90_000);

  it('refuses nothing it did before: a parameter mixing numbers and booleans shows each as it was', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: MIXED_STUDY.replace("z: [null, 1.2, 'X']", 'z: [1, true]'),
      model: MIXED_MODEL,
    });
    expect((await furrow(['run', dir, '-q'])).code).toBe(0);
    const csv = (await furrow(['db', dir, '--format', 'csv'])).stdout.trim().split('\n');
    const z = csv[0]!.split(',').indexOf('z');
    expect(csv.slice(1).map((l) => l.split(',')[z])).toEqual(['1', 'true']);
    const json = JSON.parse((await furrow(['db', dir, '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(json.map((r) => r['z'])).toEqual([1, true]);
  }, 60_000);
});

describeWith('xarray', "Debian's xarray reads a mixed coordinate as it stores an object coordinate", () => {
  it('sees the same strings (null as "") and dtype as in a file xarray wrote itself', async () => {
    const dir = await exampleStudy('foo', { studyYaml: MIXED_STUDY, model: MIXED_MODEL });
    expect((await furrow(['run', dir, '-q'])).code).toBe(0);
    const ours = path.join(dir, 'data', 'mixed.nc');
    const theirs = path.join(dir, 'xarray.nc');
    // xarray refuses to write [None, 1.2, 'X'] as it is ("could not convert string to float"); an object coordinate
    // of None and strings is what it writes: variable-length strings, None written as "".
    const got = python(
      `
import json, sys, numpy as np, xarray as xr, h5py
ours, theirs = sys.argv[1], sys.argv[2]
try:
    xr.Dataset({"kind": ("z", [0., 1., 2.])}, coords={"z": np.array([None, 1.2, "X"], dtype=object)}).to_netcdf(theirs, engine="h5netcdf")
    refused = False
except ValueError:
    refused = True
xr.Dataset({"kind": ("z", [0., 1., 2.])}, coords={"z": np.array([None, "1.2", "X"], dtype=object)}).to_netcdf(theirs, engine="h5netcdf")
out = {"refused": refused}
for name, f in (("ours", ours), ("theirs", theirs)):
    ds = xr.open_dataset(f, engine="h5netcdf")
    h5 = h5py.File(f)
    out[name] = {"z": ds.z.values.tolist(), "dtype": str(ds.z.dtype), "vlen": str(h5py.check_string_dtype(h5["z"].dtype)),
                 "kind": ds.kind.sel(z="X").item(), "attrs": {k: str(v) for k, v in ds.z.attrs.items()}}
    ds.close()
print(json.dumps(out))
`,
      ours,
      theirs,
    ) as Record<string, { z: string[]; dtype: string; vlen: string; kind: number; attrs: Record<string, string> }> & {
      refused: boolean;
    };
    expect(got.refused).toBe(true);
    expect(got['ours']!.z).toEqual(['', '1.2', 'X']);
    expect(got['ours']!.z).toEqual(got['theirs']!.z);
    expect(got['ours']!.dtype).toBe(got['theirs']!.dtype);
    expect(got['ours']!.vlen).toBe(got['theirs']!.vlen);
    expect(got['ours']!.kind).toBe(2);
    // The values themselves ride beside, as an attribute xarray shows.
    expect(JSON.parse(got['ours']!.attrs['furrow_values']!)).toEqual([null, 1.2, 'X']);
  }, 60_000);
});
