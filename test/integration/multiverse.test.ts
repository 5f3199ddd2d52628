// The multiverse: one file of every case folder combined into one labelled array (`furrow combine`, the engine's
// `multiverse.combine`), checked against each case's own file and opened by Debian's xarray; and its faults.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeH5 } from '../../electron/engine/dataset/h5-kit';
import { describeDataset, readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow, serveStudy, tempDir } from '../helpers/furrow';
import { request } from '../helpers/raw-ws';
import { describeWith, python } from '../helpers/tools';

/** The case folder holding these parameters (from its params.json). */
function caseDirOf(study: string, params: Record<string, unknown>): string {
  const cases = path.join(study, 'cases');
  for (const id of fs.readdirSync(cases)) {
    const file = path.join(cases, id, 'params.json');
    if (!fs.existsSync(file)) continue;
    const got = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (Object.entries(params).every(([k, v]) => got[k] === v)) return path.join(cases, id);
  }
  throw new Error(`no case folder with ${JSON.stringify(params)}`);
}

describeWith('xarray', 'the multiverse of the random-walk study', () => {
  it('has dims (max_step_size, seed, iteration), each case where its file says, NaN where none is done', async () => {
    const dir = await exampleStudy('random-walk');
    // One case fails; a second run adds seed 10 for one max_step_size only, so two cells are never run.
    const walk = path.join(dir, 'walk.mjs');
    fs.writeFileSync(
      walk,
      fs
        .readFileSync(walk, 'utf8')
        .replace(
          "const log = fs.createWriteStream('walk.log');",
          "if (seed === 7 && maxStep === 0.3) process.exit(3);\nconst log = fs.createWriteStream('walk.log');",
        ),
    );
    const first = await furrow(['run', dir, '--json'], { timeoutMs: 120_000 });
    expect(JSON.parse(first.stdout)).toMatchObject({ cases: 30, done: 29, failed: 1 });
    const second = await furrow(['run', dir, '--combo', 'seed=10', '--combo', 'max_step_size=0.3', '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({ done: 1 });

    const out = path.join(tempDir(), 'walks.nc');
    const combine = await furrow(['combine', dir, 'data.h5:/random_walk', '--out', out, '--json']);
    expect(combine.stderr).toBe('');
    expect(combine.code).toBe(0);
    expect(JSON.parse(combine.stdout)).toEqual({
      file: out,
      variable: 'random_walk',
      dims: ['max_step_size', 'seed', 'iteration'],
      shape: [3, 11, 1024],
      cases: 30,
      missing: 3,
    });

    // xarray's view of it, checked against each done case's own data.h5 (found through the run database) and
    // against the study's dataset, which the harvest filled from the same files.
    const got = python(`
import json, sqlite3, h5py, numpy as np, xarray as xr
mv = xr.open_dataset(${JSON.stringify(out)}, engine="h5netcdf")
ds = xr.open_dataset(${JSON.stringify(path.join(dir, 'data', 'random_walk.nc'))}, engine="h5netcdf")
w = mv.random_walk
db = sqlite3.connect(${JSON.stringify(path.join(dir, 'runs.sqlite'))})
checked = 0
for calc_dir, params in db.execute("SELECT _calc_dir, _params FROM psets WHERE _status = 'done'"):
    p = json.loads(params)
    with h5py.File(${JSON.stringify(dir)} + "/" + calc_dir + "/data.h5", "r") as f:
        assert np.array_equal(w.sel(max_step_size=p["max_step_size"], seed=p["seed"]).values, f["random_walk"][()])
    checked += 1
nan = w.isnull().all("iteration")
print(json.dumps({
  "dims": list(w.dims), "dtype": str(w.dtype), "checked": checked,
  "coords": {k: mv[k].values.tolist() for k in ["max_step_size", "seed"]},
  "iteration": mv.iteration.values.tolist() == list(range(1024)),
  "nan": [[float(m), int(s)] for m in mv.max_step_size.values for s in mv.seed.values
          if bool(nan.sel(max_step_size=m, seed=s))],
  "partly_nan": int((w.isnull().any("iteration") & ~nan).sum()),
  "as_dataset": bool(np.array_equal(w.values, ds.random_walk.values, equal_nan=True)),
}))`) as Record<string, unknown>;
    expect(got).toEqual({
      dims: ['max_step_size', 'seed', 'iteration'],
      dtype: 'float64',
      checked: 30,
      coords: { max_step_size: [0.1, 0.3, 1], seed: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
      iteration: true,
      nan: [
        [0.1, 10],
        [0.3, 7],
        [1, 10],
      ],
      partly_nan: 0,
      as_dataset: true,
    });

    // The app's request: the same array kept in data/multiverse/, read like any file, written again only when
    // the run database has newer cases.
    const served = await serveStudy(dir);
    try {
      type Combined = { file: string; info: { dims: { name: string; values: unknown[] | null }[] } };
      const energy = (await request(served, 'multiverse.combine', { path: 'data.h5:/abm/mean_energy' })) as Combined;
      expect(energy.file).toBe(path.join(dir, 'data', 'multiverse', 'data.h5-abm-mean_energy.nc'));
      expect(energy.info.dims.map((d) => d.name).sort()).toEqual(['max_step_size', 'seed', 'time']);
      const slice = (await request(served, 'dataset.read', {
        file: energy.file,
        variable: 'mean_energy',
        select: { max_step_size: 0, seed: 2 },
      })) as { dims: string[]; values: number[] };
      expect(slice.dims).toEqual(['time']);
      expect(slice.values[0]).toBe(1); // every agent starts with energy 1
      const written = fs.statSync(energy.file).mtimeMs;
      await request(served, 'multiverse.combine', { path: 'data.h5:/abm/mean_energy' });
      expect(fs.statSync(energy.file).mtimeMs).toBe(written);
      const third = await furrow(['run', dir, '--combo', 'seed=11', '--combo', 'max_step_size=1', '--json']);
      expect(third.code).toBe(0);
      const again = (await request(served, 'multiverse.combine', { path: 'data.h5:/abm/mean_energy' })) as Combined;
      expect(again.info.dims.find((d) => d.name === 'seed')!.values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      await expect(request(served, 'multiverse.combine', { path: 'data.h5' })).rejects.toThrow(
        /give the path as file\.h5:\/group\/dataset/,
      );
    } finally {
      await served.stop();
    }
  }, 240_000);
});

describe('furrow combine', () => {
  // 120 cases (enough for progress on stderr); the one at a=3, b=4 fails.
  let grid: string;
  beforeAll(async () => {
    grid = await exampleStudy('foo', {
      studyYaml: `name: grid
model: {command: ['{node}', ./model.mjs]}
outputs: {total: {}}
combos:
  a: {range: [0, 12]}
  b: {range: [0, 10]}
`,
      model: `const { a, b } = JSON.parse(process.env.FURROW_PARAMS);
if (a === 3 && b === 4) process.exit(3);
const { writeH5 } = await import(process.env.FURROW_H5);
await writeH5('data.h5', { x: [a, b, a * b, a + b], 'g/label': [a + '-' + b] }, {}, { dims: { x: 'k' } });
console.log(JSON.stringify({ total: a + b }));
`,
    });
    const run = await furrow(['run', grid, '--json'], { timeoutMs: 170_000 });
    expect(JSON.parse(run.stdout)).toMatchObject({ cases: 120, done: 119, failed: 1 });
  }, 180_000);

  /** A copy of the grid study to break. */
  const copy = () => {
    const dir = path.join(tempDir(), 'grid');
    fs.cpSync(grid, dir, { recursive: true });
    return dir;
  };

  it('combines numbers and strings, shows its progress on stderr, and NaN where the case failed', async () => {
    const out = path.join(tempDir(), 'x.nc');
    const run = await furrow(['combine', grid, 'data.h5:/x', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/x\(a, b, k\) \[12×10×4\] from 119 cases; 1 cells NaN/);
    expect(run.stderr).toMatch(/combining data\.h5:\/x: 119 of 119 cases read\n$/);
    expect((await readSlice(out, 'x', { a: 2, b: 3 })).values).toEqual([2, 3, 6, 5]);
    expect((await readSlice(out, 'x', { a: 3, b: 4 })).values).toEqual([null, null, null, null]);
    const labels = await furrow(['combine', grid, 'data.h5:g/label', '--json']);
    const { file, dims, shape } = JSON.parse(labels.stdout) as { file: string; dims: string[]; shape: number[] };
    expect(file).toBe(path.join(grid, 'data', 'multiverse', 'data.h5-g-label.nc'));
    expect([dims, shape]).toEqual([
      ['a', 'b', 'label_dim0'],
      [12, 10, 1],
    ]);
    expect((await readSlice(file, 'label', { a: 11, b: 9 })).values).toEqual(['11-9']);
  });

  it('refuses a PATH without a colon, or one that leaves the case folder, saying the form it takes', async () => {
    for (const bad of ['data.h5', '../../study.yaml:/x', '/etc/hosts:/x']) {
      const run = await furrow(['combine', grid, bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/give the path as file\.h5:\/group\/dataset/);
    }
    const dir = copy();
    const outside = path.join(tempDir(), 'outside.h5');
    await writeH5(outside, { x: [1, 2, 3, 4] });
    const victim = path.join(caseDirOf(dir, { a: 0, b: 1 }), 'data.h5');
    fs.rmSync(victim);
    fs.symlinkSync(outside, victim);
    const run = await furrow(['combine', dir, 'data.h5:/x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/data\.h5 leads outside the study folder/);
    expect(fs.existsSync(path.join(dir, 'data', 'multiverse', 'data.h5-x.nc'))).toBe(false);
  });

  it('names the first case folder whose file lacks the dataset, and what that file holds', async () => {
    const dir = copy();
    const first = caseDirOf(dir, { a: 5, b: 5 });
    for (const at of [first, caseDirOf(dir, { a: 7, b: 1 })])
      await writeH5(path.join(at, 'data.h5'), { y: [1, 2], 'g/label': ['z'] });
    const run = await furrow(['combine', dir, 'data.h5:/x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${path.join(first, 'data.h5')} has no dataset /x; this case folder is the first that lacks it (case a=5 b=5); the file holds /g/label [1], /y [2]`,
    );
  });

  it('names a corrupt case file, and a case whose array has another shape, without crashing', async () => {
    const dir = copy();
    const corrupt = path.join(caseDirOf(dir, { a: 1, b: 2 }), 'data.h5');
    fs.writeFileSync(corrupt, 'not HDF5 at all\n'.repeat(100));
    const bad = await furrow(['combine', dir, 'data.h5:/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(new RegExp(`${corrupt}: not a readable HDF5/NetCDF4 file .*\\(case a=1 b=2\\)`));
    expect(bad.stderr).not.toMatch(/internal error/);

    await writeH5(corrupt, { x: ['1', '2', '3', '4'] }, {}, { dims: { x: 'k' } });
    const other = await furrow(['combine', dir, 'data.h5:/x']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      new RegExp(
        `${corrupt}: /x holds strings of shape \\[4\\] \\(case a=1 b=2\\), but .*/data\\.h5 holds numbers of shape \\[4\\]; the multiverse needs the same kind and number of axes in every case`,
      ),
    );
  });

  it('combines arrays whose length differs by case, padded with NaN, and says so in its attributes', async () => {
    const dir = copy();
    const longer = path.join(caseDirOf(dir, { a: 1, b: 2 }), 'data.h5');
    await writeH5(longer, { x: [1, 2, 3, 4, 5], k: [0, 10, 20, 30, 40] }, {}, { dims: { x: 'k' } });
    await writeH5(path.join(caseDirOf(dir, { a: 0, b: 0 }), 'data.h5'), { x: [7] }, {}, { dims: { x: 'k' } });
    const out = path.join(tempDir(), 'x.nc');
    const run = await furrow(['combine', dir, 'data.h5:/x', '--out', out]);
    expect(run.stderr).toMatch(/119 of 119 cases read/);
    expect(run.stdout).toMatch(
      /x\(a, b, k\) \[12×10×5\] from 119 cases; 1 cells NaN .*; k: lengths differ by case, the shorter padded with NaN/,
    );
    expect((await readSlice(out, 'x', { a: 1, b: 2 })).values).toEqual([1, 2, 3, 4, 5]);
    expect((await readSlice(out, 'x', { a: 2, b: 3 })).values).toEqual([2, 3, 6, 5, null]);
    expect((await readSlice(out, 'x', { a: 0, b: 0 })).values).toEqual([7, null, null, null, null]);
    // The longest case's coordinates, and the attributes that say what was padded.
    const info = await describeDataset(out);
    expect(info.dims.find((d) => d.name === 'k')!.values).toEqual([0, 10, 20, 30, 40]);
    expect(info.attrs).toMatchObject({ ragged_dims: 'k' });
    expect(info.variables.find((v) => v.name === 'x')!.attrs['comment']).toBe(
      'lengths differ by case along k: each shorter case is padded with NaN at its end',
    );
    const json = await furrow(['combine', dir, 'data.h5:/x', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ shape: [12, 10, 5], ragged: ['k'] });
  });

  it('says why there is nothing to combine: a module model, a study not run yet', async () => {
    const foo = await exampleStudy('foo');
    const module = await furrow(['combine', foo, 'data.h5:/x']);
    expect(module.code).toBe(2);
    expect(module.stderr).toMatch(/the model is a module, whose cases have no folders/);
    const dir = copy();
    fs.rmSync(path.join(dir, 'runs.sqlite'));
    fs.rmSync(path.join(dir, 'data'), { recursive: true });
    const fresh = await furrow(['combine', dir, 'data.h5:/x']);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toMatch(
      /no case is done yet in the run database, so there is no data\.h5 to combine; run the study first/,
    );
  });
});
