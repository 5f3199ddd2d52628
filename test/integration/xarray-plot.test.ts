// A NetCDF file written by Debian's xarray (not by Furrow): a string coord and a 4-D variable open in the data
// tree and facet-plot with col and row.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { treeChildren, treeNode } from '../../electron/engine/tree/data-tree';
import { plotData } from '../../electron/engine/plots/plot-data';
import { checkSpec } from '../../shared/plot-spec';
import { tempDir } from '../helpers/furrow';
import { describeWith, SYSTEM_PYTHON } from '../helpers/tools';

describeWith('xarray', "a file of Debian's xarray in the tree and in a facet plot", () => {
  it('lists its variables, shows the 4-D one, and draws it with columns by a string coord and rows', async () => {
    const file = path.join(tempDir(), 'xr.nc');
    const made = spawnSync(
      SYSTEM_PYTHON,
      [
        '-c',
        `
import numpy as np, xarray as xr
t = np.linspace(0, 1, 6)
v = np.arange(2 * 3 * 2 * 6, dtype=float).reshape(2, 3, 2, 6)
ds = xr.Dataset(
    {"v": (("method", "x", "seed", "t"), v, {"units": "m", "long_name": "height"})},
    coords={"method": ["rk4", "euler", "leapfrog"][:2], "x": [0.5, 1.0, 1.5], "seed": [1, 2], "t": t},
)
ds.to_netcdf(${JSON.stringify(file)}, engine="netcdf4")
`,
      ],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    const noStudy = () => {
      throw new Error('no study here');
    };
    const root = { root: 'file' as const, file, path: '/' };
    const { children } = await treeChildren(noStudy, root, 0, 100);
    expect(children.map((c) => c.name)).toEqual(expect.arrayContaining(['v', 'method', 't']));
    const details = await treeNode(noStudy, { ...root, path: '/v' });
    expect(details.shape).toEqual([2, 3, 2, 6]);
    expect(details.dims).toEqual(['method', 'x', 'seed', 't']);

    const plot = await plotData(file, checkSpec({ variable: 'v', x: 't', hue: 'x', col: 'method', row: 'seed' }));
    expect(plot.kind).toBe('line');
    expect([plot.rows, plot.cols]).toEqual([2, 2]);
    expect(plot.panels.map((p) => p.title)).toEqual([
      'seed = 1, method = rk4',
      'seed = 1, method = euler',
      'seed = 2, method = rk4',
      'seed = 2, method = euler',
    ]);
    expect(plot.panels[0]!.traces.map((t) => t.name)).toEqual(['x = 0.5', 'x = 1', 'x = 1.5']);
    expect(plot.ylabel).toBe('height [m]');
    // euler (method 1), x = 1.5 (2), seed = 2 (1): v[1, 2, 1, :] = 1*36 + 2*12 + 1*6 + 0..5.
    const y = plot.panels[3]!.traces[2]!.y as { f64: Float64Array };
    expect(Array.from(y.f64)).toEqual([66, 67, 68, 69, 70, 71]);
  });

  it("names facets, legends, axes and the subtitle by the coords' long_name and units, as xarray does", async () => {
    const file = path.join(tempDir(), 'named.nc');
    const made = spawnSync(
      SYSTEM_PYTHON,
      [
        '-c',
        `
import numpy as np, xarray as xr
v = np.arange(2 * 3 * 2 * 4, dtype=float).reshape(2, 3, 2, 4)
ds = xr.Dataset(
    {"v": (("method", "x", "seed", "t"), v, {"units": "m", "long_name": "height"})},
    coords={
        "method": ["rk4", "euler"],
        "x": ("x", [0.5, 1.0, 1.5], {"long_name": "position", "units": "km"}),
        "seed": ("seed", [1, 2], {"long_name": "random seed"}),
        "t": ("t", [0.0, 0.5, 1.0, 1.5], {"long_name": "time", "units": "s"}),
    },
)
ds.to_netcdf(${JSON.stringify(file)}, engine="netcdf4")
`,
      ],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    const plot = await plotData(file, checkSpec({ variable: 'v', x: 't', hue: 'x', col: 'seed', isel: { method: 1 } }));
    expect(plot.panels.map((p) => p.title)).toEqual(['random seed = 1', 'random seed = 2']);
    expect(plot.panels[0]!.traces.map((t) => t.name)).toEqual([
      'position = 0.5 km',
      'position = 1 km',
      'position = 1.5 km',
    ]);
    expect([plot.xlabel, plot.ylabel]).toEqual(['time [s]', 'height [m]']);
    expect(plot.hue).toEqual({ label: 'position [km]', count: 3, range: [0.5, 1.5] });
    expect(plot.subtitle).toBe('method = euler');
    const bands = await plotData(
      file,
      checkSpec({
        variable: 'v',
        kind: 'errorbands',
        x: 't',
        over: 'seed',
        sel: { x: 1.0 },
        reduce: { method: 'max' },
      }),
    );
    expect(bands.subtitle).toBe('position = 1 km · max over method · mean ± std over seed');
    const own = await plotData(
      file,
      checkSpec({ variable: 'v', x: 't', isel: { method: 0, x: 0, seed: 0 }, subtitle: 'mine' }),
    );
    expect([own.subtitle, own.autoSubtitle]).toEqual(['mine', 'method = rk4 · position = 0.5 km · random seed = 1']);
    const none = await plotData(
      file,
      checkSpec({ variable: 'v', x: 't', isel: { method: 0, x: 0, seed: 0 }, subtitle: false }),
    );
    expect(none.subtitle).toBeNull();
  });
});
