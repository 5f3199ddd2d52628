// The datasets Furrow writes, opened by Debian's xarray (h5netcdf and netcdf4 engines), compared with what
// the models return.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith, SYSTEM_PYTHON } from '../helpers/tools';

function python(code: string): unknown {
  const run = spawnSync(SYSTEM_PYTHON, ['-c', code], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

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
  "start": float(np.abs(w.isel(step=0)).max()), "max_steps": steps.tolist(),
  "abm": list(ds.num_agents.dims), "agents0": float(ds.num_agents.isel(time=0).min())}))`) as Record<string, unknown>;
    expect(got).toMatchObject({
      dims: ['max_step_size', 'seed', 'step'],
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
});
