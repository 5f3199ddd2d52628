// plotly.js is 4.6 MB of JavaScript: loading it blocks the page for a second or two. It is loaded the first time
// a plot is drawn, not with the page, so the app opens at once. Drawing and removing a plot are asynchronous,
// so each element's operations run one after another: a plot is never removed while it is still being drawn.
import { useEffect } from 'react';
import type { RefObject } from 'react';
import type Plotly from 'plotly.js-dist-min';

type PlotlyModule = typeof Plotly;

let loading: Promise<PlotlyModule> | undefined;
let ready = false;
const queues = new WeakMap<HTMLElement, Promise<unknown>>();

function loadPlotly(): Promise<PlotlyModule> {
  if (!loading) performance.mark('plotly:load');
  loading ??= import('plotly.js-dist-min').then(
    (m) => {
      performance.mark('plotly:ready');
      ready = true;
      return m.default;
    },
    (error: unknown) => {
      loading = undefined; // the next plot tries again
      throw error;
    },
  );
  return loading;
}

let warmed = false;

/**
 * Start loading plotly before the first plot is asked for (the Data tab, once it is painted). Once loaded, when the
 * page is idle, plotly draws a small plot out of sight and removes it: its first plot sets up what every later one
 * uses (its styles, text measuring, the mode bar), several tenths of a second the first real plot would wait for.
 */
export function preloadPlotly(): void {
  void loadPlotly()
    .then(() => {
      if (warmed) return;
      warmed = true;
      const idle = globalThis.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 50));
      idle(() => {
        const el = document.createElement('div');
        el.setAttribute('aria-hidden', 'true');
        el.style.cssText = 'position: fixed; left: -10000px; top: 0; width: 400px; height: 300px;';
        document.body.append(el);
        const trace = { type: 'scatter', x: [0, 1], y: [0, 1], marker: { color: [0, 1], showscale: true } };
        void withPlotly(el, (p) => p.newPlot(el, [trace], { title: { text: 'warm-up' } }, { displaylogo: false }))
          .then(() => withPlotly(el, (p) => p.purge(el)))
          .catch(() => undefined)
          .finally(() => el.remove());
      });
    })
    .catch(() => undefined); // a failure is told by the plot that needs it
}

/** plotly is loaded and ready: drawing needs no wait for it. */
export function plotlyReady(): boolean {
  return ready;
}

/** Run `draw` with plotly on `el` once everything asked of `el` before has finished. */
export function withPlotly<T>(el: HTMLElement, draw: (plotly: PlotlyModule) => Promise<T> | T): Promise<T> {
  const next = (queues.get(el) ?? Promise.resolve()).catch(() => undefined).then(async () => draw(await loadPlotly()));
  queues.set(el, next);
  return next;
}

/**
 * Keep the plot on `el` as wide as `el` is: drawn again when the window, or the panel around it, changes width.
 * (plotly's own `responsive` follows the height too, and a grid of panels sets its own height: each taller grid
 * would be drawn a second time, a tenth of a second after the first, for nothing.) Returns what stops following.
 */
export function followWidth(el: HTMLElement): () => void {
  let width = el.clientWidth;
  const observer = new ResizeObserver(() => {
    const now = el.clientWidth;
    if (Math.abs(now - width) <= 1) return;
    width = now;
    // Hidden (another tab shown): drawn again when shown, at the width it has then. plotly never settles a resize
    // whose redraw failed: the plot's next draw waits 5 s for it at most.
    if (loading && now > 0) {
      const resized = withPlotly(el, (plotly) =>
        Promise.race([plotly.Plots.resize(el), new Promise((r) => setTimeout(r, 5000))]),
      );
      void resized.catch(() => undefined);
    }
  });
  observer.observe(el);
  return () => observer.disconnect();
}

/** Remove a plot, if plotly was ever loaded (nothing was drawn otherwise). */
export function purgePlot(el: HTMLElement): void {
  if (loading) void withPlotly(el, (plotly) => plotly.purge(el)).catch(() => undefined);
}

/** A plot's element, while it is on the page: drawn again as it changes width, its plot removed when it goes. */
export function usePlotHost(host: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = host.current;
    const stop = el ? followWidth(el) : undefined;
    return () => {
      stop?.();
      if (el) purgePlot(el);
    };
  }, [host]);
}
