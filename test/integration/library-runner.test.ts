// The library's Runner (issue 9): outputs named and with dims of their own, run over combos and cases into a
// Dataset laid out as `furrow run` lays out a study's, which `furrow inspect` and Debian's xarray open; and the
// Harvester, which merges round after round into one file with the same code as `furrow run`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Harvester, label, Runner } from '../../electron/lib';
import { furrow, tempDir } from '../helpers/furrow';
import { describeWith, python } from '../helpers/tools';

const foo = ({ a, b }: Record<string, unknown>) => [(a as number) + (b as number), (a as number) * (b as number)];

describe('Runner', () => {
  it('runs combos into named variables, the last combo varying fastest, constants as attrs', async () => {
    const ds = await new Runner(foo, { varNames: ['sum', 'prod'], constants: { note: 'x' } }).runCombos({
      a: [1, 2],
      b: [10, 20, 30],
    });
    expect(ds.dims).toEqual({ a: 2, b: 3 });
    expect(ds.coords).toEqual({ a: [1, 2], b: [10, 20, 30] });
    expect(Array.from(ds.variables['sum']!.data as Float64Array)).toEqual([11, 21, 31, 12, 22, 32]);
    expect(ds.variables['prod']!.shape).toEqual([2, 3]);
    expect(ds.attrs).toEqual({ note: 'x' });
    expect(Array.from(ds.sel({ b: 20 }).variables['prod']!.data as Float64Array)).toEqual([20, 40]);
    expect(Array.from(ds.isel({ a: -1, b: 0 }).variables['sum']!.data as Float64Array)).toEqual([12]);
  });

  it("takes an output's dim coords from a constant of its name, and names outputs from a returned object", async () => {
    const walk = label({ varNames: null, varDims: { y: ['t'] }, constants: { t: [0, 0.5, 1] } })(({ k, t }) => ({
      y: (t as number[]).map((x) => x * (k as number)),
      kind: (k as number) > 1 ? 'big' : 'small',
    }));
    const ds = await walk.runCombos({ k: [1, 2] });
    expect(ds.coords['t']).toEqual([0, 0.5, 1]);
    expect(ds.attrs).toEqual({}); // t is the dim's coords, not an attr
    expect(Array.from(ds.variables['y']!.data as Float64Array)).toEqual([0, 0.5, 1, 0, 1, 2]);
    expect(ds.variables['kind']!.data).toEqual(['small', 'big']);
  });

  it('puts cases before combos and leaves the cells no case names missing', async () => {
    const ds = await new Runner(({ a, b, c }) => (a as number) + (b as number) + (c as number), {
      varNames: 'z',
    }).runCombos(
      { c: [100, 200] },
      {
        cases: [
          { a: 1, b: 10 },
          { a: 2, b: 20 },
        ],
      },
    );
    expect(ds.dims).toEqual({ a: 2, b: 2, c: 2 });
    expect(Array.from(ds.variables['z']!.data as Float64Array)).toEqual([111, 211, NaN, NaN, NaN, NaN, 122, 222]);
    const only = await new Runner(({ a }) => a, { varNames: 'z' }).runCases([{ a: 3 }, { a: 1 }]);
    expect(only.coords['a']).toEqual([1, 3]);
  });

  it('says which case gave an output of the wrong shape', async () => {
    const bad = new Runner(({ a }) => ((a as number) > 1 ? [1, 2] : [1, 2, 3]), {
      varNames: 'y',
      varDims: { y: ['t'] },
    });
    await expect(bad.runCombos({ a: [1, 2] })).rejects.toThrow(
      /at a=2: output 'y' has shape \[2\] but its dims are \[t=3\]/,
    );
  });
});

describeWith('xarray', 'a Dataset written by the library', () => {
  it('opens in furrow inspect and in xarray with its dims, coords and values', async () => {
    const file = path.join(tempDir(), 'lib.nc');
    const ds = await new Runner(foo, { varNames: ['sum', 'prod'] }).runCombos({ a: [1, 2], b: [10, 20, 30] });
    await ds.toNetCDF(file);
    const inspect = await furrow(['inspect', file, '--json']);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({
      dims: [
        { name: 'a', size: 2 },
        { name: 'b', size: 3 },
      ],
    });
    const prod = python(
      'import json, sys, xarray as xr\nds = xr.open_dataset(sys.argv[1], engine="h5netcdf")\nprint(json.dumps(ds["prod"].sel(a=2).values.tolist()))',
      file,
    );
    expect(prod).toEqual([20, 40, 60]);
  });
});

describe('Harvester', () => {
  it('merges round after round into one file as furrow run does, by xyzpy overwrite rules', async () => {
    const file = path.join(tempDir(), 'h.nc');
    let scale = 1;
    const runner = new Runner(({ x, y }) => scale * (x as number) * (y as number), { varNames: 'z' });
    const harvester = new Harvester(runner, { dataName: file });
    expect(await harvester.fullDataset).toBe(null);
    await harvester.harvestCombos({ x: [1, 2], y: [5] });
    await harvester.harvestCombos({ x: [3], y: [6, 7] });
    expect(harvester.lastDataset!.dims).toEqual({ x: 1, y: 2 });
    const full = (await harvester.fullDataset)!;
    expect(full.coords).toEqual({ x: [1, 2, 3], y: [5, 6, 7] });
    expect(Array.from(full.variables['z']!.data as Float64Array)).toEqual([5, NaN, NaN, 10, NaN, NaN, NaN, 18, 21]);

    scale = -1; // new values that disagree with the stored ones
    const before = fs.readFileSync(file);
    await expect(harvester.harvestCombos({ x: [3], y: [6] })).rejects.toThrow(
      /'z' at x=3, y=6: the dataset holds 18 but this run gave -18; nothing was written/,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    await harvester.harvestCombos({ x: [3], y: [6] }, { overwrite: 'old' });
    await harvester.harvestCases([{ x: 1, y: 5 }], { overwrite: 'new' });
    const after = (await harvester.fullDataset)!;
    expect(Array.from(after.variables['z']!.data as Float64Array)).toEqual([-5, NaN, NaN, 10, NaN, NaN, NaN, 18, 21]);
    expect((await furrow(['inspect', file, '--json'])).code).toBe(0);
  });
});

describe('Harvester, editing its file', () => {
  it('calls the function only for the cells the file lacks, with missingOnly', async () => {
    const file = path.join(tempDir(), 'm.nc');
    const calls: string[] = [];
    const runner = new Runner(
      ({ p, q }) => {
        calls.push(`${String(p)},${String(q)}`);
        return { r: (p as number) - (q as number), tag: `${String(p)}/${String(q)}` };
      },
      { varNames: null },
    );
    const harvester = new Harvester(runner, { dataName: file });
    await harvester.harvestCases([
      { p: 1, q: 1 },
      { p: 2, q: 3 },
    ]);
    calls.length = 0;
    await harvester.harvestCombos({ p: [1, 2], q: [1, 3] }, { missingOnly: true });
    expect(calls.sort()).toEqual(['1,3', '2,1']);
    const full = (await harvester.fullDataset)!;
    expect(Array.from(full.variables['r']!.data as Float64Array)).toEqual([0, -2, 1, -1]);
    expect(full.variables['tag']!.data).toEqual(['1/1', '1/3', '2/1', '2/3']);
    calls.length = 0;
    expect(await harvester.harvestCombos({ p: [1, 2], q: [1, 3] }, { missingOnly: true })).toBe(null);
    expect(calls).toEqual([]);
  });

  it('expands a constant into a dim, then takes new values along it; drops values; deletes into backups', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'e.nc');
    const runner = new Runner(({ x, gain }) => (x as number) * (gain as number), {
      varNames: 'y',
      constants: { gain: 2 },
    });
    const harvester = new Harvester(runner, { dataName: file });
    await harvester.harvestCombos({ x: [1, 2, 3] });
    expect((await harvester.fullDataset)!.attrs).toEqual({ gain: 2 });

    const expanded = await harvester.expandDims('gain');
    expect(expanded.dims).toEqual({ gain: 1, x: 3 });
    expect(expanded.attrs).toEqual({});
    await harvester.harvestCombos({ gain: [5], x: [1, 3] });
    let full = (await harvester.fullDataset)!;
    expect(full.coords).toEqual({ gain: [2, 5], x: [1, 2, 3] });
    expect(Array.from(full.variables['y']!.data as Float64Array)).toEqual([2, 4, 6, 5, NaN, 15]);
    await expect(harvester.expandDims('gain')).rejects.toThrow(/already has a dim 'gain'/);

    full = await harvester.dropSel({ x: [2], gain: 2 });
    expect(full.coords).toEqual({ gain: [5], x: [1, 3] });
    expect(Array.from(full.variables['y']!.data as Float64Array)).toEqual([5, 15]);
    await expect(harvester.dropSel({ x: 7 })).rejects.toThrow(
      /'x' has no value 7 in .*e\.nc \(it has 1, 3\); nothing was changed/,
    );
    const backups = fs.readdirSync(path.join(dir, 'backups'));
    expect(backups.length).toBeGreaterThanOrEqual(2); // one copy per edit, each openable

    const moved = harvester.deleteDataset()!;
    expect(fs.existsSync(file)).toBe(false);
    expect((await furrow(['inspect', moved, '--json'])).code).toBe(0);
    expect(await harvester.fullDataset).toBe(null);
    await harvester.harvestCombos({ x: [1] });
    expect(harvester.deleteDataset({ backup: false })).toBe(null);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('says who holds the folder when another writer is in it, and writes nothing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'l.nc');
    const harvester = new Harvester(new Runner(({ x }) => x, { varNames: 'y' }), { dataName: file });
    fs.writeFileSync(
      path.join(dir, '.furrow.lock'),
      JSON.stringify({ pid: process.ppid, host: os.hostname(), since: new Date().toISOString(), what: 'furrow run' }),
    );
    await expect(harvester.harvestCombos({ x: [1] })).rejects.toThrow(/furrow run/);
    expect(fs.existsSync(file)).toBe(false);
  });
});
