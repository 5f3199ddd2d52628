// What a facet plot draws, computed by the engine from a real dataset written by a real run: selections,
// reductions, transform steps, auto-encoding and facets, and the messages for specs that cannot be drawn.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../electron/engine/dataset/netcdf-write';
import { plotData } from '../../electron/engine/plots/plot-data';
import { listPlots, savePlot, specOf } from '../../electron/engine/plots/plots-file';
import type { Column, PlotData } from '../../shared/plot-spec';
import { checkSpec } from '../../shared/plot-spec';
import { exampleStudy, furrow } from '../helpers/furrow';

const values = (c: Column | undefined): (number | string | boolean | null)[] => {
  if (!c) return [];
  if (Array.isArray(c)) return c;
  return Array.from('f64' in c ? c.f64 : c.f32);
};

// foo(a, b, c) = (a + b + c, a * b * c) over a = 1, 2, 3; b = 10, 20, 30; c = 100, 200, 300, 400.
let study: string;
let file: string;
const draw = (spec: Record<string, unknown>): Promise<PlotData> => plotData(file, checkSpec(spec));

beforeAll(async () => {
  study = await exampleStudy('foo');
  expect((await furrow(['run', study])).code).toBe(0);
  file = path.join(study, 'data', 'foo.nc');
});

describe('facet plot data from a real dataset', () => {
  it('draws a line per hue value, with the other dims fixed by isel or sel', async () => {
    const plot = await draw({ variable: 'a_out', x: 'c', hue: 'a', isel: { b: 0 } });
    expect(plot.kind).toBe('line');
    expect(plot.panels).toHaveLength(1);
    const traces = plot.panels[0]!.traces;
    expect(traces.map((t) => t.name)).toEqual(['a = 1', 'a = 2', 'a = 3']);
    expect(values(traces[0]!.x)).toEqual([100, 200, 300, 400]);
    expect(values(traces[2]!.y)).toEqual([113, 213, 313, 413]);
    const bySel = await draw({ variable: 'a_out', x: 'c', hue: 'a', sel: { b: 30 } });
    expect(values(bySel.panels[0]!.traces[0]!.y)).toEqual([131, 231, 331, 431]);
    expect(bySel.xlabel).toBe('c');
    expect(bySel.ylabel).toBe('a_out');
  });

  it('makes a heatmap of every dim on its own, the largest on x, the rest in columns, one colour scale', async () => {
    const plot = await draw({ variable: 'a_out' });
    expect(plot.kind).toBe('heatmap');
    expect(plot.spec).toMatchObject({ x: 'c', y: 'a', col: 'b' });
    expect(plot.cols).toBe(3);
    expect(plot.panels.map((p) => p.title)).toEqual(['b = 10', 'b = 20', 'b = 30']);
    const t = plot.panels[1]!.traces[0]!;
    expect(values(t.z)).toEqual([121, 221, 321, 421, 122, 222, 322, 422, 123, 223, 323, 423]);
    expect(plot.zRange).toEqual([111, 433]);
  });

  it('reduces dims, takes error bands over one, and bins a histogram in the engine', async () => {
    const mean = await draw({ variable: 'b_out', x: 'c', reduce: { a: 'mean', b: 'max' } });
    expect(values(mean.panels[0]!.traces[0]!.y)).toEqual([6000, 12000, 18000, 24000]);
    const bands = await draw({ variable: 'a_out', kind: 'errorbands', x: 'c', over: 'a', isel: { b: 0 } });
    const band = bands.panels[0]!.traces[0]!;
    expect(values(band.y)).toEqual([112, 212, 312, 412]);
    const std = Math.sqrt(2 / 3);
    expect(values(band.upper)[0]).toBeCloseTo(112 + std);
    expect(values(band.lower)[0]).toBeCloseTo(112 - std);
    const hist = await draw({ variable: 'a_out', kind: 'hist', bins: 4, hue: 'b', col: 'a' });
    expect(hist.panels).toHaveLength(3);
    const counts = hist.panels.flatMap((p) => p.traces.flatMap((t) => values(t.y) as number[]));
    expect(counts.reduce((s, n) => s + n, 0)).toBe(36); // every value in exactly one bin
  });

  it('applies the transform steps in order and shows one frame at a time', async () => {
    const diffed = await draw({
      variable: 'b_out',
      x: 'c',
      isel: { a: 0, b: 0 },
      transform: [{ diff: 'c' }, { log10: true }],
    });
    expect(values(diffed.panels[0]!.traces[0]!.x)).toEqual([200, 300, 400]);
    expect(values(diffed.panels[0]!.traces[0]!.y)).toEqual([3, 3, 3]); // log10(1 * 10 * 100)
    const framed = await draw({ variable: 'a_out', x: 'c', hue: 'a', frames: 'b', frame: 2 });
    expect(framed.frames).toEqual({ dim: 'b', labels: ['10', '20', '30'], index: 2 });
    expect(values(framed.panels[0]!.traces[0]!.y)).toEqual([131, 231, 331, 431]);
  });

  it('says what to change when a spec cannot be drawn, never a blank plot', async () => {
    await expect(draw({ variable: 'c_out' })).rejects.toThrow(
      /variable 'c_out' is not in .*foo\.nc \(its variables: a_out, b_out\)/,
    );
    await expect(draw({ variable: 'a_out', x: 'time' })).rejects.toThrow(/x: 'time' is not a dim of 'a_out'/);
    await expect(draw({ variable: 'a_out', x: 'a', hue: 'a' })).rejects.toThrow(/'a' is mapped twice, to x and to hue/);
    await expect(draw({ variable: 'a_out', kind: 'heatmap', hue: 'a' })).rejects.toThrow(/a heatmap plot has no hue/);
    await expect(draw({ variable: 'a_out', x: 'c', hue: 'a', sel: { b: 15 } })).rejects.toThrow(
      /sel: 15 is not a value of 'b' \(its values: 10, 20, 30\)/,
    );
    await expect(draw({ variable: 'a_out', x: 'c', reduce: { z: 'mean' } })).rejects.toThrow(
      /reduce: 'z' is not a dim/,
    );
  });
});

describe('plots.yaml', () => {
  it('saves a plot keeping the comments, resolves based_on against the file, and lists a broken chain', async () => {
    const plots = path.join(study, 'plots.yaml');
    fs.writeFileSync(
      plots,
      `# The plots of the foo study.
base:
  enabled: false # only a base
  variable: a_out
  isel: {b: 0}
loop_a: {based_on: loop_b}
loop_b: {based_on: loop_a}
`,
    );
    savePlot(plots, 'by_c', { based_on: 'base', x: 'c', hue: 'a', title: 'a_out over c' });
    const text = fs.readFileSync(plots, 'utf8');
    expect(text).toContain('# The plots of the foo study.');
    expect(text).toContain('enabled: false # only a base');
    const spec = specOf(plots, { based_on: 'by_c', yscale: 'log' });
    expect(spec).toMatchObject({ variable: 'a_out', x: 'c', hue: 'a', isel: { b: 0 }, yscale: 'log', enabled: true });
    const plot = await plotData(file, spec);
    expect(plot.title).toBe('a_out over c');
    const listed = listPlots(plots);
    expect(listed.map((p) => [p.name, p.enabled, p.error])).toEqual([
      ['base', false, null],
      ['loop_a', true, 'based_on makes a cycle: loop_a → loop_b → loop_a'],
      ['loop_b', true, 'based_on makes a cycle: loop_b → loop_a → loop_b'],
      ['by_c', true, null],
    ]);
  });
});

describe('a large heatmap', () => {
  it('sends its cells as float32 when float32 holds them, else as float64, with the exact colour range', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-heat-'));
    const [ny, nx] = [600, 500]; // 300,000 cells: above the float32 threshold
    const dims = [
      { name: 'y', values: Array.from({ length: ny }, (_, i) => i), size: ny },
      { name: 'x', values: Array.from({ length: nx }, (_, i) => i / 10), size: nx },
    ];
    const smooth = Float64Array.from({ length: ny * nx }, (_, i) => Math.sin(i / 1000) + 0.1);
    smooth[7] = NaN;
    const tiny = Float64Array.from(smooth, (v, i) => (i === 3 ? 1e-300 : v)); // float32 would make it 0
    const heat = path.join(dir, 'heat.nc');
    await writeDataset(heat, {
      dims,
      variables: [
        { name: 'smooth', dims: ['y', 'x'], kind: 'float', data: smooth },
        { name: 'tiny', dims: ['y', 'x'], kind: 'float', data: tiny },
      ],
      attrs: {},
    });
    const cells = async (variable: string) => {
      const plot = await plotData(heat, checkSpec({ variable, kind: 'heatmap', x: 'x', y: 'y' }));
      return { z: plot.panels[0]!.traces[0]!.z!, range: plot.zRange };
    };
    const f32 = await cells('smooth');
    expect('f32' in f32.z).toBe(true);
    const z = (f32.z as { f32: Float32Array }).f32;
    expect(z.length).toBe(ny * nx);
    expect(z[7]).toBeNaN();
    expect(z[12_345]).toBe(Math.fround(smooth[12_345]!));
    const lowest = smooth.reduce((m, v) => (v < m ? v : m), Infinity);
    const highest = smooth.reduce((m, v) => (v > m ? v : m), -Infinity);
    expect(f32.range).toEqual([lowest, highest]); // from the float64 values
    const f64 = await cells('tiny');
    expect('f64' in f64.z && f64.z.f64[3]).toBe(1e-300);
  });
});

describe('dims named as JavaScript names objects by', () => {
  it('plots a dim called toString or constructor like any other', async () => {
    const dir = await exampleStudy('foo', {
      studyYaml:
        'name: odd\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  toString: [1, 2]\n  constructor: [10, 20, 30]\n',
      model: 'export default (p) => ({ y: p.toString * p.constructor });\n',
    });
    expect((await furrow(['run', dir])).code).toBe(0);
    const plot = await plotData(
      path.join(dir, 'data', 'odd.nc'),
      checkSpec({ variable: 'y', x: 'constructor', hue: 'toString' }),
    );
    expect(plot.panels[0]!.traces.map((t) => t.name)).toEqual(['toString = 1', 'toString = 2']);
    expect(values(plot.panels[0]!.traces[1]!.y)).toEqual([20, 40, 60]);
  });
});
