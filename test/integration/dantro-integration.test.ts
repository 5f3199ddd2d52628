// dantro's integration guide, reproduced in Furrow's terms (test/fixtures/dantro): its parameter space as the guide
// writes it, its data generator as a command model that reads its parameters nested, its data tree's shapes, the
// ragged `abm/energy/<step>` combined over the cases, and its plots: a figure per case (its universe plot), the
// mean over the seeds, and the agents' mean energy with open-ended limits. Real processes, HDF5 read by xarray,
// PDFs drawn by Chromium and read back by poppler.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { resolvePlot } from '../../shared/plot-spec';
import { casePlots } from '../../electron/engine/plots/each-case';
import { readPlotsFile } from '../../electron/engine/plots/plots-file';
import { openStudy } from '../../electron/engine/study/study';
import { exampleStudy, furrow, ROOT } from '../helpers/furrow';
import { describeWith, expectEmbeddedFonts, python } from '../helpers/tools';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'dantro');
const DIM = 'random_walk.max_step_size';

/** Each done case of the run database: its pset_id and the values of its two dims. */
async function doneCases(dir: string): Promise<{ id: string; seed: number; step: number }[]> {
  const db = await furrow(['db', dir, '--format', 'json']);
  expect(db.code, db.stderr).toBe(0);
  return (JSON.parse(db.stdout) as Record<string, unknown>[])
    .filter((r) => r['_status'] === 'done')
    .map((r) => ({ id: r['_pset_id'] as string, seed: r['seed'] as number, step: r[DIM] as number }));
}

let dir: string;
beforeAll(async () => {
  dir = await exampleStudy('blank');
  fs.rmSync(path.join(dir, 'model.mjs'));
  for (const file of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, file), path.join(dir, file));
  const run = await furrow(['run', dir, '--json'], { timeoutMs: 240_000 });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toMatchObject({ cases: 30, done: 30, failed: 0 });
}, 300_000);

describeWith('xarray', "dantro's integration guide: the data", () => {
  it('runs the 30 simulations of its parameter space, each given its parameters nested as the guide reads them', async () => {
    const cases = path.join(dir, 'cases');
    const given = fs
      .readdirSync(cases)
      .map((id) => JSON.parse(fs.readFileSync(path.join(cases, id, 'params.json'), 'utf8')) as Record<string, unknown>);
    expect(given).toHaveLength(30);
    expect(given).toContainEqual({
      seed: 7,
      random_walk: { initial_state: 0, num_steps: 1023, max_step_size: 0.3 },
      abm: {
        num_steps: 100,
        num_agents: 42,
        init: { energy: 1 },
        iterate: { dE_live: -0.05, dE_eat: 0.1, p_death: 0.01, p_eat: 0.1 },
      },
    });
    // The dims: seed × max_step_size, named by the dotted path (ordered by key path, as paramspace orders them).
    const ids = await doneCases(dir);
    expect(new Set(ids.map((c) => c.seed))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(new Set(ids.map((c) => c.step))).toEqual(new Set([0.1, 0.3, 1]));
  });

  it("has the guide's shapes: random_walk (1024,), mean_energy and num_agents (101,), 42 agents that die out", () => {
    const got = python(
      `
import json, sys, numpy as np, xarray as xr
ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
walk, n, step = ds.random_walk, ds.num_agents, ds["${DIM}"]
jumps = np.abs(walk.diff("iteration"))
print(json.dumps({
  "dims": {v: [list(ds[v].dims), list(ds[v].shape)] for v in ["random_walk", "mean_energy", "num_agents"]},
  "start": float(np.abs(walk.isel(iteration=0)).max()),
  "within_step": bool((jumps <= step + 1e-12).all()),
  "largest_step": [float(jumps.sel({"${DIM}": s}).max()) for s in step.values],
  "agents_at_0": sorted(set(int(x) for x in n.isel(time=0).values.ravel())),
  "mean_energy_at_0": sorted(set(float(x) for x in ds.mean_energy.isel(time=0).values.ravel())),
  "extinct_after": [int(x) for x in n.argmin("time").values.ravel()],
}))
`,
      path.join(dir, 'data', 'my_simulation.nc'),
    ) as Record<string, unknown>;
    expect(got['dims']).toEqual({
      random_walk: [
        [DIM, 'seed', 'iteration'],
        [3, 10, 1024],
      ],
      mean_energy: [
        [DIM, 'seed', 'time'],
        [3, 10, 101],
      ],
      num_agents: [
        [DIM, 'seed', 'time'],
        [3, 10, 101],
      ],
    });
    expect(got['start']).toBe(0); // initial_state
    expect(got['within_step']).toBe(true);
    // Each walk's largest step comes close to its max_step_size.
    const largest = got['largest_step'] as number[];
    [0.1, 0.3, 1].forEach((s, i) => expect(largest[i]).toBeGreaterThan(0.9 * s));
    expect(got['agents_at_0']).toEqual([42]);
    expect(got['mean_energy_at_0']).toEqual([1]);
    // "agents got extinct after N / 100 iterations", N > 0 in every simulation
    const extinct = got['extinct_after'] as number[];
    expect(extinct).toHaveLength(30);
    for (const n of extinct) expect(n).toBeGreaterThan(0);
    expect(Math.max(...extinct)).toBeLessThan(100);
  });

  it('combines the ragged abm/energy/<step> over the cases padded with NaN, and its attributes say so', async () => {
    const out = path.join(dir, 'energy-10.nc');
    const combine = await furrow(['combine', dir, 'data.h5:/abm/energy/10', '--out', out, '--json']);
    expect(combine.stderr).toBe('');
    const said = JSON.parse(combine.stdout) as { dims: string[]; shape: number[]; ragged: string[] };
    expect(said.dims).toEqual([DIM, 'seed', '10_dim0']);
    expect(said.ragged).toEqual(['10_dim0']);
    // Each cell holds its case's own energies, then NaN up to the longest case's length.
    const cases = await doneCases(dir);
    const got = python(
      `
import json, sys, h5py, numpy as np, xarray as xr
mv = xr.open_dataset(sys.argv[1], engine="h5netcdf")
var = mv["10"]
cells = []
for c in json.loads(sys.argv[3]):
    own = h5py.File(f"{sys.argv[2]}/cases/{c['id']}/data.h5", "r")["abm/energy/10"][()]
    cell = var.sel({"${DIM}": c["step"], "seed": c["seed"]}).values
    n = len(own)
    cells.append([n, bool(np.array_equal(cell[:n], own)), bool(np.isnan(cell[n:]).all())])
attrs = {k: (v.item() if hasattr(v, "item") else v) for k, v in mv.attrs.items()}
print(json.dumps({"shape": list(var.shape), "attrs": attrs, "comment": var.attrs["comment"], "cells": cells}))
`,
      out,
      dir,
      JSON.stringify(cases),
    ) as { shape: number[]; attrs: Record<string, unknown>; comment: string; cells: [number, boolean, boolean][] };
    const lengths = got.cells.map(([n]) => n);
    expect(new Set(lengths).size).toBeGreaterThan(1); // ragged indeed: agents died at random
    expect(Math.max(...lengths)).toBeLessThanOrEqual(42);
    expect(got.shape).toEqual([3, 10, Math.max(...lengths)]);
    for (const [, same, padded] of got.cells) expect([same, padded]).toEqual([true, true]);
    expect(got.attrs).toMatchObject({ ragged_dims: '10_dim0', cases_combined: 30, cells_missing: 0 });
    expect(got.comment).toBe('lengths differ by case along 10_dim0: each shorter case is padded with NaN at its end');
  });

  it('draws a plot with each: case once per done case, or once per case its sel chooses', async () => {
    const study = openStudy(dir);
    const plots = readPlotsFile(path.join(dir, 'plots.yaml'));
    const spec = resolvePlot('random_walk', plots);
    const all = casePlots(study, 'random_walk', { ...spec, each: 'case' });
    const cases = await doneCases(dir);
    expect(all.map((p) => p.name).sort()).toEqual(cases.map((c) => `random_walk/${c.id}`).sort());
    const chosen = casePlots(study, 'random_walk', spec);
    const wanted = cases.filter((c) => c.seed <= 1);
    expect(chosen.map((p) => p.name).sort()).toEqual(wanted.map((c) => `random_walk/${c.id}`).sort());
    const one = wanted[0]!;
    expect(chosen.find((p) => p.name === `random_walk/${one.id}`)!.spec.sel).toEqual({
      seed: one.seed,
      [DIM]: one.step,
    });
    // The plot's own sel chooses too; a dim that is no parameter is refused by name.
    const some = casePlots(study, 'random_walk', { ...spec, each: 'case', sel: { [DIM]: 1 } });
    expect(some).toHaveLength(10);
    expect(() => casePlots(study, 'random_walk', { ...spec, each: { sel: { seeds: [0] } } })).toThrow(
      /each\.sel: 'seeds' is not a parameter dim of the study \(its dims: random_walk\.max_step_size, seed\)/,
    );
    expect(() => casePlots(study, 'random_walk', { ...spec, each: { sel: { seed: [99] } } })).toThrow(
      /no case with seed in \[99\] is done/,
    );
  });
});

describeWith('poppler', "dantro's integration guide: the plots", () => {
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

  it('exports a PDF per chosen case into eval/<ts>/<plot>/<pset_id>.pdf, and the plots with open-ended limits', async () => {
    const out = await furrow(['export', dir], { timeoutMs: 240_000 });
    expect(out.code, out.stderr).toBe(0);
    const files = out.stdout.trim().split('\n');
    const evalDir = path.dirname(files.at(-1)!);
    expect(evalDir).toMatch(/eval[/\\]\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
    const chosen = (await doneCases(dir)).filter((c) => c.seed <= 1);
    expect(files.map((f) => path.relative(evalDir, f)).sort()).toEqual(
      [...chosen.map((c) => `random_walk/${c.id}.pdf`), 'abm_mean_energy.pdf', 'mean_random_walk.pdf'].sort(),
    );
    for (const c of chosen) {
      const file = path.join(evalDir, 'random_walk', `${c.id}.pdf`);
      // What is fixed, said under the title: this case's values.
      expect(run('pdftotext', [file, '-']).stdout).toContain(`${DIM} = ${c.step} · seed = ${c.seed}`);
      expectEmbeddedFonts(file);
    }
    const energy = path.join(evalDir, 'abm_mean_energy.pdf');
    expect(run('pdftotext', [energy, '-']).stdout).toContain('Mean Agent Energy for Different Simulations');
    expectEmbeddedFonts(energy);
    expectEmbeddedFonts(path.join(evalDir, 'mean_random_walk.pdf'));
    // Beside it, the spec as drawn: the limits' open ends kept as null.
    const drawn = parseYaml(fs.readFileSync(path.join(evalDir, 'abm_mean_energy.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect([drawn['xlim'], drawn['ylim']]).toEqual([
      [0, null],
      [0, null],
    ]);
  }, 300_000);
});
