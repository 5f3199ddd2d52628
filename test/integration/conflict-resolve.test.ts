// A round the dataset refuses (issue 24, psweep's habit of running a stochastic model again) loses nothing it
// computed: the dataset stays as it was, the scalars are in the run database (status conflict), the outputs in
// data/<name>.<run_seq>.conflict.nc, and `furrow dataset resolve` applies them without running again, through a
// kill, a missing or cut-short side file and a second resolve.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow, withFault } from '../helpers/furrow';
import { describeWith, python } from '../helpers/tools';

const FIRST = 'export default ({ x }) => ({ z: 10 * x, arr: [x, 2 * x] });\n';
const SECOND = 'export default ({ x }) => ({ z: -x, arr: [-x, -2 * x] });\n';

/** A study over x = 1, 2 run once, its model changed, then run over x = 2, 3: x = 2 conflicts, x = 3 is new. */
async function refusedRun(): Promise<{ dir: string; file: string; side: string; before: Buffer; stderr: string }> {
  const dir = await exampleStudy('foo', {
    studyYaml:
      'name: h\nmodel: {module: ./model.mjs}\noutputs: {z: {}, arr: {dims: [t]}}\ncoords: {t: [0, 1]}\ncombos:\n  x: [1, 2]\n',
    model: FIRST,
  });
  expect((await furrow(['run', dir, '--json'])).code).toBe(0);
  const file = path.join(dir, 'data', 'h.nc');
  const before = fs.readFileSync(file);
  fs.writeFileSync(path.join(dir, 'model.mjs'), SECOND);
  const run = await furrow(['run', dir, '--combo', 'x=2,3', '--store-every', '0']);
  expect(run.code, run.stderr).toBe(2);
  return { dir, file, side: path.join(dir, 'data', 'h.2.conflict.nc'), before, stderr: run.stderr };
}

async function rowsOf(dir: string, runSeq: number): Promise<Record<string, unknown>[]> {
  const db = await furrow(['db', dir, '--format', 'json', '--where', `_run_seq = ${runSeq}`]);
  expect(db.code, db.stderr).toBe(0);
  return (JSON.parse(db.stdout) as Record<string, unknown>[]).sort((a, b) => Number(a['x']) - Number(b['x']));
}

const values = async (file: string, name: string) => (await readSlice(file, name, {})).values;

describe('a run whose values conflict with the stored ones (--overwrite error)', () => {
  it('leaves the dataset byte for byte, keeps what it computed, and says the command that applies it', async () => {
    const { dir, file, side, before, stderr } = await refusedRun();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(stderr).toMatch(
      /^furrow: .*h\.nc: '(z|arr)' at x=2(, t=0)?: the dataset holds 2 but this run gave -2; nothing was written/,
    );
    expect(stderr).toContain(`The 2 cases this run computed are kept`);
    expect(stderr).toContain(`furrow dataset resolve ${dir} --run 2 --overwrite new`);
    // Scalars in the run database, as conflict (not failed), with their values.
    const rows = await rowsOf(dir, 2);
    expect(rows.map((r) => [r['x'], r['z'], r['_status']])).toEqual([
      [2, -2, 'conflict'],
      [3, -3, 'conflict'],
    ]);
    // Arrays (and scalars) in the side file, a NetCDF4 file like the dataset.
    expect(await values(side, 'arr')).toEqual([-2, -4, -3, -6]);
    expect((await readSlice(side, 'arr', {})).coords).toEqual({ x: [2, 3], t: [0, 1] });
  });

  it('resolve --overwrite new applies them without running the model, once; a second resolve changes nothing', async () => {
    const { dir, file, side } = await refusedRun();
    fs.writeFileSync(path.join(dir, 'model.mjs'), 'export default () => { throw new Error("ran again"); };\n');
    const resolved = await furrow(['dataset', 'resolve', dir, '--run', '2', '--overwrite', 'new', '--json']);
    expect(resolved.code, resolved.stderr).toBe(0);
    const result = JSON.parse(resolved.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ run: 2, overwrite: 'new', resolved: 2 });
    expect(await values(file, 'z')).toEqual([10, -2, -3]);
    expect(await values(file, 'arr')).toEqual([1, 2, -2, -4, -3, -6]);
    expect((await rowsOf(dir, 2)).map((r) => r['_status'])).toEqual(['done', 'done']);
    expect(fs.existsSync(side)).toBe(false);
    expect(fs.existsSync(String(result['archived']))).toBe(true);

    const after = fs.readFileSync(file);
    const again = await furrow(['dataset', 'resolve', dir, '--run', '2', '--overwrite', 'old']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('run 2 has nothing to resolve');
    expect(fs.readFileSync(file).equals(after)).toBe(true);
    // Those cases count as done: --missing-only has nothing left to run (the model would fail if called).
    const missing = await furrow(['run', dir, '--combo', 'x=1,2,3', '--missing-only', '--json']);
    expect(missing.code, missing.stderr).toBe(0);
  });

  it('resolve --overwrite old keeps the stored values and adds the new cells', async () => {
    const { dir, file } = await refusedRun();
    const resolved = await furrow(['dataset', 'resolve', dir, '--run', '2', '--overwrite', 'old']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toMatch(/run 2's 2 cases applied \(--overwrite old\) and recorded done/);
    expect(await values(file, 'z')).toEqual([10, 20, -3]);
    expect(await values(file, 'arr')).toEqual([1, 2, 2, 4, -3, -6]);
  });

  it('a side file missing or cut short: a message that says what to do, and nothing changed or lost', async () => {
    const { dir, file, side, before } = await refusedRun();
    const whole = fs.readFileSync(side);
    fs.renameSync(side, `${side}.aside`);
    const missing = await furrow(['dataset', 'resolve', dir, '--run', '2', '--overwrite', 'new']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${side} is missing`);
    expect(missing.stderr).toContain('Nothing was changed: the scalars of its 2 cases stay in the run database');
    fs.writeFileSync(side, whole.subarray(0, Math.floor(whole.length / 2)));
    const cut = await furrow(['dataset', 'resolve', dir, '--run', '2', '--overwrite', 'new']);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain(`${side} cannot be read`);
    expect(cut.stderr).not.toMatch(/internal error|at .*\.mjs:\d+/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect((await rowsOf(dir, 2)).map((r) => r['_status'])).toEqual(['conflict', 'conflict']);
    // The whole file back: it resolves.
    fs.writeFileSync(side, whole);
    expect((await furrow(['dataset', 'resolve', dir, '--run', '2', '--overwrite', 'new'])).code).toBe(0);
    expect(await values(file, 'z')).toEqual([10, -2, -3]);
  });

  it('a resolve killed while it writes the dataset, or just after, is finished by running it again', async () => {
    const faults = [
      { file: 'h.nc', nth: 1, action: 'kill-after' as const },
      { file: 'h.nc', nth: 3, action: 'kill-after' as const },
      // The dataset written and its journal gone, the rows not yet recorded done.
      { file: 'h.nc.journal', nth: 1, action: 'kill-after-remove' as const },
    ];
    for (const fault of faults) {
      const { dir, file, side } = await refusedRun();
      const killed = await furrow(['dataset', 'resolve', dir, '--run', '2', '--overwrite', 'new'], withFault(fault));
      expect(killed.code, `${JSON.stringify(fault)}: ${killed.stderr}`).toBe(null);
      const again = await furrow(['dataset', 'resolve', dir, '--run', '2', '--overwrite', 'new', '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout), JSON.stringify(fault)).toMatchObject({ resolved: 2 });
      expect(await values(file, 'z')).toEqual([10, -2, -3]);
      expect(await values(file, 'arr')).toEqual([1, 2, -2, -4, -3, -6]);
      expect((await rowsOf(dir, 2)).map((r) => r['_status'])).toEqual(['done', 'done']);
      expect(fs.existsSync(side)).toBe(false);
    }
  });
});

describeWith('xarray', "Debian's xarray opens a run's side file", () => {
  it('with both engines, its dims, coords and values', async () => {
    const { side } = await refusedRun();
    for (const engine of ['h5netcdf', 'netcdf4']) {
      const got = python(`
import json, xarray as xr
ds = xr.open_dataset(${JSON.stringify(side)}, engine=${JSON.stringify(engine)})
print(json.dumps({"dims": list(ds.arr.dims), "x": ds.x.values.tolist(), "arr": ds.arr.values.tolist(), "z": ds.z.values.tolist()}))`);
      expect(got, engine).toEqual({
        dims: ['x', 't'],
        x: [2, 3],
        arr: [
          [-2, -4],
          [-3, -6],
        ],
        z: [-2, -3],
      });
    }
  });
});
