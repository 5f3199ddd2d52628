// What the engine computed for a facet plot (shared/plot-spec.ts PlotData) → a plotly figure: one subplot per
// panel on a grid, the same colour for a hue value in every panel and one legend entry for it, one colour scale for
// every heatmap. On screen, the lines of a large plot are drawn on a canvas (canvas-lines.ts) and plotly draws the
// frame around them; an export draws every line as SVG, so a PDF stays vector.
import type { Column, PlotData, PlotSpec, Trace } from '../../shared/plot-spec';
import { calendarAxis, calendarLabel, onCalendarAxes } from './calendar-axes';
import type { CanvasLayer, CanvasSeries } from './canvas-lines';
import { categorical, LEGEND_AT_MOST, VIRIDIS, viridis } from './palette';
import { triangulatedSurface } from './triangulated';

type Values = Float64Array | Float32Array | (number | string | boolean | null)[];

/** A column as plotly takes it: numbers as a typed array (NaN is a gap), text as it is. */
export function decodeColumn(c: Column): Values {
  return Array.isArray(c) ? c : 'f64' in c ? c.f64 : c.f32;
}

/** Above this many points in a plot, its lines are drawn on a canvas on screen (a plotly trace per line gets slow). */
export const CANVAS_ABOVE = 100_000;

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  /** The lines, markers or bands drawn on a canvas over plotly's frame (a large plot on screen). */
  canvas?: CanvasLayer;
}

export interface FigureOptions {
  /** SVG traces only, and the font the PDF embeds. */
  forExport?: boolean;
  font?: string;
  /** The font size in points (CSS pixels): an export's, for the page size it is drawn at. */
  fontSize?: number;
}

/** A trace's colour: by its hue value on a colour scale, or one categorical colour per hue value. */
type ColourOf = (trace: Pick<Trace, 'name' | 'hueValue'>) => string;

/** The hue's range when its lines are coloured by value on viridis (many numbers), else null. */
export function hueScale(plot: PlotData): [number, number] | null {
  return plot.hue?.range && plot.hue.count > LEGEND_AT_MOST ? plot.hue.range : null;
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

/**
 * An axis's range from its limits: plotly takes a log axis's in decades, and an end given as null from the data
 * (a partial range); with neither end given, the whole axis is.
 */
function axisRange(lim: PlotSpec['xlim'], scale: PlotSpec['xscale']): { range?: (number | null)[] } {
  if (!lim || lim.every((v) => v === null)) return {};
  return { range: lim.map((v) => (v === null ? null : scale === 'log' ? Math.log10(v) : v)) };
}

/** A colour bar on viridis from `range[0]` to `range[1]`: a trace with no points, its markers on the scale. */
export function colourBarTrace(range: [number, number], title: string): Record<string, unknown> {
  return {
    type: 'scatter',
    mode: 'markers',
    x: [null],
    y: [null],
    hoverinfo: 'skip',
    showlegend: false,
    marker: {
      color: range,
      cmin: range[0],
      cmax: range[1],
      colorscale: VIRIDIS,
      showscale: true,
      colorbar: { title: { text: title } },
    },
  };
}

export function figureOf(given: PlotData, options: FigureOptions = {}): Figure {
  const { plot, ticks } = onCalendarAxes(given);
  const { spec } = plot;
  const rowDomains = domains(plot.rows, plot.rows > 1 ? GAP_Y : 0).reverse(); // row 0 at the top
  const colDomains = domains(plot.cols, plot.cols > 1 ? GAP_X : 0);
  const scale = hueScale(plot);
  // On paper a colour bar stands for the legend; on screen the legend stays (a click hides or isolates a line),
  // its entries in the scale's colours, unless it is turned off: then the colour bar.
  const bar = scale && (options.forExport || spec.legend === 'none') ? scale : null;
  const size = options.fontSize ?? 12;
  const em = size / 12;
  const layout: Record<string, unknown> = {
    title: {
      text: plot.title,
      ...(plot.subtitle ? { subtitle: { text: plot.subtitle } } : {}),
    },
    // Taller for more rows of panels, so each keeps room for its axes (an export sets its own size).
    ...(plot.rows > 1 && !options.forExport ? { height: 180 * plot.rows + 130 } : {}),
    margin: {
      t: Math.round(em * ((plot.panels.some((p) => p.title) ? 80 : 50) + (plot.subtitle ? 24 : 0))),
      r: Math.round(30 * em),
      b: Math.round(60 * em),
      l: Math.round(70 * em),
    },
    showlegend: !bar && plot.panels.some((p) => p.traces.some((t) => t.name !== null)) && spec.legend !== 'none',
    legend:
      spec.legend === 'bottom'
        ? { orientation: 'h', y: -0.15 }
        : spec.legend === 'top'
          ? { orientation: 'h', y: 1.12 }
          : {},
    annotations: [] as Record<string, unknown>[],
  };
  if (options.font || options.fontSize) {
    layout['font'] = { ...(options.font ? { family: options.font } : {}), ...(options.fontSize ? { size } : {}) };
  }
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
  const count = plot.hue?.count ?? new Set(plot.panels.flatMap((p) => p.traces.map((t) => t.name))).size;
  // Each hue value's colour, in the order first seen (the legend's order).
  const colourOf: ColourOf = ({ name, hueValue }) => {
    if (name === null) return categorical(0, 1);
    if (!colours.has(name)) {
      colours.set(
        name,
        scale && hueValue !== undefined
          ? viridis(scale[1] > scale[0] ? (hueValue - scale[0]) / (scale[1] - scale[0]) : 0.5)
          : categorical(colours.size, count),
      );
    }
    return colours.get(name)!;
  };
  if (bar) data.push(colourBarTrace(bar, plot.hue?.label ?? ''));
  const legendShown = new Set<string>();
  const canvas = onCanvas(plot, options) ? canvasLayer(plot) : undefined;

  plot.panels.forEach((panel, i) => {
    const n = i === 0 ? '' : String(i + 1);
    const xDomain = colDomains[panel.col]!;
    const yDomain = rowDomains[panel.row]!;
    const bottom = !plot.panels.some((p) => p.col === panel.col && p.row > panel.row);
    const left = panel.col === 0;
    layout[`xaxis${n}`] = {
      domain: xDomain,
      ticklabeloverflow: 'allow', // else plotly measures every tick label, to hide one past the edge: slow on a grid
      anchor: `y${n}`,
      type: spec.xscale === 'log' ? 'log' : ticks.x ? 'linear' : undefined,
      ...(ticks.x ? calendarAxis(ticks.x) : {}),
      ...axisRange(spec.xlim, spec.xscale),
      ...(i > 0 && spec.sharex ? { matches: 'x' } : {}),
      ...(bottom ? { title: { text: plot.xlabel } } : {}),
    };
    layout[`yaxis${n}`] = {
      domain: yDomain,
      ticklabeloverflow: 'allow', // else plotly measures every tick label, to hide one past the edge: slow on a grid
      anchor: `x${n}`,
      type: spec.yscale === 'log' ? 'log' : ticks.y ? 'linear' : undefined,
      ...(ticks.y ? calendarAxis(ticks.y) : {}),
      ...axisRange(spec.ylim, spec.yscale),
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
    if (canvas) {
      data.push(spanOf(plot, canvas, panel.traces, `x${n}`, `y${n}`));
      for (const trace of panel.traces) canvas.series.push(canvasSeries(trace, `x${n}`, `y${n}`, colourOf));
    } else {
      for (const trace of panel.traces)
        data.push(...tracesOf(plot, trace, `x${n}`, `y${n}`, colourOf, legendShown, options));
    }
  });
  if (canvas && !bar) {
    // The legend: an empty trace per hue value, drawn as the series are (a line, or a marker); plotly toggles
    // them, and the canvas reads which are on.
    for (const name of colours.keys()) {
      canvas.legend.push({ name, trace: data.length });
      data.push({
        type: 'scatter',
        mode: plot.kind === 'scatter' ? 'markers' : 'lines',
        x: [null],
        y: [null],
        name,
        legendgroup: name,
        line: { color: colourOf({ name }) },
        marker: { color: colourOf({ name }), size: SCATTER_MARKER },
      });
    }
  }
  // The hover of a point on a calendar's x axis names its date in that calendar, not its number of days.
  const xCalendar = plot.calendars?.x;
  if (xCalendar && ticks.x) {
    for (const trace of data) {
      const xs = trace['x'];
      if (trace['type'] !== 'scatter' || !(xs instanceof Float64Array) || trace['hoverinfo'] === 'skip') continue;
      trace['text'] = Array.from(xs, (d) => calendarLabel(d, xCalendar));
      trace['hovertemplate'] = `%{text}, %{y}<extra>${typeof trace['name'] === 'string' ? trace['name'] : ''}</extra>`;
    }
  }
  if (canvas) return { data, layout, canvas };
  return { data, layout };
}

/** The lines plotly would draw with mode lines+markers carry markers of this size: the canvas draws them too. */
const LINE_MARKER = 4;
const SCATTER_MARKER = 5;

/** How plotly would draw a line of `points` points: markers only on short lines. */
function lineMode(plot: PlotData, points: number): string {
  return plot.kind === 'scatter' ? 'markers' : plot.kind === 'errorbands' || points > 200 ? 'lines' : 'lines+markers';
}

/** Whether the plot's lines go on a canvas: a large plot of lines, markers or bands, on screen, with numbers on both axes. */
function onCanvas(plot: PlotData, options: FigureOptions): boolean {
  if (options.forExport || plot.points <= CANVAS_ABOVE) return false;
  if (!['line', 'step', 'scatter', 'errorbands'].includes(plot.kind)) return false;
  const numeric = (c: Column | undefined) => c === undefined || !Array.isArray(c);
  return plot.panels.every((p) => p.traces.every((t) => [t.x, t.y, t.lower, t.upper].every(numeric)));
}

function canvasLayer(plot: PlotData): CanvasLayer {
  // A loop, not Math.max(...all): a large plot may hold more traces than a call takes arguments.
  let longest = 0;
  for (const p of plot.panels) for (const t of p.traces) longest = Math.max(longest, decodeColumn(t.x).length);
  const markers = lineMode(plot, longest).includes('markers');
  return {
    draw:
      plot.kind === 'scatter'
        ? 'markers'
        : plot.kind === 'step'
          ? 'step'
          : plot.kind === 'errorbands'
            ? 'band'
            : 'line',
    markerSize: markers ? (plot.kind === 'scatter' ? SCATTER_MARKER : LINE_MARKER) : null,
    bandAlpha: 0.25,
    series: [],
    legend: [],
    xlabel: plot.xlabel,
    ylabel: plot.ylabel,
  };
}

type Numbers = Float64Array | Float32Array;

function canvasSeries(trace: Trace, xaxis: string, yaxis: string, colourOf: ColourOf): CanvasSeries {
  return {
    xaxis,
    yaxis,
    name: trace.name,
    colour: colourOf(trace),
    x: decodeColumn(trace.x) as Numbers,
    y: decodeColumn(trace.y) as Numbers,
    ...(trace.lower && trace.upper
      ? { lower: decodeColumn(trace.lower) as Numbers, upper: decodeColumn(trace.upper) as Numbers }
      : {}),
  };
}

/**
 * An invisible trace from the panel's lowest to its highest values, drawn as its lines would be (so with the same
 * padding): plotly's autorange, and its double-click back to it, then frame the lines the canvas draws. On a log
 * axis only the values above 0 count, as plotly counts them.
 */
function spanOf(
  plot: PlotData,
  canvas: CanvasLayer,
  traces: Trace[],
  xaxis: string,
  yaxis: string,
): Record<string, unknown> {
  const extent = (columns: (Column | undefined)[], log: boolean): (number | null)[] => {
    let low = Infinity;
    let high = -Infinity;
    for (const c of columns) {
      if (c === undefined) continue;
      const values = decodeColumn(c) as Numbers;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (!Number.isFinite(v) || (log && v <= 0)) continue;
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
    return low <= high ? [low, high] : [];
  };
  const x = extent(
    traces.map((t) => t.x),
    plot.spec.xscale === 'log',
  );
  const y = extent(
    traces.flatMap((t) => [t.y, t.lower, t.upper]),
    plot.spec.yscale === 'log',
  );
  return {
    type: 'scatter',
    // Markers pad the axes: the span has them when the canvas draws them.
    mode: canvas.markerSize === null ? 'lines' : plot.kind === 'scatter' ? 'markers' : 'lines+markers',
    xaxis,
    yaxis,
    x: x.length && y.length ? x : [],
    y: x.length && y.length ? y : [],
    opacity: 0,
    marker: { size: canvas.markerSize ?? LINE_MARKER },
    hoverinfo: 'skip',
    showlegend: false,
  };
}

function tracesOf(
  plot: PlotData,
  trace: Trace,
  xaxis: string,
  yaxis: string,
  colourOf: ColourOf,
  legendShown: Set<string>,
  options: FigureOptions,
): Record<string, unknown>[] {
  const x = decodeColumn(trace.x);
  const y = decodeColumn(trace.y);
  const colour = colourOf(trace);
  const name = trace.name ?? plot.spec.variable;
  const showlegend = trace.name !== null && !legendShown.has(trace.name);
  if (trace.name !== null) legendShown.add(trace.name);
  const common = { xaxis, yaxis, name, legendgroup: name, showlegend };
  switch (plot.kind) {
    case 'heatmap':
    case 'contour':
      if (trace.scattered) return pointSurface(plot, trace, xaxis, yaxis);
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
        type: 'scatter',
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
        { ...common, type: 'scatter', mode: 'lines', x, y, line: { color: colour } },
      ];
    }
    default: {
      return [
        {
          ...common,
          type: 'scatter',
          mode: lineMode(plot, x.length),
          x,
          y,
          line: { color: colour, ...(plot.kind === 'step' ? { shape: 'hv' } : {}) },
          marker: { color: colour, size: plot.kind === 'scatter' ? SCATTER_MARKER : LINE_MARKER },
        },
      ];
    }
  }
}

/** Markers of the points a surface goes through: light with a dark rim, seen on every colour of the scale. */
const POINT_MARKER = { size: 5, color: 'rgba(255, 255, 255, 0.85)', line: { color: 'rgba(0, 0, 0, 0.7)', width: 1 } };

/**
 * A heatmap or contour of scattered points (a point dataset's): the surface through them on their triangulation,
 * and the points themselves on top, their values in the hover.
 */
function pointSurface(plot: PlotData, trace: Trace, xaxis: string, yaxis: string): Record<string, unknown>[] {
  const x = decodeColumn(trace.x) as Float64Array;
  const y = decodeColumn(trace.y) as Float64Array;
  const z = decodeColumn(trace.z!) as Float64Array;
  const surface = triangulatedSurface(x, y, z);
  const out: Record<string, unknown>[] = [];
  if (surface) {
    out.push({
      type: plot.kind,
      xaxis,
      yaxis,
      x: surface.x,
      y: surface.y,
      z: grid2d(surface.z, surface.y.length, surface.x.length),
      coloraxis: 'coloraxis',
      hoverinfo: 'skip',
      name: plot.spec.variable,
    });
  }
  out.push({
    type: 'scatter',
    mode: 'markers',
    xaxis,
    yaxis,
    x,
    y,
    customdata: z,
    hovertemplate: `${plot.xlabel}: %{x}<br>${plot.ylabel}: %{y}<br>${plot.zlabel ?? ''}: %{customdata:.6g}<extra></extra>`,
    marker: POINT_MARKER,
    name: 'points',
    showlegend: false,
  });
  return out;
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
