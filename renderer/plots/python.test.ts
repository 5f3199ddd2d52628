import { describe, expect, it } from 'vitest';
import type { PlotData } from '../../shared/plot-spec';
import { checkSpec } from '../../shared/plot-spec';
import { pythonSnippet } from './python';

const plot = (spec: Record<string, unknown>, more: Partial<PlotData> = {}): PlotData => {
  const s = checkSpec({ variable: 'v', ...spec });
  return {
    spec: s,
    given: s,
    kind: (s.kind === 'auto' ? 'line' : s.kind) as PlotData['kind'],
    source: '/data/study.nc',
    title: 'v',
    xlabel: 'x',
    ylabel: 'v',
    zlabel: null,
    subtitle: null,
    autoSubtitle: '',
    hue: null,
    rows: 1,
    cols: 1,
    frames: null,
    zRange: null,
    panels: [],
    points: 0,
    ...more,
  };
};

describe('Copy as Python', () => {
  it('opens the same file and makes the same selection, reductions, steps and facets', () => {
    const text = pythonSnippet(
      plot({
        kind: 'line',
        x: 't',
        hue: 'a',
        col: 'b',
        sel: { mode: 'rk4' },
        isel: { seed: -1 },
        reduce: { c: 'mean' },
        transform: [{ diff: 't' }, { log10: true }],
      }),
    );
    expect(text).toContain('ds = xr.open_dataset("/data/study.nc", engine="h5netcdf")');
    expect(text).toContain('da = ds["v"]');
    expect(text).toContain('da = da.sel(mode="rk4")');
    expect(text).toContain('da = da.isel(seed=-1)');
    expect(text).toContain('da = da.mean("c")');
    expect(text).toContain('da = da.diff("t", label="upper")');
    expect(text).toContain('da.plot.line(x="t", hue="a", col="b")');
  });

  it('writes dims named like Python keywords so Python reads them', () => {
    const text = pythonSnippet(plot({ kind: 'step', x: 't', sel: { from: 1.5, in: 'x', ok: true } }));
    expect(text).toContain('da = da.sel(**{"from": 1.5}, **{"in": "x"}, ok=True)');
    expect(text).toContain('da.plot.step(x="t", where="post")');
  });
});
