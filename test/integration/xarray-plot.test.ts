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
});
