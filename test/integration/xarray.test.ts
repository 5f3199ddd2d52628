// The datasets Furrow writes, opened by Debian's xarray (h5netcdf and netcdf4 engines), compared with what
// the models return.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeDataset, readSlice } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith, python } from '../helpers/tools';

describeWith('xarray', "Debian's xarray reads Furrow's datasets", () => {
  it('opens the foo example with dims a, b, c, their coords, and the model values', async () => {
    const dir = await exampleStudy('foo');
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const file = path.join(dir, 'data', 'foo.nc');
    for (const engine of ['h5netcdf', 'netcdf4']) {
      const got = python(`
import json, xarray as xr
ds = xr.open_dataset(${JSON.stringify(file)}, engine=${JSON.stringify(engine)})
print(json.dumps({
  "dims": list(ds.a_out.dims), "coords": {k: ds[k].values.tolist() for k in ["a", "b", "c"]},
  "a_out": ds.a_out.values.tolist(), "b_out": ds.b_out.values.tolist(),
  "dtype": str(ds.a_out.dtype), "coord_dtype": str(ds.a.dtype),
}))`) as {
        dims: string[];
        coords: Record<string, number[]>;
        a_out: number[][][];
        b_out: number[][][];
        dtype: string;
        coord_dtype: string;
      };
      expect(got.dims).toEqual(['a', 'b', 'c']);
      expect(got.coords).toEqual({ a: [1, 2, 3], b: [10, 20, 30], c: [100, 200, 300, 400] });
      expect(got.dtype).toBe('float64');
      expect(got.coord_dtype).toBe('int64');
      got.coords.a!.forEach((a, i) =>
        got.coords.b!.forEach((b, j) =>
          got.coords.c!.forEach((c, k) => {
            expect(got.a_out[i]![j]![k]).toBe(a + b + c);
            expect(got.b_out[i]![j]![k]).toBe(a * b * c);
          }),
        ),
      );
    }
  });

  it('opens the bar example with B(i, j, k, x) and C(i, j, k, x, t), x and t from the study', async () => {
    const dir = await exampleStudy('bar');
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const got = python(`
import json, math, xarray as xr
ds = xr.open_dataset(${JSON.stringify(path.join(dir, 'data', 'bar.nc'))}, engine="h5netcdf")
c = ds.C.sel(i=6, j=7, k=10, x=20)
print(json.dumps({
  "A": list(ds.A.dims), "B": list(ds.B.dims), "C": list(ds.C.dims),
  "x": ds.x.values.tolist(), "t": ds.t.values.tolist(),
  "B_6_8_9": ds.B.sel(i=6, j=8, k=9).values.tolist(),
  "C_err": max(abs(v - math.sin(10 * t) * 20) for v, t in zip(c.values.tolist(), ds.t.values.tolist())),
  "attrs": dict(ds.attrs),
}))`) as Record<string, unknown>;
    expect(got['A']).toEqual(['i', 'j', 'k']);
    expect(got['B']).toEqual(['i', 'j', 'k', 'x']);
    expect(got['C']).toEqual(['i', 'j', 'k', 'x', 't']);
    expect(got['x']).toEqual([10, 20, 30]);
    expect((got['t'] as number[]).map((v) => Math.round(v * 10) / 10)).toEqual([
      0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ]);
    expect(got['B_6_8_9']).toEqual([68, 128, 188]);
    expect(got['C_err']).toBeLessThan(1e-12);
    expect(got['attrs']).toEqual({ source: 'xyzpy Runner example' });
  });

  it("lays out particular cases and combos as xyzpy does, with '' where no case ran", async () => {
    const dir = await exampleStudy('foo', {
      studyYaml: `name: xyz
model: {module: ./model.mjs}
outputs: {s: {}}
cases:
  - {a: 1, b: 3}
  - {a: 2, b: 4}
combos:
  c: [3, 4]
  d: [4, 5]
`,
      model: 'export default ({ a, b, c, d }) => `${a}${b}${c}${d}`;\n',
    });
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const got = python(`
import json, xarray as xr
ds = xr.open_dataset(${JSON.stringify(path.join(dir, 'data', 'xyz.nc'))}, engine="h5netcdf")
s = ds.s
print(json.dumps({"dims": list(s.dims), "set": int((s != "").sum()), "empty": int((s == "").sum()),
  "diag": s.sel(a=2, b=4, c=3, d=5).item(), "off": s.sel(a=1, b=4, c=3, d=5).item()}))`);
    expect(got).toEqual({ dims: ['a', 'b', 'c', 'd'], set: 8, empty: 8, diag: '2435', off: '' });
  });

  it('passes constants to every case and stores them as attrs', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml:
        'name: k\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\nconstants: {b: 20, c: 300}\ncombos: {a: [1, 2]}\n',
      model: 'export default ({ a, b, c }) => a + b + c;\n',
    });
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const got = python(`
import json, xarray as xr
ds = xr.open_dataset(${JSON.stringify(path.join(dir, 'data', 'k.nc'))}, engine="h5netcdf")
print(json.dumps({"y": ds.y.values.tolist(), "b": int(ds.attrs["b"]), "c": int(ds.attrs["c"])}))`);
    expect(got).toEqual({ y: [321, 322], b: 20, c: 300 });
  });

  it('stores a zip group as one dim with the other parameters as its coordinates', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml:
        'name: z\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos: {a: [1, 2]}\nzip:\n  - {p: [1, 2, 3], q: [10, 20, 30]}\n',
      model: 'export default ({ a, p, q }) => a * 1000 + p * 100 + q;\n',
    });
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const got = python(`
import json, xarray as xr
ds = xr.open_dataset(${JSON.stringify(path.join(dir, 'data', 'z.nc'))}, engine="h5netcdf")
print(json.dumps({"dims": list(ds.y.dims), "coords": sorted(ds.y.coords), "q": ds.q.values.tolist(), "y": ds.y.sel(a=2, p=3).item()}))`);
    expect(got).toEqual({ dims: ['a', 'p'], coords: ['a', 'p', 'q'], q: [10, 20, 30], y: 2330 });
  });

  it('runs the random-walk example into a (max_step_size, seed) dataset with walks of 1024 steps', async () => {
    const dir = await exampleStudy('random-walk');
    const run = await furrow(['run', dir, '--json'], { timeoutMs: 120_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ cases: 30, done: 30 });
    const got = python(`
import json, numpy as np, xarray as xr
ds = xr.open_dataset(${JSON.stringify(path.join(dir, 'data', 'random_walk.nc'))}, engine="h5netcdf")
w = ds.random_walk
steps = np.abs(np.diff(w.values, axis=-1)).max(axis=(1, 2))
print(json.dumps({"dims": list(w.dims), "shape": list(w.shape), "msz": ds.max_step_size.values.tolist(),
  "start": float(np.abs(w.isel(iteration=0)).max()), "max_steps": steps.tolist(),
  "abm": list(ds.num_agents.dims), "agents0": float(ds.num_agents.isel(time=0).min())}))`) as Record<string, unknown>;
    expect(got).toMatchObject({
      dims: ['max_step_size', 'seed', 'iteration'],
      shape: [3, 10, 1024],
      msz: [0.1, 0.3, 1],
      start: 0,
    });
    (got['max_steps'] as number[]).forEach((m, i) => expect(m).toBeLessThanOrEqual([0.1, 0.3, 1][i]!));
    expect(got['abm']).toEqual(['max_step_size', 'seed', 'time']);
    expect(got['agents0']).toBe(100);
    // Its case folders hold the data file, the log and the parameters.
    const caseDir = path.join(dir, 'cases', fs.readdirSync(path.join(dir, 'cases'))[0]!);
    expect(fs.readdirSync(caseDir).sort()).toEqual(['data.h5', 'params.json', 'stderr.log', 'stdout.log', 'walk.log']);
  }, 150_000);

  it('reads failed cases as NaN', async () => {
    const dir = await exampleStudy('foo', {
      model:
        'export default ({ a, b, c }) => { if (c === 300) throw new Error("no"); return [a + b + c, a * b * c]; };\n',
    });
    expect((await furrow(['run', dir, '--json'])).code).toBe(1);
    const got = python(`
import json, xarray as xr
ds = xr.open_dataset(${JSON.stringify(path.join(dir, 'data', 'foo.nc'))}, engine="h5netcdf")
print(json.dumps({"nan": int(ds.a_out.isnull().sum()), "nan_at_300": int(ds.a_out.sel(c=300).isnull().sum())}))`);
    expect(got).toEqual({ nan: 9, nan_at_300: 9 });
  });

  it('opens a dataset grown in place by two runs with disjoint combos, with the values Furrow reads', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml:
        'name: g\nmodel: {module: ./model.mjs}\noutputs: {y: {}, s: {dims: [t]}}\ncoords: {t: [0, 1, 2]}\ncombos:\n  a: [1, 2]\n  b: [10]\n',
      model: 'export default ({ a, b }) => ({ y: a * b, s: Float64Array.from([a, b, a + b]) });\n',
    });
    expect((await furrow(['run', dir, '--json'])).code).toBe(0);
    const second = await furrow(['run', dir, '--combo', 'a=3', '--combo', 'b=20,30', '--json']);
    expect(JSON.parse(second.stdout.trim().split('\n').at(-1)!)).toMatchObject({ harvest: 'in place' });
    const file = path.join(dir, 'data', 'g.nc');
    const ours = { y: (await readSlice(file, 'y', {})).values, s: (await readSlice(file, 's', {})).values };
    expect(ours.y).toEqual([10, null, null, 20, null, null, null, 60, 90]);
    for (const engine of ['h5netcdf', 'netcdf4']) {
      const theirs = python(`
import json, math, xarray as xr
ds = xr.open_dataset(${JSON.stringify(file)}, engine=${JSON.stringify(engine)})
clean = lambda xs: [None if math.isnan(x) else x for x in xs]
print(json.dumps({"coords": {k: ds[k].values.tolist() for k in ["a", "b", "t"]},
  "y": clean(ds.y.values.ravel().tolist()), "s": clean(ds.s.values.ravel().tolist())}))`);
      expect(theirs).toEqual({ coords: { a: [1, 2, 3], b: [10, 20, 30], t: [0, 1, 2] }, ...ours });
    }
  });
});

describeWith('xarray', 'Furrow reads the files xarray writes', () => {
  // Written by Debian's xarray with each engine: a string coord, a bool, an int64, big-endian floats, deflate,
  // a 4-D variable with a coordinate-less ("phantom") dim, attrs of several kinds.
  const write = (engine: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-xr-')), `${engine}.nc`);
    python(`
import json, numpy as np, xarray as xr
ds = xr.Dataset(
  {"v4": (("name", "k", "phantom", "t"), np.arange(120, dtype=float).reshape(2, 3, 4, 5) - 60),
   "flag": (("name",), np.array([True, False])),
   "count": (("k",), np.array([7, -8, 2**40], dtype=np.int64)),
   "be": (("k",), np.array([1.5, np.nan, -3.5], dtype=">f8"))},
  coords={"name": ["alpha", "beta"], "k": np.array([10, 20, 30], dtype=np.int64), "t": np.linspace(0, 1, 5)},
  attrs={"title": "x", "n": np.int64(7), "big": np.int64(2**62 + 1), "vec": [1.0, 2.0], "one": [5]})
ds["v4"].attrs["units"] = "m"
ds.to_netcdf(${JSON.stringify(file)}, engine=${JSON.stringify(engine)}, encoding={"v4": {"zlib": True, "complevel": 4}})
print(json.dumps(None))`);
    return file;
  };

  for (const engine of ['h5netcdf', 'netcdf4']) {
    it(`reads dims, coords, values and attrs of a file from engine=${engine}`, async () => {
      const file = write(engine);
      const info = await describeDataset(file);
      expect(Object.fromEntries(info.dims.map((d) => [d.name, d.values ?? d.size]))).toEqual({
        name: ['alpha', 'beta'],
        k: [10, 20, 30],
        t: [0, 0.25, 0.5, 0.75, 1],
        phantom: 4,
      });
      // int64 attrs are numbers where that is exact, decimal strings where it is not.
      expect(info.attrs).toEqual({ title: 'x', n: 7, big: '4611686018427387905', vec: [1, 2], one: 5 });
      const v4 = info.variables.find((v) => v.name === 'v4')!;
      expect(v4).toMatchObject({ dims: ['name', 'k', 'phantom', 't'], shape: [2, 3, 4, 5], dtype: 'float64' });
      expect(v4.attrs['units']).toBe('m');
      const slice = await readSlice(file, 'v4', { name: 1, k: 2 });
      expect(slice.dims).toEqual(['phantom', 't']);
      expect(slice.coords['phantom']).toEqual([0, 1, 2, 3]);
      expect(slice.values).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i - 60));
      // Booleans: dtype bool in the description; values travel as 1 and 0, as every slice's numbers do.
      expect(info.variables.find((v) => v.name === 'flag')!.dtype).toBe('bool');
      expect((await readSlice(file, 'flag', {})).values).toEqual([1, 0]);
      expect((await readSlice(file, 'count', {})).values).toEqual([7, -8, 2 ** 40]);
      expect((await readSlice(file, 'be', {})).values).toEqual([1.5, null, -3.5]);
    });
  }
});

describeWith('xarray', 'Furrow reads plain HDF5 files (h5py, no dimension scales)', () => {
  it('names phony dims by size as netCDF-C does, and names a filter it lacks instead of returning garbage', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-h5py-')), 'plain.h5');
    python(`
import json, h5py, numpy as np
with h5py.File(${JSON.stringify(file)}, "w") as f:
    f["grid"] = np.arange(6.0).reshape(2, 3)
    f["row"] = np.arange(3.0) * 10
    f["square"] = np.eye(3)
    f.create_dataset("packed", data=np.arange(100.0), compression="lzf")
print(json.dumps(None))`);
    const info = await describeDataset(file);
    expect(info.dims).toEqual([
      { name: 'phony_dim_0', size: 2, values: null },
      { name: 'phony_dim_1', size: 3, values: null },
      { name: 'phony_dim_2', size: 100, values: null },
      { name: 'phony_dim_3', size: 3, values: null },
    ]);
    const dimsOf = (name: string) => info.variables.find((v) => v.name === name)!.dims;
    expect(dimsOf('grid')).toEqual(['phony_dim_0', 'phony_dim_1']);
    expect(dimsOf('row')).toEqual(['phony_dim_1']);
    expect(dimsOf('square')).toEqual(['phony_dim_1', 'phony_dim_3']);
    const row = await readSlice(file, 'grid', { phony_dim_0: 1 });
    expect(row).toMatchObject({ dims: ['phony_dim_1'], coords: { phony_dim_1: [0, 1, 2] }, values: [3, 4, 5] });
    await expect(readSlice(file, 'packed', {})).rejects.toThrow(
      /plain\.h5: 'packed' is compressed with the 'lzf' filter, which Furrow's HDF5 does not have/,
    );
    const inspect = await furrow(['inspect', file]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(/square\(phony_dim_1, phony_dim_3\) float64 \[3×3\]/);
  });

  it('`furrow inspect` shows the whole tree: groups nested, links marked with their target, --path a subtree', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-h5tree-'));
    const file = path.join(dir, 'tree.h5');
    python(`
import json, h5py, numpy as np, xarray as xr
with h5py.File(${JSON.stringify(path.join(dir, 'other.h5'))}, "w") as f:
    f["data"] = np.arange(3.0)
xr.Dataset({"v": (("t",), [1.0, 2.0])}, coords={"t": [10, 20]}).to_netcdf(
    ${JSON.stringify(file)}, group="run", engine="h5netcdf")
with h5py.File(${JSON.stringify(file)}, "a") as f:
    f["top"] = np.arange(4.0)
    f["abm/energy"] = np.arange(5, dtype="int32")
    f["abm"].attrs["agents"] = 100
    f["abm/deeper/grid"] = np.zeros((2, 2))
    f["best"] = h5py.SoftLink("/abm/energy")
    f["gone"] = h5py.SoftLink("/nothere")
    f["ext"] = h5py.ExternalLink("other.h5", "/data")
print(json.dumps(None))`);
    const text = await furrow(['inspect', file]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    const at = (line: string) => lines.indexOf(line);
    // Each group under its parent, indented; links listed as links, never as the dataset they point to.
    expect(at('group /abm:')).toBeGreaterThan(at('  top(phony_dim_0) float64 [4]'));
    expect(at('    energy(phony_dim_0) int32 [5]')).toBeGreaterThan(at('group /abm:'));
    expect(at('    agents: 100')).toBeGreaterThan(at('group /abm:'));
    expect(at('  group /abm/deeper:')).toBeGreaterThan(at('group /abm:'));
    expect(at('      grid(phony_dim_0, phony_dim_1) float64 [2×2]')).toBeGreaterThan(at('  group /abm/deeper:'));
    expect(lines).toEqual(
      expect.arrayContaining([
        '  best → /abm/energy  (soft link)',
        '  gone → /nothere  (soft link)',
        '  ext → other.h5:/data  (external link)',
        'group /run:',
        '    t: 2 [10, 20]',
        '    v(t) float64 [2]',
      ]),
    );
    expect(text.stdout).not.toMatch(/best\(/);
    // --json: the same tree; --path: the subtree at a group, or a message that says what to give.
    const json = JSON.parse((await furrow(['inspect', file, '--json'])).stdout) as {
      group: string;
      links: { name: string; type: string; target: string }[];
      groups: { group: string; variables: { name: string; dims: string[] }[]; groups: { group: string }[] }[];
    };
    expect(json.group).toBe('/');
    expect(json.links).toContainEqual({ name: 'best', type: 'soft', target: '/abm/energy' });
    const group = (name: string) => json.groups.find((g) => g.group === name)!;
    expect(json.groups.map((g) => g.group).sort()).toEqual(['/abm', '/run']);
    expect(group('/abm').groups.map((g) => g.group)).toEqual(['/abm/deeper']);
    expect(group('/run').variables).toMatchObject([{ name: 'v', dims: ['t'] }]);
    const sub = await furrow(['inspect', file, '--path', '/abm/deeper']);
    expect(sub.stdout.trim().split('\n').slice(1)).toEqual([
      'dims:',
      '  phony_dim_0: 2',
      '  phony_dim_1: 2',
      'variables:',
      '  grid(phony_dim_0, phony_dim_1) float64 [2×2]',
    ]);
    const wrong = await furrow(['inspect', file, '--path', '/abm/energy']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/'\/abm\/energy' is a dataset; --path takes a group \(its parent is '\/abm'\)/);
    const missing = await furrow(['inspect', file, '--path', 'nope']);
    expect(missing.stderr).toMatch(/has no group '\/nope' \(its groups: (\/abm, \/run|\/run, \/abm)\)/);
  });
});
