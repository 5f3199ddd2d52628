// Dates of calendars plotly's date axis cannot place, as numbers on a plain axis with that calendar's dates as its
// tick labels and hover text: the plot builder's figures (figure.ts) and the Data tab's views (SliceView.tsx) both
// draw them so. Apart from figure.ts (no DOM here), so the engine's tests check it against cftime.
import type { Calendar } from '../../shared/cf-time';
import { calendarDate, calendarDay, calendarTicks } from '../../shared/cf-time';
import type { Column, PlotData } from '../../shared/plot-spec';

export type CalendarTicks = ReturnType<typeof calendarTicks>;

/**
 * ISO dates of `cal` as numbers on a plain axis (days after 0001-01-01 in that calendar, calendarDay; NaN for what
 * is not such a date), and their range ([Infinity, -Infinity] when none is a date).
 */
export function calendarDays(
  dates: ArrayLike<unknown>,
  cal: Calendar,
): { days: Float64Array<ArrayBuffer>; lo: number; hi: number } {
  let [lo, hi] = [Infinity, -Infinity];
  const days = new Float64Array(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const d = calendarDay(dates[i], cal);
    days[i] = d ?? NaN;
    if (d !== null && d < lo) lo = d;
    if (d !== null && d > hi) hi = d;
  }
  return { days, lo, hi };
}

/** The layout of a plain axis that reads as a calendar's dates: its ticks, labelled as that calendar reads them. */
export function calendarAxis(ticks: CalendarTicks): Record<string, unknown> {
  return { tickmode: 'array', tickvals: ticks.values, ticktext: ticks.labels };
}

/** A day on a calendar's axis as its hover names it: its date in that calendar, to the minute ('' for none). */
export function calendarLabel(day: number, cal: Calendar): string {
  return Number.isFinite(day) ? calendarDate(day, cal).replace('T', ' ').slice(0, 16) : '';
}

/**
 * A plot whose x or y dates are of a calendar plotly's date axis cannot place (2001-02-30 in 360_day, or a noleap
 * year's missing 29 February): those dates become numbers on a plain axis (calendarDays), with ticks at round dates
 * of that calendar over all of its panels.
 */
export function onCalendarAxes(plot: PlotData): {
  plot: PlotData;
  ticks: { x?: CalendarTicks; y?: CalendarTicks };
} {
  const ticks: { x?: CalendarTicks; y?: CalendarTicks } = {};
  if (!plot.calendars) return { plot, ticks };
  let panels = plot.panels;
  for (const axis of ['x', 'y'] as const) {
    const cal = plot.calendars[axis];
    if (!cal) continue;
    let [lo, hi] = [Infinity, -Infinity];
    const days = (c: Column): Column => {
      if (!Array.isArray(c)) return c;
      const placed = calendarDays(c, cal);
      lo = Math.min(lo, placed.lo);
      hi = Math.max(hi, placed.hi);
      return { f64: placed.days };
    };
    panels = panels.map((p) => ({ ...p, traces: p.traces.map((t) => ({ ...t, [axis]: days(t[axis]) })) }));
    if (lo <= hi) ticks[axis] = calendarTicks(lo, hi, cal);
  }
  return { plot: { ...plot, panels }, ticks };
}
