// A slice with one or two dims → plotly line traces: x along one dim, one line per value of the other.
import type { ArraySlice } from '../../shared/api';

export interface LineTrace {
  type: 'scatter';
  mode: 'lines+markers';
  name: string;
  x: (string | number | boolean)[];
  y: (number | null)[];
}

export function lineTraces(slice: ArraySlice, x: string, hue: string | null): LineTrace[] {
  const xAxis = slice.dims.indexOf(x);
  if (xAxis < 0) return [];
  const xs = slice.coords[x] ?? [];
  const asNumber = (v: string | number | null | undefined) => (typeof v === 'number' ? v : null);
  if (slice.dims.length === 1 || hue === null) {
    return [{ type: 'scatter', mode: 'lines+markers', name: slice.variable, x: xs, y: slice.values.map(asNumber) }];
  }
  const hues = slice.coords[hue] ?? [];
  const [, width] = slice.shape as [number, number];
  return hues.map((h, hi) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: `${hue} = ${String(h)}`,
    x: xs,
    y: xs.map((_, xi) => {
      const [row, col] = xAxis === 0 ? [xi, hi] : [hi, xi];
      return asNumber(slice.values[row * width + col]);
    }),
  }));
}
