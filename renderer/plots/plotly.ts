// plotly.js is 3.5 MB of JavaScript: parsing it blocks the page for a second or two. It is loaded the first time
// a plot is drawn, not with the page, so the app opens at once. Drawing and removing a plot are asynchronous,
// so each element's operations run one after another: a plot is never removed while it is still being drawn.
import type Plotly from 'plotly.js-dist-min';

type PlotlyModule = typeof Plotly;

let loading: Promise<PlotlyModule> | undefined;
const queues = new WeakMap<HTMLElement, Promise<unknown>>();

function loadPlotly(): Promise<PlotlyModule> {
  loading ??= import('plotly.js-dist-min').then((m) => m.default);
  return loading;
}

/** Run `draw` with plotly on `el` once everything asked of `el` before has finished. */
export function withPlotly<T>(el: HTMLElement, draw: (plotly: PlotlyModule) => Promise<T> | T): Promise<T> {
  const next = (queues.get(el) ?? Promise.resolve()).catch(() => undefined).then(async () => draw(await loadPlotly()));
  queues.set(el, next);
  return next;
}

/** Remove a plot, if plotly was ever loaded (nothing was drawn otherwise). */
export function purgePlot(el: HTMLElement): void {
  if (loading) void withPlotly(el, (plotly) => plotly.purge(el)).catch(() => undefined);
}
