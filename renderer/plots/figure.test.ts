import { describe, expect, it } from 'vitest';
import type { PlotData, Trace } from '../../shared/plot-spec';
import { checkSpec } from '../../shared/plot-spec';
import { CANVAS_ABOVE, figureOf } from './figure';

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
