import { describe, expect, it } from 'vitest';
import type { PlotData, Trace } from '../../shared/plot-spec';
import { checkSpec } from '../../shared/plot-spec';
import { CANVAS_ABOVE, figureOf } from './figure';
import { COLOURBLIND, viridis } from './palette';

/** A facet plot of `panels` panels × `lines` lines × `n` points, as the engine would send it. */
function linesPlot(panels: number, lines: number, n: number, spec: Record<string, unknown> = {}): PlotData {
  const s = checkSpec({ variable: 'w', kind: 'line', x: 'x', hue: 'l', col: 'p', ...spec });
  const x = { f64: Float64Array.from({ length: n }, (_, i) => i + 1) };
  return {
    spec: s,
    given: s,
    kind: s.kind as PlotData['kind'],
    source: '/data/w.nc',
    title: 'w',
    xlabel: 'x',
    ylabel: 'w',
    zlabel: null,
    subtitle: null,
    autoSubtitle: '',
    hue: null,
    rows: 1,
    cols: panels,
    frames: null,
    zRange: null,
    panels: Array.from({ length: panels }, (_, p) => ({
      row: 0,
      col: p,
      title: `p = ${p}`,
      traces: Array.from({ length: lines }, (_, l): Trace => ({
        name: `l = ${l}`,
        x,
        y: { f64: Float64Array.from({ length: n }, (_, i) => (i === 3 ? Number.NaN : p * 100 + l - i / n)) },
      })),
    })),
    points: panels * lines * n,
  };
}

describe('a large plot on screen', () => {
  const plot = linesPlot(2, 64, 1024);

  it('draws its lines on a canvas: plotly gets no WebGL trace and no trace per line', () => {
    expect(plot.points).toBeGreaterThan(CANVAS_ABOVE);
    const { data, canvas } = figureOf(plot);
    expect(data.some((t) => String(t['type']).endsWith('gl'))).toBe(false);
    expect(canvas?.draw).toBe('line');
    expect(canvas?.series).toHaveLength(128);
    expect(canvas?.series[64]).toMatchObject({ xaxis: 'x2', yaxis: 'y2', name: 'l = 0' });
    // The same colour for a hue value in every panel, as the SVG lines would have it.
    expect(canvas?.series[64]?.colour).toBe(canvas?.series[0]?.colour);
    expect(data.length).toBeLessThan(100);
  });

  it('gives plotly, per panel, an invisible trace spanning the data, so its axes frame the lines', () => {
    const { data } = figureOf(plot);
    const spans = data.filter((t) => t['opacity'] === 0);
    expect(spans).toHaveLength(2);
    expect(spans[1]).toMatchObject({ xaxis: 'x2', yaxis: 'y2', x: [1, 1024], hoverinfo: 'skip', showlegend: false });
    // Panel 2 (p = 1): from l = 0 at its last point to l = 63 at its first; the NaN is skipped.
    expect(spans[1]?.['y']).toEqual([100 - 1023 / 1024, 163]);
  });

  it('keeps a legend entry per hue value, whose visibility the canvas follows', () => {
    const { data, canvas } = figureOf(plot);
    expect(canvas?.legend).toHaveLength(64);
    const entry = canvas!.legend[5]!;
    expect(entry.name).toBe('l = 5');
    expect(data[entry.trace]).toMatchObject({ name: 'l = 5', x: [null], y: [null] });
    expect((data[entry.trace]?.['line'] as { color: string }).color).toBe(canvas?.series[5]?.colour);
  });

  it('gives a panel with no value to draw an empty span (plotly frames it as it would an empty panel)', () => {
    const empty = linesPlot(2, 64, 1024);
    for (const t of empty.panels[1]!.traces) t.y = { f64: new Float64Array(1024).fill(Number.NaN) };
    const spans = figureOf(empty).data.filter((t) => t['opacity'] === 0);
    expect(spans[1]).toMatchObject({ x: [], y: [] });
    expect((spans[0]?.['x'] as number[]).length).toBe(2);
  });

  it('counts only values above 0 for a log axis', () => {
    const log = linesPlot(1, 64, 2048, { yscale: 'log' });
    const { data } = figureOf(log);
    const span = data.find((t) => t['opacity'] === 0)!;
    expect((span['y'] as number[])[0]).toBeGreaterThan(0);
  });

  it('in an export, draws every line as an SVG trace (a PDF stays vector) and no canvas', () => {
    const { data, canvas } = figureOf(plot, { forExport: true });
    expect(canvas).toBeUndefined();
    expect(data.filter((t) => t['type'] === 'scatter')).toHaveLength(128);
  });

  it('draws small plots, and lines over text coordinates, as plotly traces', () => {
    expect(figureOf(linesPlot(2, 3, 100)).canvas).toBeUndefined();
    const text = linesPlot(2, 64, 1024);
    text.panels[0]!.traces[0]!.x = Array.from({ length: 1024 }, (_, i) => `t${i}`);
    expect(figureOf(text).canvas).toBeUndefined();
  });

  it('makes a grid of several rows taller on screen, so each panel keeps room for its axes', () => {
    const grid = { ...linesPlot(2, 3, 100), rows: 4 };
    expect(figureOf(grid).layout['height']).toBeGreaterThan(700);
    expect(figureOf(grid, { forExport: true }).layout['height']).toBeUndefined();
  });
});

describe('the colours of the lines', () => {
  const colours = (plot: PlotData) =>
    figureOf(plot)
      .data.filter((t) => t['type'] === 'scatter' && t['showlegend'] !== undefined && t['opacity'] !== 0)
      .map((t) => (t['line'] as { color: string }).color);

  it('up to 10 hue values: the colour-blind-safe palette, one colour each, and a legend', () => {
    const plot = { ...linesPlot(1, 10, 20), hue: { label: 'l', count: 10, range: null } };
    const used = colours(plot);
    expect(used.slice(0, 10)).toEqual(COLOURBLIND);
    expect(figureOf(plot).layout['showlegend']).toBe(true);
  });

  it('more text values than the palette holds: a longer palette, then evenly spaced hues, never a colour twice', () => {
    for (const n of [16, 20, 45]) {
      const plot = { ...linesPlot(1, n, 20), hue: { label: 'l', count: n, range: null } };
      expect(new Set(colours(plot)).size, `${n} lines`).toBe(n);
    }
  });

  it('more than 10 numbers: a sequential scale (viridis) by value, with a colour bar in place of the legend', () => {
    const plot = linesPlot(2, 16, 20);
    plot.hue = { label: 'step size [m]', count: 16, range: [0, 15] };
    for (const p of plot.panels) p.traces.forEach((t, l) => (t.hueValue = l));
    // On screen the legend stays (a click isolates a line), in the scale's colours; on paper, the colour bar.
    const screen = figureOf(plot);
    expect(screen.layout['showlegend']).toBe(true);
    expect(screen.data.some((t) => (t['marker'] as { showscale?: boolean } | undefined)?.showscale)).toBe(false);
    expect((screen.data[0]!['line'] as { color: string }).color).toBe(viridis(0));
    const { data, layout } = figureOf(plot, { forExport: true });
    expect(layout['showlegend']).toBe(false);
    const bar = data.find((t) => (t['marker'] as { showscale?: boolean } | undefined)?.showscale);
    expect(bar?.['marker']).toMatchObject({ cmin: 0, cmax: 15, colorbar: { title: { text: 'step size [m]' } } });
    const lines = data.filter((t) => t['name']?.toString().startsWith('l = '));
    expect((lines[0]!['line'] as { color: string }).color).toBe(viridis(0));
    expect((lines[15]!['line'] as { color: string }).color).toBe(viridis(1));
    expect((lines[16]!['line'] as { color: string }).color).toBe(viridis(0)); // the same value in the next panel
    expect(viridis(0)).toBe('#440154');
    expect(viridis(1)).toBe('#fde725');
  });

  it('says what is fixed or reduced in a subtitle under the title, and sizes the text for an export', () => {
    const plot = { ...linesPlot(1, 2, 20), subtitle: 'k = 9 · mean over seed' };
    const { layout } = figureOf(plot, { forExport: true, fontSize: 7 });
    expect(layout['title']).toEqual({ text: 'w', subtitle: { text: 'k = 9 · mean over seed' } });
    expect(layout['font']).toEqual({ size: 7 });
    expect(figureOf({ ...plot, subtitle: null }).layout['title']).toEqual({ text: 'w' });
  });
});

describe('axis limits', () => {
  it('take an end given as null (YAML ~, as dantro’s set_limits) from the data: plotly gets a partial range', () => {
    const layout = (spec: Record<string, unknown>) => figureOf(linesPlot(2, 2, 8, spec)).layout;
    expect(layout({ xlim: [0, null], ylim: [null, 5] })).toMatchObject({
      xaxis: { range: [0, null] },
      yaxis: { range: [null, 5] },
      xaxis2: { range: [0, null] },
    });
    expect(layout({ xlim: [1, null], xscale: 'log' })['xaxis']).toMatchObject({ range: [0, null] });
    // Neither end given: the whole axis from the data, as without limits.
    expect(layout({ ylim: [null, null] })['yaxis']).not.toHaveProperty('range');
    expect(() => checkSpec({ variable: 'w', xlim: [0, 'top'] })).toThrow(/xlim\.1: .*number/);
  });
});
