// The run database and what it makes possible: --missing-only, --retry-failed, --simulate, furrow db,
// and the overwrite policy when a run's values meet stored ones.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { spawn } from 'node:child_process';
import { CLI, exampleStudy, furrow } from '../helpers/furrow';

interface DbRow {
  _pset_hash: string;
  _run_id: string;
  _run_seq: number;
  _status: string;
  _error: string | null;
  a: number;
  b: number;
  c: number;
  a_out: number | null;
}

const rows = async (dir: string, where?: string) =>
  JSON.parse((await furrow(['db', dir, '--format', 'json', ...(where ? ['--where', where] : [])])).stdout) as DbRow[];
const summary = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('the run database', () => {
  it('records every case with psweep columns, and --missing-only runs nothing the second time', async () => {
    const dir = await exampleStudy('foo');
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const again = await furrow(['run', dir, '--missing-only', '--json']);
    expect(summary(again.stdout)).toMatchObject({ cases: 36, done: 0, skipped: 36 });
    const third = await furrow(['run', dir, '--json']);
    expect(summary(third.stdout)).toMatchObject({ done: 36 });

    const all = await rows(dir);
    expect(all).toHaveLength(72); // one row per case per run that ran it
    const first = all.filter((r) => r._run_seq === 1);
    const last = all.filter((r) => r._run_seq === 3);
    expect(first.map((r) => r._pset_hash)).toEqual(last.map((r) => r._pset_hash));
    expect(new Set(first.map((r) => r._pset_hash)).size).toBe(36);
    const one = first.find((r) => r.a === 2 && r.b === 20 && r.c === 300)!;
    expect(one).toMatchObject({ _status: 'done', a_out: 322 });
    expect(Object.keys(one)).toEqual(
      expect.arrayContaining([
        '_pset_id',
        '_pset_seq',
        '_calc_dir',
        '_time_utc',
        '_exec_host',
        '_runtime_s',
        '_params',
      ]),
    );
  });

  it('--simulate says what would run and touches nothing', async () => {
    const dir = await exampleStudy('foo');
    const plan = await furrow(['run', dir, '--simulate', '--json']);
    expect(JSON.parse(plan.stdout)).toMatchObject({
      simulate: true,
      cases: 36,
      would_run: 36,
      new: 36,
      done_before: 0,
    });
    expect(fs.existsSync(path.join(dir, 'runs.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);

    await furrow(['run', dir, '--combo', 'a=1', '--json']);
    const after = await furrow(['run', dir, '--missing-only', '--simulate', '--json']);
    expect(JSON.parse(after.stdout)).toMatchObject({ cases: 36, would_run: 24, new: 24, done_before: 12 });
  });

  it('--retry-failed runs only the cases whose last attempt failed', async () => {
    const dir = await exampleStudy('foo', {
      model: `import fs from 'node:fs';
export default ({ a, b, c }) => {
  if (c === 200 && !fs.existsSync(new URL('./fixed', import.meta.url))) throw new Error('not yet');
  return [a + b + c, a * b * c];
};
`,
    });
    expect((await furrow(['run', dir, '--json'])).code).toBe(1);
    fs.writeFileSync(path.join(dir, 'fixed'), '');
    const retry = await furrow(['run', dir, '--retry-failed', '--json']);
    expect(retry.code).toBe(0);
    expect(summary(retry.stdout)).toMatchObject({ done: 9, skipped: 27 });
    const values = await readSlice(path.join(dir, 'data', 'foo.nc'), 'a_out', { c: 1 });
    expect(values.values.every((v) => typeof v === 'number')).toBe(true);
  });

  it('--fail-fast stops at the first failure', async () => {
    const dir = await exampleStudy('foo', { model: 'export default () => { throw new Error("broken"); };\n' });
    const run = await furrow(['run', dir, '--fail-fast', '--workers', '1', '--json']);
    expect(run.code).toBe(1);
    expect(summary(run.stdout)['failed']).toBeLessThan(36);
    expect((await rows(dir, "_status = 'cancelled'")).length).toBeGreaterThan(0);
  });

  it('furrow db prints a table, CSV, and explains a bad --where', async () => {
    const dir = await exampleStudy('foo');
    await furrow(['run', dir, '--combo', 'a=1', '--combo', 'b=10', '--json']);
    const table = await furrow(['db', dir]);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^_run_seq\s+_pset_seq\s+_status\s+a\s+b\s+c\s+a_out\s+b_out\s+_runtime_s\s+_error$/,
    );
    expect(table.stdout).toMatch(/\(4 cases\)/);
    const csv = await furrow(['db', dir, '--format', 'csv', '--where', 'c > 200']);
    expect(csv.stdout.trim().split('\n')).toHaveLength(3);
    const bad = await furrow(['db', dir, '--where', 'nonsense ==== 1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^furrow: the condition 'nonsense ==== 1' does not work: /);
    const none = await furrow(['db', path.join(dir, '..')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/runs\.sqlite does not exist: the study has not been run yet/);
  });
});

describe('when new values meet stored ones', () => {
  const changed = 'export default ({ a, b, c }) => [a + b + c + (a === 1 ? 0.5 : 0), a * b * c];\n';

  it('--overwrite error (the default) refuses, naming the variable, the cell and both values', async () => {
    const dir = await exampleStudy('foo');
    await furrow(['run', dir, '--combo', 'a=1,2', '--json']);
    const before = fs.readFileSync(path.join(dir, 'data', 'foo.nc'));
    fs.writeFileSync(path.join(dir, 'model.mjs'), changed);
    const run = await furrow(['run', dir, '--combo', 'a=1', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /'a_out' at a=1, b=10, c=100: the dataset holds 111 but this run gave 111\.5; nothing was written/,
    );
    expect(fs.readFileSync(path.join(dir, 'data', 'foo.nc')).equals(before)).toBe(true);
    // Those cases are not counted done, so --missing-only would try them again.
    expect((await rows(dir, "_run_seq = 2 AND _status = 'done'")).length).toBe(0);
  });

  it('--overwrite new replaces stored values; --overwrite old keeps them', async () => {
    const dir = await exampleStudy('foo');
    await furrow(['run', dir, '--combo', 'a=1,2', '--json']);
    fs.writeFileSync(path.join(dir, 'model.mjs'), changed);
    expect((await furrow(['run', dir, '--combo', 'a=1', '--overwrite', 'old', '--json'])).code).toBe(0);
    expect((await readSlice(path.join(dir, 'data', 'foo.nc'), 'a_out', { a: 0, b: 0, c: 0 })).values).toEqual([111]);
    expect((await furrow(['run', dir, '--combo', 'a=1', '--overwrite', 'new', '--json'])).code).toBe(0);
    expect((await readSlice(path.join(dir, 'data', 'foo.nc'), 'a_out', { a: 0, b: 0, c: 0 })).values).toEqual([111.5]);
    expect((await readSlice(path.join(dir, 'data', 'foo.nc'), 'a_out', { a: 1, b: 0, c: 0 })).values).toEqual([112]);
  });
});

describe('what a killed run leaves behind', () => {
  it('records no case as done whose result is not in the dataset', async () => {
    const dir = await exampleStudy('foo', {
      model:
        'export default async ({ a, b, c }) => { await new Promise((r) => setTimeout(r, 100)); return [a + b + c, a * b * c]; };\n',
    });
    const child = spawn(process.execPath, [CLI, 'run', dir, '--workers', '2'], { stdio: 'ignore' });
    // Kill it once its runs row shows some cases done: the harvest waits for all 36, so none is harvested yet.
    const progress = () => {
      if (!fs.existsSync(path.join(dir, 'runs.sqlite'))) return 0;
      const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true, timeout: 1000 });
      try {
        return (db.prepare('SELECT done FROM runs').pluck().get() as number | undefined) ?? 0;
      } finally {
        db.close();
      }
    };
    await expect.poll(progress, { interval: 50 }).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const plan = JSON.parse((await furrow(['run', dir, '--missing-only', '--simulate', '--json'])).stdout) as Record<
      string,
      number
    >;
    expect(plan).toMatchObject({ would_run: 36, done_before: 0 });
    expect(fs.existsSync(path.join(dir, 'data', 'foo.nc'))).toBe(false);
    // The run's own row still shows how far it got.
    const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
    const run = db.prepare('SELECT status, cases, done FROM runs').get() as {
      status: string;
      cases: number;
      done: number;
    };
    db.close();
    expect(run).toMatchObject({ status: 'running', cases: 36 });
    expect(run.done).toBeGreaterThan(0);
  });
});

describe('coordinates across runs', () => {
  it('match booleans and mixed values with the stored ones instead of adding them again', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml:
        'name: f\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  flag: [true, false]\n  k: [1, x]\n',
      model: 'export default ({ flag, k }) => (flag ? 1 : 0) + String(k).length;\n',
    });
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    expect((await furrow(['run', dir, '--json', '--combo', 'k=x,2'])).code).toBe(0);
    const info = JSON.parse((await furrow(['inspect', path.join(dir, 'data', 'f.nc'), '--json'])).stdout) as {
      dims: { name: string; values: unknown[] }[];
    };
    // k mixes kinds: stored as strings with its values kept beside them, so it reads back typed; numbers and
    // strings make no order, so the new 2 is appended, and x is matched, not added again.
    expect(info.dims.map((d) => [d.name, d.values])).toEqual([
      ['flag', [true, false]],
      ['k', [1, 'x', 2]],
    ]);
  });
});

describe('a run that does not fit the stored dataset', () => {
  it('is refused before any case runs', async () => {
    const dir = await exampleStudy('foo');
    expect((await furrow(['run', dir, '--combo', 'a=1', '--json'])).code).toBe(0);
    const run = await furrow(['run', dir, '--combo', 'z=1,2', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/foo\.nc has dims \(a, b, c\) but this run would have \(a, b, c, z\)/);
    expect((await rows(dir)).map((r) => r._run_seq)).toEqual(Array(12).fill(1));
  });
});

describe('one writer per study', () => {
  it('tells a second run who holds the study, and takes over the lock of a process that is gone', async () => {
    const dir = await exampleStudy('foo', {
      model:
        'export default async ({ a, b, c }) => { await new Promise((r) => setTimeout(r, 100)); return [a + b + c, a * b * c]; };\n',
    });
    const first = spawn(process.execPath, [CLI, 'run', dir, '--workers', '1'], { stdio: 'ignore' });
    await expect.poll(() => fs.existsSync(path.join(dir, '.furrow.lock'))).toBe(true);
    const second = await furrow(['run', dir, '--json']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(`is being written by furrow run \\(pid ${first.pid} on .+, since .+\\); wait for it`),
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.on('exit', r));
    expect(fs.existsSync(path.join(dir, '.furrow.lock'))).toBe(true); // left behind by the killed run
    const third = await furrow(['run', dir, '--combo', 'a=1', '--json']);
    expect(third.code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.furrow.lock'))).toBe(false);
  });
});
