// Dates of calendars plotly's date axis cannot place, as numbers on a plain axis with that calendar's dates as its
// tick labels. Apart from figure.ts (no DOM here), so the engine's tests check it against cftime.
import { calendarDay, calendarTicks } from '../../shared/cf-time';
import type { Column, PlotData } from '../../shared/plot-spec';

/**
 * A plot whose x or y dates are of a calendar plotly's date axis cannot place (2001-02-30 in 360_day, or a noleap
 * year's missing 29 February): those dates become numbers on a plain axis (days after 0001-01-01 in that calendar,
 * calendarDay), with ticks at round dates of that calendar labelled as it reads them.
 */
export function onCalendarAxes(plot: PlotData): {
  plot: PlotData;
  ticks: { x?: ReturnType<typeof calendarTicks>; y?: ReturnType<typeof calendarTicks> };
} {
  const ticks: { x?: ReturnType<typeof calendarTicks>; y?: ReturnType<typeof calendarTicks> } = {};
  if (!plot.calendars) return { plot, ticks };
  let panels = plot.panels;
  for (const axis of ['x', 'y'] as const) {
    const cal = plot.calendars[axis];
    if (!cal) continue;
    let [lo, hi] = [Infinity, -Infinity];
    const days = (c: Column): Column => {
      if (!Array.isArray(c)) return c;
      const out = new Float64Array(c.length);
      c.forEach((v, i) => {
        const d = calendarDay(v, cal);
        out[i] = d ?? NaN;
        if (d !== null && d < lo) lo = d;
        if (d !== null && d > hi) hi = d;
      });
      return { f64: out };
    };
    panels = panels.map((p) => ({ ...p, traces: p.traces.map((t) => ({ ...t, [axis]: days(t[axis]) })) }));
    if (lo <= hi) ticks[axis] = calendarTicks(lo, hi, cal);
  }
  return { plot: { ...plot, panels }, ticks };
}
