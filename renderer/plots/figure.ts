// What the engine computed for a facet plot (shared/plot-spec.ts PlotData) → a plotly figure: one subplot per
// panel on a grid, the same colour for a hue value in every panel and one legend entry for it, one colour scale for
// every heatmap. Large series use WebGL traces on screen; an export uses SVG traces only, so a PDF stays vector.
import type { Column, PlotData, Trace } from '../../shared/plot-spec';

type Values = Float64Array | Float32Array | (number | string | boolean | null)[];

/** A column as plotly takes it: numbers as a typed array (NaN is a gap), text as it is. */
export function decodeColumn(c: Column): Values {
  return Array.isArray(c) ? c : 'f64' in c ? c.f64 : c.f32;
}

/** plotly's default colours, one per hue value. */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
/** Above this many points in a plot, its lines are drawn with WebGL on screen (SVG paths get slow). */
export const WEBGL_ABOVE = 100_000;

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

export interface FigureOptions {
  /** SVG traces only, and the font the PDF embeds. */
  forExport?: boolean;
  font?: string;
}

const GAP_X = 0.06;
const GAP_Y = 0.1;

function domains(n: number, gap: number): [number, number][] {
  const size = (1 - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, i) => [i * (size + gap), i * (size + gap) + size]);
}

function rgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Rows of z as views of one buffer (no copy); plotly draws NaN as a gap. */
function grid2d<T extends Float64Array | Float32Array>(z: T, rows: number, cols: number): T[] {
  return Array.from({ length: rows }, (_, r) => z.subarray(r * cols, (r + 1) * cols) as T);
}

/** Above this many cells a heatmap is drawn as one image the browser scales (plotly's zsmooth 'fast'). */
export const FAST_HEATMAP_ABOVE = 250_000;

export function figureOf(plot: PlotData, options: FigureOptions = {}): Figure {
  const { spec } = plot;
  const rowDomains = domains(plot.rows, plot.rows > 1 ? GAP_Y : 0).reverse(); // row 0 at the top
  const colDomains = domains(plot.cols, plot.cols > 1 ? GAP_X : 0);
  const layout: Record<string, unknown> = {
    title: { text: plot.title },
    margin: { t: plot.panels.some((p) => p.title) ? 80 : 50, r: 30, b: 60, l: 70 },
    showlegend: plot.panels.some((p) => p.traces.some((t) => t.name !== null)) && spec.legend !== 'none',
    legend:
      spec.legend === 'bottom'
        ? { orientation: 'h', y: -0.15 }
        : spec.legend === 'top'
          ? { orientation: 'h', y: 1.12 }
          : {},
    annotations: [] as Record<string, unknown>[],
  };
  if (options.font) layout['font'] = { family: options.font };
  if (plot.kind === 'hist') layout['barmode'] = 'overlay';
  if (plot.zRange) {
    layout['coloraxis'] = {
      cmin: plot.zRange[0],
      cmax: plot.zRange[1],
      colorscale: spec.colorscale ?? 'Viridis',
      colorbar: { title: { text: plot.zlabel ?? '' } },
    };
  }
  const data: Record<string, unknown>[] = [];
  const colours = new Map<string, string>();
  const colourOf = (name: string | null) => {
    if (name === null) return PALETTE[0]!;
    if (!colours.has(name)) colours.set(name, PALETTE[colours.size % PALETTE.length]!);
    return colours.get(name)!;
  };
  const legendShown = new Set<string>();

  plot.panels.forEach((panel, i) => {
    const n = i === 0 ? '' : String(i + 1);
    const xDomain = colDomains[panel.col]!;
    const yDomain = rowDomains[panel.row]!;
    const bottom = !plot.panels.some((p) => p.col === panel.col && p.row > panel.row);
    const left = panel.col === 0;
    layout[`xaxis${n}`] = {
      domain: xDomain,
      anchor: `y${n}`,
      type: spec.xscale === 'log' ? 'log' : undefined,
      ...(spec.xlim ? { range: spec.xscale === 'log' ? spec.xlim.map(Math.log10) : spec.xlim } : {}),
      ...(i > 0 && spec.sharex ? { matches: 'x' } : {}),
      ...(bottom ? { title: { text: plot.xlabel } } : {}),
    };
    layout[`yaxis${n}`] = {
      domain: yDomain,
      anchor: `x${n}`,
      type: spec.yscale === 'log' ? 'log' : undefined,
      ...(spec.ylim ? { range: spec.yscale === 'log' ? spec.ylim.map(Math.log10) : spec.ylim } : {}),
      ...(i > 0 && spec.sharey ? { matches: 'y' } : {}),
      ...(left ? { title: { text: plot.ylabel } } : {}),
    };
    if (panel.title) {
      (layout['annotations'] as Record<string, unknown>[]).push({
        text: panel.title,
        showarrow: false,
        xref: 'paper',
        yref: 'paper',
        x: (xDomain[0] + xDomain[1]) / 2,
        y: yDomain[1],
        xanchor: 'center',
        yanchor: 'bottom',
      });
    }
    for (const trace of panel.traces)
      data.push(...tracesOf(plot, trace, `x${n}`, `y${n}`, colourOf, legendShown, options));
  });
  return { data, layout };
}

function tracesOf(
  plot: PlotData,
  trace: Trace,
  xaxis: string,
  yaxis: string,
  colourOf: (name: string | null) => string,
  legendShown: Set<string>,
  options: FigureOptions,
): Record<string, unknown>[] {
  const x = decodeColumn(trace.x);
  const y = decodeColumn(trace.y);
  const colour = colourOf(trace.name);
  const name = trace.name ?? plot.spec.variable;
  const showlegend = trace.name !== null && !legendShown.has(trace.name);
  if (trace.name !== null) legendShown.add(trace.name);
  const common = { xaxis, yaxis, name, legendgroup: name, showlegend };
  const gl = !options.forExport && plot.points > WEBGL_ABOVE;
  switch (plot.kind) {
    case 'heatmap':
    case 'contour':
      return [
        {
          type: plot.kind,
          xaxis,
          yaxis,
          x,
          y,
          z: grid2d(decodeColumn(trace.z!) as Float64Array | Float32Array, y.length, x.length),
          // float32 cells (large heatmaps) hold 7 digits: the hover shows as many.
          ...('f32' in trace.z! ? { hovertemplate: 'x: %{x}<br>y: %{y}<br>z: %{z:.7g}<extra></extra>' } : {}),
          coloraxis: 'coloraxis',
          ...(plot.kind === 'heatmap' && !options.forExport && x.length * y.length > FAST_HEATMAP_ABOVE
            ? { zsmooth: 'fast' }
            : {}),
          name: plot.spec.variable,
        },
      ];
    case 'hist':
      return [{ ...common, type: 'bar', x, y, marker: { color: colour }, opacity: trace.name ? 0.6 : 1 }];
    case 'errorbands': {
      const band = {
        ...common,
        type: gl ? 'scattergl' : 'scatter',
        mode: 'lines',
        line: { width: 0 },
        hoverinfo: 'skip',
      };
      return [
        { ...band, x, y: decodeColumn(trace.upper!), showlegend: false },
        {
          ...band,
          x,
          y: decodeColumn(trace.lower!),
          fill: 'tonexty',
          fillcolor: rgba(colour, 0.25),
          showlegend: false,
        },
        { ...common, type: gl ? 'scattergl' : 'scatter', mode: 'lines', x, y, line: { color: colour } },
      ];
    }
    default: {
      const mode = plot.kind === 'scatter' ? 'markers' : x.length > 200 ? 'lines' : 'lines+markers';
      return [
        {
          ...common,
          type: gl ? 'scattergl' : 'scatter',
          mode,
          x,
          y,
          line: { color: colour, ...(plot.kind === 'step' ? { shape: 'hv' } : {}) },
          marker: { color: colour, size: plot.kind === 'scatter' ? 5 : 4 },
        },
      ];
    }
  }
}

/** The plot's name for a screen reader: "Line plot of a_out against a". */
export function describePlot(plot: PlotData): string {
  const kind = plot.kind === 'errorbands' ? 'Error band' : plot.kind[0]!.toUpperCase() + plot.kind.slice(1);
  const spec = plot.spec;
  if (plot.kind === 'hist') return `Histogram of ${spec.variable}`;
  const against = plot.kind === 'heatmap' || plot.kind === 'contour' ? `${spec.x} and ${spec.y}` : spec.x;
  const facets = [
    spec.hue && `a line per ${spec.hue}`,
    spec.col && `columns by ${spec.col}`,
    spec.row && `rows by ${spec.row}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${kind} plot of ${spec.variable} against ${against}${facets ? `, ${facets}` : ''}`;
}
