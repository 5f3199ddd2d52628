// Plots of a point dataset (an adaptive run's: the points along a `point` dim, the learned parameters as coordinates
// on it), computed by the engine from a real HDF5 file written by the engine's own dataset writer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../electron/engine/dataset/netcdf-write';
import { describeDataset } from '../../electron/engine/dataset/netcdf-read';
import { plotData } from '../../electron/engine/plots/plot-data';
import { applyEdit, chipsOf, coordinatesOn, dimsOf, firstDraft, kindEdit } from '../../shared/plot-edits';
import type { Column } from '../../shared/plot-spec';
import { checkSpec } from '../../shared/plot-spec';

const values = (c: Column | undefined): number[] =>
  !c || Array.isArray(c) ? [] : Array.from('f64' in c ? c.f64 : c.f32);

let file: string;
const draw = (spec: Record<string, unknown>) => plotData(file, checkSpec(spec));

// Six points in the order an adaptive run evaluated them: the ends first, then inside. The fourth point's model
// failed (NaN). f = x + y; g(point, a) has a second dim, as a learner per combination of `a` would give.
const X = [-1, 1, 0, 0.5, -0.5, 0.25];
const Y = [-1, 1, 1, -1, 0.5, 0];
const F = X.map((x, i) => (i === 3 ? NaN : x + Y[i]!));

beforeAll(async () => {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-points-')), 'points.nc');
  const n = X.length;
  await writeDataset(file, {
    dims: [
      { name: 'point', values: null, size: n },
      { name: 'a', values: [1, 2], size: 2 },
    ],
    variables: [
      { name: 'x', dims: ['point'], kind: 'float', data: Float64Array.from(X), attrs: { units: 'm' } },
      { name: 'y', dims: ['point'], kind: 'float', data: Float64Array.from(Y) },
      { name: 'f', dims: ['point'], kind: 'float', data: Float64Array.from(F), attrs: { coordinates: 'x y' } },
      {
        name: 'g',
        dims: ['point', 'a'],
        kind: 'float',
        data: Float64Array.from(X.flatMap((x) => [x, 10 * x])),
        attrs: { coordinates: 'x y' },
      },
    ],
    attrs: {},
  });
});

describe('plots of a point dataset', () => {
  it('knows the coordinates on the point dim, those the variable lists first', async () => {
    const info = await describeDataset(file);
    expect(coordinatesOn(info, 'f').map((c) => c.name)).toEqual(['x', 'y']);
    expect(coordinatesOn(info, 'f').every((c) => c.dim === 'point')).toBe(true);
    // The builder's first look: the values against the first listed coordinate (two: a triangulated heatmap).
    expect(firstDraft(info, 'f')).toEqual({ variable: 'f', kind: 'heatmap', x: 'x', y: 'y' });
    expect(firstDraft(info, 'g')).toMatchObject({ kind: 'heatmap', x: 'x', y: 'y', isel: { a: 0 } });
  });

  it('draws a line sorted along its coordinate, without the failed point', async () => {
    const plot = await draw({ variable: 'f', kind: 'line', x: 'x' });
    expect(plot.kind).toBe('line');
    const t = plot.panels[0]!.traces[0]!;
    expect(values(t.x)).toEqual([-1, -0.5, 0, 0.25, 1]);
    expect(values(t.y)).toEqual([-2, 0, 1, 0.25, 2]);
    expect(plot.xlabel).toBe('x [m]');
    expect(plot.ylabel).toBe('f');
    expect(plot.points).toBe(5);
    // kind auto with one coordinate is that line.
    expect((await draw({ variable: 'f', x: 'x' })).kind).toBe('line');
  });

  it('draws a scatter in the order the points were evaluated', async () => {
    const plot = await draw({ variable: 'f', kind: 'scatter', x: 'x' });
    expect(values(plot.panels[0]!.traces[0]!.x)).toEqual([-1, 1, 0, -0.5, 0.25]);
  });

  it('hands a heatmap or contour over two coordinates the points themselves, to triangulate', async () => {
    for (const kind of ['heatmap', 'contour', 'auto']) {
      const plot = await draw({ variable: 'f', kind, x: 'x', y: 'y' });
      expect(plot.kind).toBe(kind === 'auto' ? 'heatmap' : kind);
      const t = plot.panels[0]!.traces[0]!;
      expect(t.scattered).toBe(true);
      expect(values(t.x)).toEqual([-1, 1, 0, -0.5, 0.25]);
      expect(values(t.y)).toEqual([-1, 1, 1, 0.5, 0]);
      expect(values(t.z)).toEqual([-2, 2, 1, 0, 0.25]);
      expect(plot.zRange).toEqual([-2, 2]);
      expect(plot.zlabel).toBe('f');
      expect(plot.ylabel).toBe('y');
    }
  });

  it('fixes or reduces the other dims, and says so in the subtitle', async () => {
    const at = await draw({ variable: 'g', x: 'x', isel: { a: 1 } });
    expect(values(at.panels[0]!.traces[0]!.y)).toEqual([-10, -5, 0, 2.5, 5, 10]);
    expect(at.subtitle).toBe('a = 2');
    const mean = await draw({ variable: 'g', x: 'x', reduce: { a: 'mean' } });
    expect(values(mean.panels[0]!.traces[0]!.y)).toEqual([-5.5, -2.75, 0, 1.375, 2.75, 5.5]);
  });

  it('refuses what it cannot draw, naming what to change', async () => {
    await expect(draw({ variable: 'g', x: 'x' })).rejects.toThrow("'g' has a besides point: fix it at a value");
    await expect(draw({ variable: 'f', kind: 'heatmap', x: 'x' })).rejects.toThrow(
      'a heatmap of the points needs a coordinate on y as well',
    );
    await expect(draw({ variable: 'f', kind: 'hist', x: 'x' })).rejects.toThrow(
      'choose the Kind line, scatter, heatmap or contour',
    );
    await expect(draw({ variable: 'f', kind: 'line', x: 'x', y: 'y' })).rejects.toThrow("take 'y' off y");
    await expect(draw({ variable: 'f', x: 'x', y: 'x' })).rejects.toThrow("'x' is on both x and y");
    await expect(draw({ variable: 'g', x: 'x', hue: 'a' })).rejects.toThrow('has no Lines (hue)');
    // A name that is neither a dim nor a coordinate is the facet plot's own message.
    await expect(draw({ variable: 'f', x: 'nope' })).rejects.toThrow("x: 'nope' is not a dim of 'f'");
  });

  it('keeps the builder on the coordinates: each Kind adapts the draft, and every draft it leaves draws', async () => {
    const info = await describeDataset(file);
    const dims = dimsOf(info, 'g');
    expect(dims[0]).toMatchObject({ name: 'point', coordinates: ['x', 'y', 'f'] });
    let draft = firstDraft(info, 'g');
    const line = applyEdit(draft, kindEdit('line'), dims);
    expect(line.draft).toMatchObject({ kind: 'line', x: 'x', isel: { a: 0 } });
    expect(line.draft['y']).toBeUndefined();
    expect(line.note).toBe('A line plot draws the values up y: y left y.');
    const back = applyEdit(line.draft, kindEdit('contour'), dims);
    expect(back.draft).toMatchObject({ kind: 'contour', x: 'x', y: 'y' });
    expect(back.note).toBe("y is the coordinate 'y': a contour plot of the points needs two.");
    const hist = applyEdit(back.draft, kindEdit('hist'), dims);
    expect(hist.draft['x']).toBeUndefined();
    expect(hist.draft['y']).toBeUndefined();
    expect(hist.note).toMatch(/^A histogram needs a dim, not the coordinate 'x': it left x/);
    // Fixing the point dim frees it again: its coordinates are on the axes.
    const fixed = applyEdit(back.draft, { change: { isel: { a: 0, point: 2 } }, pin: { fixed: 'point' } }, dims);
    expect(fixed.draft['isel']).toEqual({ a: 0 });
    for (const d of [line.draft, back.draft, hist.draft, fixed.draft]) {
      const plot = await draw(d);
      expect(plot.points).toBeGreaterThan(0);
    }
    // The chip of a coordinate takes the coordinates off: the plot is then against the dims, as any plot.
    draft = back.draft;
    const chip = chipsOf(draft, null, dims).find((c) => c.key === 'enc-x')!;
    expect(chip.text).toBe('x: x');
    const off = applyEdit(draft, chip.remove, dims);
    expect(off.draft['x']).toBeUndefined();
    expect((await draw(off.draft)).spec.x).toBe('point');
  });
});
