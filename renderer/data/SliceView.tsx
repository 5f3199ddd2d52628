// The Line and Heatmap views of the selected dataset, as h5web draws them: a 1-D slice along one dim, or a 2-D
// slice over two, the other dims fixed by their sliders (DimSliders). The engine reads only that slice
// (tree.slice); CF dates come as ISO strings and plotly draws them on a date axis.
import { useEffect, useRef } from 'react';
import { compactDates } from '../../shared/cf-time';
import type { TreeSlice } from '../../shared/data-tree';
import type { Column } from '../../shared/plot-spec';
import { usePlotHost, withPlotly } from '../plots/plotly';
import { themedLayout, useDarkScheme } from '../plots/theme';

type Values = Float64Array | Float32Array | (number | string | boolean | null)[];
const valuesOf = (c: Column): Values => (Array.isArray(c) ? c : 'f64' in c ? c.f64 : c.f32);

/** Above this many cells a heatmap is one image the browser scales (plotly's zsmooth 'fast'). */
const FAST_HEATMAP_ABOVE = 250_000;

/** The plotly figure of a slice: a line of the values over the drawn dim, or a heatmap of rows × columns. */
export function sliceFigure(slice: TreeSlice, name: string): { data: object[]; layout: Record<string, unknown> } {
  const [first, second] = slice.axes as [number, number | undefined];
  const values = valuesOf(slice.values) as Float64Array | Float32Array;
  const coords = slice.coords.map(valuesOf);
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
    // No automargin: it draws a large heatmap twice.
    xaxis: { title: { text: slice.dims[second ?? first] } },
    yaxis: { title: { text: second === undefined ? slice.label : slice.dims[first] } },
  };
  if (second === undefined) {
    return {
      data: [{ type: 'scatter', mode: values.length > 200 ? 'lines' : 'lines+markers', x: coords[0], y: values }],
      layout,
    };
  }
  const cols = slice.shape[second]!;
  const rows = slice.shape[first]!;
  const z = Array.from({ length: rows }, (_, r) => values.subarray(r * cols, (r + 1) * cols));
  // The colour range, found here in one pass: plotly's own search over 10^6 cells takes several times longer.
  let [zmin, zmax] = [Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < zmin && v !== -Infinity) zmin = v;
    if (v > zmax && v !== Infinity) zmax = v;
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
        ...(rows * cols > FAST_HEATMAP_ABOVE ? { zsmooth: 'fast' } : {}),
      },
    ],
    layout,
  };
}

export function SliceView({ slice, name }: { slice: TreeSlice; name: string }) {
  const host = useRef<HTMLDivElement>(null);
  const dark = useDarkScheme();
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const figure = sliceFigure(slice, name);
    void withPlotly(el, async (Plotly) => {
      await Plotly.react(el, figure.data, themedLayout(figure.layout, dark), {
        displaylogo: false,
        responsive: false,
      });
      el.dataset['drawn'] = slice.axes.length === 1 ? 'line' : 'heatmap';
    }).catch(() => undefined);
  }, [slice, name, dark]);
  usePlotHost(host);
  const kind = slice.axes.length === 1 ? 'Line' : 'Heatmap';
  const over = slice.axes.map((a) => slice.dims[a]).join(' and ');
  return <div ref={host} className="slice-plot" role="figure" aria-label={`${kind} of ${name} over ${over}`} />;
}
