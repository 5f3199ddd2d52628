// The lines of a large plot on screen, drawn on a canvas between plotly's axes and its legend.
//
// plotly draws a trace per line. As SVG that gets slow beyond about 10^5 points, and its WebGL traces (regl) build
// their shaders with eval, which the app's Content-Security-Policy refuses (shared/security.ts): they drew nothing
// but "WebGL is not supported". So for a large plot plotly draws only the frame: axes, titles, the legend (an empty
// trace per hue value) and, per panel, an invisible trace spanning the data, so autorange and double-click behave as
// they would with the lines (figure.ts). This module draws the lines themselves, 1 CSS px wide (plotly's are 2: too
// heavy when lines are many), into pixels (line-raster.ts): column by column where x only grows, else segment by
// segment after keeping only what each pixel column shows (traceDecimated). The pixels go onto the canvas in one
// copy; bands and markers through the canvas's own drawing. It draws again after every zoom, pan, resize or legend
// click, and shows the point under the mouse.
// An export never comes here: it draws SVG traces, so a PDF stays vector (export.ts).

import { LinePen } from './line-raster';

type Values = Float64Array | Float32Array;

/** One line (or band, or set of markers) of the plot, on the subplot of axes `xaxis`/`yaxis` ("x2", "y2"). */
export interface CanvasSeries {
  xaxis: string;
  yaxis: string;
  /** The hue value it shows, as the legend names it; null when there is no hue. */
  name: string | null;
  colour: string;
  x: Values;
  y: Values;
  /** errorbands: the band's edges. */
  lower?: Values;
  upper?: Values;
}

export interface CanvasLayer {
  /** How each series is drawn: a line, a step (hv), markers, or a line with a band around it. */
  draw: 'line' | 'step' | 'markers' | 'band';
  /** Markers on the line too (plotly's lines+markers: a few points per line), their diameter in px. */
  markerSize: number | null;
  /** The opacity of a band's fill (in its series' colour). */
  bandAlpha: number;
  series: CanvasSeries[];
  /** Each hue value's legend entry: the index of its empty trace in the figure, whose visibility says whether to draw it. */
  legend: { name: string; trace: number }[];
  /** The hover's labels. */
  xlabel: string;
  ylabel: string;
}

/** Where an axis of plotly's full layout sits, and the range it shows (log axes: in log10). */
interface Axis {
  _offset: number;
  _length: number;
  range: [number, number];
  type: string;
}

/** plotly's graph div, as far as this module reads it. */
interface GraphDiv extends HTMLElement {
  _fullLayout?: Record<string, unknown> & { width: number; height: number };
  data?: { visible?: boolean | 'legendonly' }[];
  on?: (event: string, handler: (e: Record<string, unknown>) => void) => void;
  removeListener?: (event: string, handler: (e: Record<string, unknown>) => void) => void;
}

/** Anything that takes a path: a canvas context, or a test's recorder. */
export interface Pen {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/**
 * Data → CSS pixels along one axis of the page: offset + scale × v (log axes: × log10 v); NaN or infinite where the
 * value cannot be shown (≤ 0 on a log axis). Callable, and its terms are there for loops over many values.
 */
export interface ToPixel {
  (v: number): number;
  offset: number;
  scale: number;
  log: boolean;
}

/** The mapping of one axis, as plotly has it now. */
export function axisToPixel(axis: Axis, vertical: boolean): ToPixel {
  const [r0, r1] = axis.range;
  const k = axis._length / (r1 - r0);
  // Along x from the left edge; along y up from the bottom edge.
  const scale = vertical ? -k : k;
  const offset = vertical ? axis._offset + axis._length + r0 * k : axis._offset - r0 * k;
  const log = axis.type === 'log';
  const map = (log ? (v: number) => offset + scale * Math.log10(v) : (v: number) => offset + scale * v) as ToPixel;
  return Object.assign(map, { offset, scale, log });
}

/** `values` mapped through `to`, into `out`: one tight loop (no call per value). */
function mapAll(values: Values, n: number, to: ToPixel, out = new Float64Array(n)): Float64Array {
  const { offset, scale } = to;
  if (to.log) for (let i = 0; i < n; i++) out[i] = offset + scale * Math.log10(values[i]!);
  else for (let i = 0; i < n; i++) out[i] = offset + scale * values[i]!;
  return out;
}

/**
 * Trace a polyline of `count` vertices (xs, ys: in CSS px) through `pen`, keeping of the vertices that fall in one device pixel column
 * only the first, the lowest, the highest and the last (M4): what a thin line shows, from at most four vertices per
 * column. A vertex that is not finite (NaN: no value there) breaks the line. Returns the vertices drawn.
 */
export function traceDecimated(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  count: number,
  pen: Pen,
  pixelRatio = 1,
): number {
  let drawn = 0;
  let down = false;
  let column = Number.NaN;
  let columnX = 0;
  let points = 0;
  let low = 0;
  let high = 0;
  let lastX = 0;
  let lastY = 0;
  const flush = () => {
    if (points > 1) {
      pen.lineTo(columnX, low);
      pen.lineTo(columnX, high);
      pen.lineTo(lastX, lastY);
      drawn += 3;
    }
    points = 0;
  };
  for (let k = 0; k < count; k++) {
    const x = xs[k]!;
    const y = ys[k]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      flush();
      down = false;
      column = Number.NaN;
      continue;
    }
    const key = Math.round(x * pixelRatio);
    if (key === column) {
      points++;
      if (y < low) low = y;
      if (y > high) high = y;
      lastX = x;
      lastY = y;
      continue;
    }
    flush();
    column = key;
    columnX = x;
    points = 1;
    low = high = lastY = y;
    lastX = x;
    if (down) pen.lineTo(x, y);
    else pen.moveTo(x, y);
    down = true;
    drawn++;
  }
  flush();
  return drawn;
}

/** What a graph div shows through this module: its listeners, and `stop` to cancel what they have asked for. */
interface Shown {
  layer: CanvasLayer;
  onAfterPlot: () => void;
  onRelayouting: () => void;
  onMove: (e: MouseEvent) => void;
  onLeave: () => void;
  stop: () => void;
}
const shown = new WeakMap<GraphDiv, Shown>();

const CANVAS_CLASS = 'canvas-lines';
const HOVER_CLASS = 'canvas-hover';
/** How near (CSS px) the mouse must be to a point for the hover to name it. */
const HOVER_RADIUS = 16;

/**
 * Draw `layer` on `el` (a graph div plotly has just drawn the frame on), and keep it drawn through zooms, pans,
 * resizes and legend clicks. `null`: the plot has no canvas layer; remove any left from the plot before.
 */
export function showCanvasLines(el: HTMLElement, layer: CanvasLayer | null): void {
  const gd = el as GraphDiv;
  const before = shown.get(gd);
  if (before) {
    gd.removeListener?.('plotly_afterplot', before.onAfterPlot);
    gd.removeListener?.('plotly_relayouting', before.onRelayouting);
    gd.removeEventListener('mousemove', before.onMove);
    gd.removeEventListener('mouseleave', before.onLeave);
    before.stop();
    shown.delete(gd);
    hideHover(gd); // it named a point of the plot before
  }
  if (!layer) {
    gd.querySelector(`.${CANVAS_CLASS}`)?.remove();
    return;
  }
  let frame = 0;
  let hoverFrame = 0;
  const redraw = () => {
    cancelAnimationFrame(frame);
    drawLayer(gd, layer);
  };
  const now: Shown = {
    layer,
    onAfterPlot: redraw,
    // A pan or a dragged axis end: plotly moves the axes' ranges as the mouse moves (a zoom box changes them only
    // when let go). Drawn once per frame.
    onRelayouting: () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(redraw);
    },
    // One look per frame, at where the mouse is last: a panel may hold 10^6 points to search.
    onMove: (e) => {
      cancelAnimationFrame(hoverFrame);
      hoverFrame = requestAnimationFrame(() => showHover(gd, layer, e));
    },
    onLeave: () => {
      cancelAnimationFrame(hoverFrame);
      hideHover(gd);
    },
    stop: () => {
      cancelAnimationFrame(frame);
      cancelAnimationFrame(hoverFrame);
    },
  };
  gd.on?.('plotly_afterplot', now.onAfterPlot);
  gd.on?.('plotly_relayouting', now.onRelayouting);
  gd.addEventListener('mousemove', now.onMove);
  gd.addEventListener('mouseleave', now.onLeave);
  shown.set(gd, now);
  drawLayer(gd, layer);
}

/** The hue values whose legend entries are on (a click on an entry hides it, a double-click shows it alone). */
function visibleNames(gd: GraphDiv, layer: CanvasLayer): Set<string | null> {
  const names = new Set<string | null>([null]);
  for (const { name, trace } of layer.legend) {
    const visible = gd.data?.[trace]?.visible ?? true;
    if (visible === true) names.add(name);
  }
  return names;
}

function axisOf(gd: GraphDiv, id: string): Axis | undefined {
  return gd._fullLayout?.[`${id[0]}axis${id.slice(1)}`] as Axis | undefined;
}

/** The canvas, sized to the plot and placed in plotly's own layer for drawings between the axes and the legend. */
function canvasOf(gd: GraphDiv, width: number, height: number, ratio: number): HTMLCanvasElement | null {
  const container = gd.querySelector('.gl-container');
  if (!container) return null;
  let canvas = container.querySelector<HTMLCanvasElement>(`canvas.${CANVAS_CLASS}`);
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.className = CANVAS_CLASS;
    canvas.style.cssText = 'position: absolute; left: 0; top: 0; pointer-events: none;';
    container.append(canvas);
  }
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  return canvas;
}

/** The pixels lines are drawn into, and the canvas they go through: one of each per canvas size, cleared for reuse. */
const scratch = new WeakMap<HTMLCanvasElement, { pixels: ImageData; lines: HTMLCanvasElement }>();

function scratchOf(canvas: HTMLCanvasElement): { pixels: ImageData; lines: HTMLCanvasElement } {
  let kept = scratch.get(canvas);
  if (!kept || kept.pixels.width !== canvas.width || kept.pixels.height !== canvas.height) {
    const lines = document.createElement('canvas');
    lines.width = canvas.width;
    lines.height = canvas.height;
    kept = { pixels: new ImageData(canvas.width, canvas.height), lines };
    scratch.set(canvas, kept);
  } else {
    kept.pixels.data.fill(0);
  }
  return kept;
}

function drawLayer(gd: GraphDiv, layer: CanvasLayer): void {
  const fullLayout = gd._fullLayout;
  if (!fullLayout) return;
  const ratio = window.devicePixelRatio || 1;
  const canvas = canvasOf(gd, fullLayout.width, fullLayout.height, ratio);
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, fullLayout.width, fullLayout.height);
  const names = visibleNames(gd, layer);
  // Each subplot's series and where they go; bands first, then lines over them, then markers on top.
  const subplots = [...groupBySubplot(layer.series)].flatMap(([key, group]) => {
    const [xid, yid] = key.split(' ') as [string, string];
    const xa = axisOf(gd, xid);
    const ya = axisOf(gd, yid);
    if (!xa || !ya) return [];
    return [
      {
        area: [xa._offset, ya._offset, xa._length, ya._length] as const,
        px: axisToPixel(xa, false),
        py: axisToPixel(ya, true),
        series: group.filter((s) => names.has(s.name)),
      },
    ];
  });
  const onCanvas = (draw: (sub: (typeof subplots)[number]) => void) => {
    for (const sub of subplots) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(...sub.area);
      ctx.clip();
      draw(sub);
      ctx.restore();
    }
  };
  if (layer.draw === 'band')
    onCanvas(({ series, px, py }) => series.forEach((s) => fillBand(ctx, s, px, py, layer.bandAlpha)));
  if (layer.draw !== 'markers') {
    const { pixels, lines } = scratchOf(canvas);
    const pen = new LinePen(pixels, ratio, Math.max(1, Math.round(ratio)));
    for (const { area, px, py, series } of subplots) {
      pen.clipTo(...area);
      const xs = new Map<Values, MappedX>();
      for (const s of series) {
        pen.colour(s.colour);
        traceLine(s, layer.draw === 'step', px, py, xs, pen, ratio);
      }
    }
    // Through a canvas of their own, so they go over the bands rather than replace them.
    lines.getContext('2d')?.putImageData(pixels, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(lines, 0, 0);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }
  const size = layer.draw === 'markers' ? (layer.markerSize ?? 5) : layer.markerSize;
  if (size) onCanvas(({ series, px, py }) => series.forEach((s) => drawMarkers(ctx, s, px, py, size, ratio)));
  // For tests and the benchmark: how many series are on the canvas.
  canvas.dataset['series'] = String(subplots.reduce((n, sub) => n + sub.series.length, 0));
}

function groupBySubplot(series: CanvasSeries[]): Map<string, CanvasSeries[]> {
  const groups = new Map<string, CanvasSeries[]>();
  for (const s of series) {
    const key = `${s.xaxis} ${s.yaxis}`;
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return groups;
}

/**
 * Buffers reused from line to line (a plot may have thousands): a new array per line would cost more to allocate
 * and collect than to fill. `n` values or more.
 */
const reusableBuffers: Float64Array<ArrayBuffer>[] = [];
function reusable(which: number, n: number): Float64Array<ArrayBuffer> {
  const have = reusableBuffers[which];
  if (have && have.length >= n) return have;
  return (reusableBuffers[which] = new Float64Array(Math.max(n, 2 * (have?.length ?? 0))));
}

/** A panel's x, mapped to the page once for all its lines, and which way it runs. */
interface MappedX {
  px: Float64Array;
  /** 1: never decreasing, -1: never increasing, 0: back and forth (NaN ignored). */
  order: 1 | -1 | 0;
}

function mapX(x: Values, px: ToPixel): MappedX {
  const mapped = mapAll(x, x.length, px);
  let up = true;
  let down = true;
  let last = Number.NaN;
  for (let i = 0; i < x.length; i++) {
    const v = mapped[i]!;
    if (!Number.isFinite(v)) continue; // a gap (NaN, or 0 on a log axis) says nothing of the order
    if (v < last) up = false;
    if (v > last) down = false;
    last = v;
  }
  return { px: mapped, order: up ? 1 : down ? -1 : 0 };
}

/**
 * The series' line through `pen`, its points first mapped to the page; a step goes along to the next x at this y,
 * then up or down to the next y (hv). Where x runs one way, the pen sweeps it column by column; else it draws it
 * segment by segment, decimated to what each pixel column shows. A panel's lines share their x: mapped once, in `xs`.
 */
export function traceLine(
  s: CanvasSeries,
  step: boolean,
  px: ToPixel,
  py: ToPixel,
  xs: Map<Values, MappedX>,
  pen: LinePen,
  ratio: number,
): void {
  const n = Math.min(s.x.length, s.y.length);
  let mapped = xs.get(s.x);
  if (!mapped) {
    mapped = mapX(s.x, px);
    xs.set(s.x, mapped);
  }
  let x: Float64Array = mapped.px;
  let y = mapAll(s.y, n, py, reusable(0, n));
  let m = n;
  if (step) {
    m = Math.max(0, 2 * n - 1);
    const hx = reusable(1, m);
    const hy = reusable(2, m);
    for (let k = 0; k < m; k++) {
      hx[k] = x[(k + 1) >> 1]!;
      // Along to the next x only if there is a next value: a gap ends the step where the last value was.
      hy[k] = k % 2 === 1 && !Number.isFinite(y[(k + 1) >> 1]!) ? Number.NaN : y[k >> 1]!;
    }
    x = hx;
    y = hy;
  }
  if (mapped.order === 1) pen.sweep(x, y, m);
  else if (mapped.order === -1) pen.sweep(x.slice(0, m).reverse(), y.slice(0, m).reverse(), m);
  else traceDecimated(x, y, m, pen, ratio);
}

/** Markers: one circle drawn once, stamped at each point (a pixel holds one: the rest would cover it). */
function drawMarkers(
  ctx: CanvasRenderingContext2D,
  s: CanvasSeries,
  px: ToPixel,
  py: ToPixel,
  size: number,
  ratio: number,
): void {
  const stamp = document.createElement('canvas');
  stamp.width = stamp.height = Math.ceil(size * ratio) + 2;
  const sc = stamp.getContext('2d');
  if (!sc) return;
  sc.fillStyle = s.colour;
  sc.beginPath();
  sc.arc(stamp.width / 2, stamp.height / 2, (size * ratio) / 2, 0, 2 * Math.PI);
  sc.fill();
  const half = stamp.width / ratio / 2;
  let lastKey = Number.NaN;
  for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
    const x = px(s.x[i]!);
    const y = py(s.y[i]!);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const key = Math.round(x * ratio) * 65_536 + Math.round(y * ratio);
    if (key === lastKey) continue;
    lastKey = key;
    ctx.drawImage(stamp, x - half, y - half, stamp.width / ratio, stamp.height / ratio);
  }
}

/** errorbands: the area between lower and upper, one polygon per stretch without gaps. */
function fillBand(ctx: CanvasRenderingContext2D, s: CanvasSeries, px: ToPixel, py: ToPixel, alpha: number): void {
  const { x, lower, upper } = s as Required<CanvasSeries>;
  const n = Math.min(x.length, lower.length, upper.length);
  ctx.fillStyle = s.colour;
  ctx.globalAlpha = alpha;
  const ok = (i: number) => [px(x[i]!), py(lower[i]!), py(upper[i]!)].every(Number.isFinite);
  for (let start = 0; start < n;) {
    if (!ok(start)) {
      start++;
      continue;
    }
    let end = start;
    while (end + 1 < n && ok(end + 1)) end++;
    ctx.beginPath();
    ctx.moveTo(px(x[start]!), py(upper[start]!));
    for (let i = start + 1; i <= end; i++) ctx.lineTo(px(x[i]!), py(upper[i]!));
    for (let i = end; i >= start; i--) ctx.lineTo(px(x[i]!), py(lower[i]!));
    ctx.closePath();
    ctx.fill();
    start = end + 1;
  }
  ctx.globalAlpha = 1;
}

/** A number as the hover shows it: six significant digits. */
function short(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** The point nearest the mouse, of the lines drawn in the subplot under it, named in a label beside it. */
function showHover(gd: GraphDiv, layer: CanvasLayer, e: MouseEvent): void {
  const container = gd.querySelector<HTMLElement>('.svg-container');
  if (!container || !gd._fullLayout) return;
  const box = container.getBoundingClientRect();
  const mx = e.clientX - box.left;
  const my = e.clientY - box.top;
  const names = visibleNames(gd, layer);
  let best: { s: CanvasSeries; i: number; x: number; y: number; d: number } | null = null;
  for (const [key, group] of groupBySubplot(layer.series)) {
    const [xid, yid] = key.split(' ') as [string, string];
    const xa = axisOf(gd, xid);
    const ya = axisOf(gd, yid);
    if (!xa || !ya) continue;
    if (mx < xa._offset || mx > xa._offset + xa._length || my < ya._offset || my > ya._offset + ya._length) continue;
    const px = axisToPixel(xa, false);
    const py = axisToPixel(ya, true);
    for (const s of group) {
      if (!names.has(s.name)) continue;
      for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) {
        const x = px(s.x[i]!);
        const y = py(s.y[i]!);
        const d = (x - mx) ** 2 + (y - my) ** 2;
        if (d < (best?.d ?? HOVER_RADIUS ** 2)) best = { s, i, x, y, d };
      }
    }
  }
  if (!best) return hideHover(gd);
  let label = container.querySelector<HTMLElement>(`.${HOVER_CLASS}`);
  if (!label) {
    label = document.createElement('div');
    label.className = HOVER_CLASS;
    label.setAttribute('role', 'tooltip');
    container.append(label);
  }
  label.style.borderColor = best.s.colour;
  label.style.left = `${best.x + 10}px`;
  label.style.top = `${best.y + 10}px`;
  label.replaceChildren(
    ...[best.s.name, `${layer.xlabel}: ${short(best.s.x[best.i]!)}`, `${layer.ylabel}: ${short(best.s.y[best.i]!)}`]
      .filter((line): line is string => line !== null)
      .map((line) => Object.assign(document.createElement('div'), { textContent: line })),
  );
}

function hideHover(gd: GraphDiv): void {
  gd.querySelector(`.${HOVER_CLASS}`)?.remove();
}
