// The Line and Heatmap views of the selected dataset, as h5web draws them: a 1-D slice along one dim, or a 2-D
// slice over two, the other dims fixed by their sliders (DimSliders). The engine reads only that slice
// (tree.slice); CF dates come as ISO strings and plotly draws them on a date axis, or, of a calendar it cannot
// place (360_day…), on a plain axis ticked and hovered at that calendar's dates, as the plot builder's figures
// (calendar-axes.ts). A large heatmap over evenly spaced numbers is an image coloured here (heatmap-image.ts) on
// plotly's axes, its values read under the pointer.
import { useEffect, useRef, useState } from 'react';
import { compactDates } from '../../shared/cf-time';
import type { TreeSlice } from '../../shared/data-tree';
import type { Column } from '../../shared/plot-spec';
import type { Calendar } from '../../shared/cf-time';
import type { CalendarTicks } from '../plots/calendar-axes';
import { calendarAxis, calendarDays, calendarLabel } from '../plots/calendar-axes';
import { calendarTicks } from '../../shared/cf-time';
import { usePlotHost, withPlotly } from '../plots/plotly';
import { colourBarTrace } from '../plots/figure';
import { themedLayout, useDarkScheme } from '../plots/theme';
import type { HeatmapImage } from './heatmap-image';
import { cellAt, heatmapImage, paintHeatmap } from './heatmap-image';

type Values = Float64Array | Float32Array | (number | string | boolean | null)[];
const valuesOf = (c: Column): Values => (Array.isArray(c) ? c : 'f64' in c ? c.f64 : c.f32);

/** Above this many cells a heatmap is one image the browser scales (plotly's zsmooth 'fast'). */
const FAST_HEATMAP_ABOVE = 250_000;

/**
 * The colour range, found here in one pass (plotly's own search over 10^6 cells takes several times longer);
 * [Infinity, -Infinity] when no value is finite.
 */
export function zRangeOf(values: Float64Array | Float32Array): [number, number] {
  let [zmin, zmax] = [Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < zmin && v !== -Infinity) zmin = v;
    if (v > zmax && v !== Infinity) zmax = v;
  }
  return [zmin, zmax];
}

/** A drawn axis as plotly places it: its coordinates, a calendar's dates as that calendar's days (calendarDays). */
interface PlacedAxis {
  coords: Values;
  calendar: Calendar | null;
  ticks: CalendarTicks | null;
  /** A coordinate as the hover and the readout name it. */
  label: (at: unknown) => string;
}

function placedAxes(slice: TreeSlice): PlacedAxis[] {
  return slice.coords.map((c, i) => {
    const calendar = slice.calendars[i] ?? null;
    if (!calendar || !Array.isArray(c)) return { coords: valuesOf(c), calendar: null, ticks: null, label: String };
    const { days, lo, hi } = calendarDays(c, calendar);
    return {
      coords: days,
      calendar,
      ticks: lo <= hi ? calendarTicks(lo, hi, calendar) : null,
      label: (at) => calendarLabel(Number(at), calendar),
    };
  });
}

/** The image of a large heatmap slice over evenly spaced numbers (null: plotly draws it, or it is a line). */
function imageOf(slice: TreeSlice, placed: PlacedAxis[]): HeatmapImage | null {
  const [first, second] = slice.axes as [number, number | undefined];
  if (second === undefined || slice.shape[first]! * slice.shape[second]! <= FAST_HEATMAP_ABOVE) return null;
  const values = valuesOf(slice.values) as Float64Array | Float32Array;
  const [zmin, zmax] = zRangeOf(values);
  if (!(zmin <= zmax)) return null;
  return heatmapImage(values, placed[1]!.coords, placed[0]!.coords, zmin, zmax);
}

type PlotDiv = HTMLDivElement & {
  _fullLayout?: { xaxis?: { range?: [number, number] }; yaxis?: { range?: [number, number] } };
  on?: (event: string, handler: () => void) => void;
};

/** The plot area (between the axes) within `el`, in CSS pixels, and the axes' ranges now; null before a draw. */
function plotArea(el: PlotDiv) {
  const area = el.querySelector('.nsewdrag')?.getBoundingClientRect();
  const x = el._fullLayout?.xaxis?.range;
  const y = el._fullLayout?.yaxis?.range;
  if (!area || !x || !y) return null;
  const box = el.getBoundingClientRect();
  return { left: area.left - box.left, top: area.top - box.top, width: area.width, height: area.height, x, y };
}

/** Draw the image on its canvas, behind plotly's axes, over the plot area as it is now (after a zoom or a pan too). */
function paintBehind(el: PlotDiv, canvas: HTMLCanvasElement, image: HeatmapImage): void {
  const area = plotArea(el);
  if (!area) return;
  canvas.style.left = `${area.left}px`;
  canvas.style.top = `${area.top}px`;
  paintHeatmap(canvas, image, area.x, area.y, area.width, area.height);
}

/** The value under the pointer on a heatmap image: its cell's coordinates and value, where it is drawn. */
function readoutAt(el: PlotDiv, slice: TreeSlice, x: number, y: number): string | null {
  const area = plotArea(el);
  if (!area) return null;
  const fx = (x - area.left) / area.width;
  const fy = (area.top + area.height - y) / area.height;
  if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return null;
  const [rowAxis, colAxis] = placedAxes(slice) as [PlacedAxis, PlacedAxis];
  const [xs, ys] = [colAxis.coords, rowAxis.coords];
  const col = cellAt(xs, area.x[0] + fx * (area.x[1] - area.x[0]));
  const row = cellAt(ys, area.y[0] + fy * (area.y[1] - area.y[0]));
  if (col === null || row === null) return null;
  const value = (valuesOf(slice.values) as Float64Array | Float32Array)[row * xs.length + col]!;
  const [rowDim, colDim] = [slice.dims[slice.axes[0]!], slice.dims[slice.axes[1]!]];
  const shown = Number.isFinite(value) ? String(Number(value.toPrecision(7))) : 'missing';
  return `${colDim} = ${colAxis.label(xs[col])} · ${rowDim} = ${rowAxis.label(ys[row])}: ${shown}`;
}

/** The plotly figure of a slice: a line of the values over the drawn dim, or a heatmap of rows × columns. */
export function sliceFigure(
  slice: TreeSlice,
  name: string,
  image: HeatmapImage | null = null,
): { data: object[]; layout: Record<string, unknown> } {
  const [first, second] = slice.axes as [number, number | undefined];
  const values = valuesOf(slice.values) as Float64Array | Float32Array;
  const placed = placedAxes(slice);
  const coords = placed.map((p) => p.coords);
  const [rowAxis, colAxis] = [placed[0]!, placed[1] ?? placed[0]!];
  const onAxis = (p: PlacedAxis) => (p.ticks ? { type: 'linear', ...calendarAxis(p.ticks) } : {});
  const fixed = slice.dims
    .map((d, axis) => {
      const at = slice.fixedCoords[axis];
      if (slice.axes.includes(axis)) return null;
      return `${d} = ${at === null || at === undefined ? `#${slice.index[axis]}` : compactDates([at])[0]}`;
    })
    .filter(Boolean)
    .join(' · ');
  const layout: Record<string, unknown> = {
    title: { text: fixed ? `${name}<br><sub>${fixed}</sub>` : name, font: { size: 14 } },
    margin: { t: fixed ? 56 : 36, r: 24, b: 48, l: second === undefined ? 72 : 120 },
    // No automargin: it draws a large heatmap twice. A line's calendar dates, tilted on a narrow plot, take it.
    xaxis: {
      title: { text: slice.dims[second ?? first] },
      ...onAxis(colAxis),
      ...(second === undefined && colAxis.ticks ? { automargin: true } : {}),
    },
    yaxis: {
      title: { text: second === undefined ? slice.label : slice.dims[first] },
      ...(second !== undefined ? onAxis(rowAxis) : {}),
    },
  };
  if (second === undefined) {
    // A calendar's days hover as its dates.
    const hover = rowAxis.calendar
      ? { text: Array.from(coords[0]!, rowAxis.label), hovertemplate: '%{text}, %{y}<extra></extra>' }
      : {};
    return {
      data: [
        { type: 'scatter', mode: values.length > 200 ? 'lines' : 'lines+markers', x: coords[0], y: values, ...hover },
      ],
      layout,
    };
  }
  const cols = slice.shape[second]!;
  const rows = slice.shape[first]!;
  const z = Array.from({ length: rows }, (_, r) => values.subarray(r * cols, (r + 1) * cols));
  // A calendar's days hover as its dates, as the image's readout reads them.
  const hover =
    rowAxis.calendar || colAxis.calendar
      ? {
          text: Array.from({ length: rows }, (_, r) =>
            Array.from(
              { length: cols },
              (_, c) =>
                `${slice.dims[second]} = ${colAxis.label(coords[1]![c])} · ${slice.dims[first]} = ${rowAxis.label(coords[0]![r])}`,
            ),
          ),
          hovertemplate: '%{text}: %{z}<extra></extra>',
        }
      : {};
  const [zmin, zmax] = zRangeOf(values);
  if (image) {
    // The image is drawn behind plotly's axes (paintBehind); plotly draws them at the cells' edges, and its colour
    // bar (a trace with no points, its markers on the scale: the image is coloured on this same viridis).
    layout['xaxis'] = { ...(layout['xaxis'] as object), range: image.x, showgrid: false, zeroline: false };
    layout['yaxis'] = { ...(layout['yaxis'] as object), range: image.y, showgrid: false, zeroline: false };
    return { data: [colourBarTrace([zmin, zmax > zmin ? zmax : zmin + 1], slice.label)], layout };
  }
  return {
    data: [
      {
        type: 'heatmap',
        x: coords[1],
        y: coords[0],
        z,
        colorscale: 'Viridis',
        ...(zmin <= zmax ? { zmin, zmax } : {}),
        colorbar: { title: { text: slice.label } },
        ...hover,
        ...(rows * cols > FAST_HEATMAP_ABOVE ? { zsmooth: 'fast' } : {}),
      },
    ],
    layout,
  };
}

export function SliceView({ slice, name }: { slice: TreeSlice; name: string }) {
  const host = useRef<PlotDiv>(null);
  const behind = useRef<HTMLCanvasElement>(null);
  const dark = useDarkScheme();
  const [image, setImage] = useState<HeatmapImage | null>(null);
  const [readout, setReadout] = useState<{ text: string; x: number; y: number } | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let stale = false;
    void withPlotly(el, async (Plotly) => {
      if (stale) return;
      performance.mark('data:plotly');
      const drawn = imageOf(slice, placedAxes(slice));
      performance.mark('data:image');
      const figure = sliceFigure(slice, name, drawn);
      await Plotly.react(el, figure.data, themedLayout(figure.layout, dark), {
        displaylogo: false,
        responsive: false,
        // plotly's PNG would not have the image drawn behind it: "Plot this" exports.
        ...(drawn ? { modeBarButtonsToRemove: ['toImage'] } : {}),
      });
      performance.mark('data:react');
      const canvas = behind.current;
      if (drawn && canvas) paintBehind(el, canvas, drawn);
      setImage(drawn);
      el.dataset['drawn'] = slice.axes.length === 1 ? 'line' : 'heatmap';
      performance.mark('data:drawn');
    }).catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [slice, name, dark]);
  useEffect(() => {
    // A zoom, a pan (while dragged too) or a new width moves the image with the axes.
    const el = host.current;
    const canvas = behind.current;
    if (!el || !canvas || !image) return;
    const repaint = () => paintBehind(el, canvas, image);
    el.on?.('plotly_relayout', repaint);
    el.on?.('plotly_relayouting', repaint);
    el.on?.('plotly_afterplot', repaint);
    return () => {
      const off = (el as { removeListener?: (event: string, handler: () => void) => void }).removeListener;
      for (const event of ['plotly_relayout', 'plotly_relayouting', 'plotly_afterplot']) off?.call(el, event, repaint);
    };
  }, [image]);
  usePlotHost(host);
  const kind = slice.axes.length === 1 ? 'Line' : 'Heatmap';
  const over = slice.axes.map((a) => slice.dims[a]).join(' and ');
  return (
    <div className="slice-view">
      <canvas ref={behind} className="slice-image" hidden={!image} aria-hidden="true" />
      <div
        ref={host}
        className="slice-plot"
        role="figure"
        aria-label={`${kind} of ${name} over ${over}`}
        onMouseMove={
          image
            ? (e) => {
                const box = e.currentTarget.getBoundingClientRect();
                const [x, y] = [e.clientX - box.left, e.clientY - box.top];
                const text = host.current && readoutAt(host.current, slice, x, y);
                setReadout(text ? { text, x, y } : null);
              }
            : undefined
        }
        onMouseLeave={() => setReadout(null)}
      />
      {image && readout && (
        <output className="slice-readout" style={{ left: readout.x + 14, top: readout.y + 14 }}>
          {readout.text}
        </output>
      )}
    </div>
  );
}
