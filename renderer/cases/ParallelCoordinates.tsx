// The cases as parallel coordinates: one axis per numeric parameter and output, one line per case coloured by a
// chosen column. The lines are drawn on a 2-D canvas (no WebGL needed, so it works on any machine), a slice per
// frame so a large table never holds the page up; the axes, ticks and brushes are SVG. Dragging along an axis
// brushes it, and the brush becomes that column's filter in the table below (a click clears it); a range typed
// into a column's filter shows as a brush. Only the SQL condition narrows the lines drawn, so a brush never
// hides its own axis: lines outside the brushes are drawn grey.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { useCases } from '../app/stores';
import { axesOf, filterOfBrush, insideBrushes, viridis } from './parallel';
import type { Axis } from './parallel';

const HEIGHT = 380;
const MARGIN = { top: 44, right: 90, bottom: 20, left: 50 };
/** Lines drawn per animation frame: a few milliseconds of canvas work each. */
const LINES_PER_FRAME = 2500;
const COLOUR_STEPS = 32;

/** Pixel positions of the axes and of a value on an axis. */
function layoutOf(axes: Axis[], width: number) {
  const inner = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (k: number) => MARGIN.left + (axes.length === 1 ? inner / 2 : (k * inner) / (axes.length - 1));
  const y = (axis: Axis, v: number) =>
    MARGIN.top + (1 - (v - axis.domain[0]) / (axis.domain[1] - axis.domain[0])) * plotHeight;
  const valueAt = (axis: Axis, py: number) =>
    axis.domain[0] + (1 - (py - MARGIN.top) / plotHeight) * (axis.domain[1] - axis.domain[0]);
  return { x, y, valueAt, plotHeight };
}

/** Draw the lines on the canvas, a slice per frame; returns a function that stops drawing. */
function drawLines(canvas: HTMLCanvasElement, axes: Axis[], colour: Axis, width: number): () => void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(HEIGHT * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return () => {};
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, HEIGHT);
  const { x, y } = layoutOf(axes, width);
  const count = axes[0]?.values.length ?? 0;
  const inside = Array.from({ length: count }, (_, i) => insideBrushes(axes, i));
  const [lo, hi] = colour.domain;
  const stepOf = (i: number) => {
    const v = colour.values[i]!;
    return Number.isNaN(v) ? -1 : Math.min(COLOUR_STEPS - 1, Math.floor(((v - lo) / (hi - lo)) * COLOUR_STEPS));
  };
  const alpha = count > 2000 ? 0.25 : count > 200 ? 0.5 : 0.8;
  const trace = (path: Path2D, i: number) => {
    let pen = false;
    axes.forEach((a, k) => {
      const v = a.values[i]!;
      if (Number.isNaN(v)) {
        pen = false;
        return;
      }
      if (pen) path.lineTo(x(k), y(a, v));
      else path.moveTo(x(k), y(a, v));
      pen = true;
    });
  };
  // Grey lines (outside a brush) first, then the coloured ones over them.
  const order = [...Array(count).keys()].sort((p, q) => Number(inside[p]) - Number(inside[q]));
  let next = 0;
  let frame = 0;
  const slice = () => {
    const end = Math.min(count, next + LINES_PER_FRAME);
    const grey = new Path2D();
    const coloured = Array.from({ length: COLOUR_STEPS + 1 }, () => new Path2D());
    for (; next < end; next++) {
      const i = order[next]!;
      trace(inside[i] ? coloured[stepOf(i) + 1]! : grey, i);
    }
    ctx.lineWidth = 1;
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = '#c8c8c8';
    ctx.stroke(grey);
    coloured.forEach((path, s) => {
      ctx.strokeStyle = s === 0 ? '#888' : viridis((s - 0.5) / COLOUR_STEPS);
      ctx.stroke(path);
    });
    if (next < count) frame = requestAnimationFrame(slice);
  };
  frame = requestAnimationFrame(slice);
  return () => cancelAnimationFrame(frame);
}

function AxisView({
  axis,
  at,
  layout,
  onBrush,
}: {
  axis: Axis;
  at: number;
  layout: ReturnType<typeof layoutOf>;
  onBrush: (filter: string) => void;
}) {
  // The brush being dragged, in pixels; null when none is.
  const [drag, setDrag] = useState<[number, number] | null>(null);
  const top = MARGIN.top;
  const bottom = MARGIN.top + layout.plotHeight;
  const clamp = (py: number) => Math.min(bottom, Math.max(top, py));
  const yOf = (e: ReactPointerEvent) => clamp(e.clientY - e.currentTarget.getBoundingClientRect().top + top);
  const shown: [number, number] | null =
    drag ?? (axis.brush ? [layout.y(axis, axis.brush[1]), layout.y(axis, axis.brush[0])] : null);
  const brushText = axis.brush
    ? `, brushed ${filterOfBrush(axis, axis.brush[0], axis.brush[1]).replace('..', ' to ')}`
    : '';
  return (
    <g role="group" aria-label={`Axis ${axis.label}${brushText}`}>
      <line x1={at} x2={at} y1={top} y2={bottom} stroke="#444" />
      {axis.ticks.map((t) => (
        <g key={t.at}>
          <line x1={at - 4} x2={at} y1={layout.y(axis, t.at)} y2={layout.y(axis, t.at)} stroke="#444" />
          <text x={at - 6} y={layout.y(axis, t.at)} dy="0.32em" textAnchor="end" fontSize="10" fill="#333">
            {t.text}
          </text>
        </g>
      ))}
      <text x={at} y={top - 14} textAnchor="middle" fontSize="12" fontWeight="600" fill="#222">
        {axis.label}
      </text>
      {shown && (
        <rect
          x={at - 7}
          width={14}
          y={Math.min(...shown)}
          height={Math.max(2, Math.abs(shown[1] - shown[0]))}
          fill="rgba(40, 90, 200, 0.25)"
          stroke="rgb(40, 90, 200)"
        />
      )}
      <rect
        data-brush={axis.name}
        x={at - 12}
        y={top}
        width={24}
        height={bottom - top}
        fill="transparent"
        style={{ cursor: 'crosshair', touchAction: 'none' }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const py = yOf(e);
          setDrag([py, py]);
        }}
        onPointerMove={(e) => drag && setDrag([drag[0], yOf(e)])}
        onPointerUp={(e) => {
          if (!drag) return;
          const end = yOf(e);
          setDrag(null);
          // A click (no drag) clears the brush; a drag sets it.
          onBrush(
            Math.abs(end - drag[0]) < 3
              ? ''
              : filterOfBrush(axis, layout.valueAt(axis, drag[0]), layout.valueAt(axis, end)),
          );
        }}
        onPointerCancel={() => setDrag(null)}
      />
    </g>
  );
}

function ColourBar({ axis, width }: { axis: Axis; width: number }) {
  const x = width - MARGIN.right + 30;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const stops = Array.from({ length: 9 }, (_, i) => i / 8);
  const y = (v: number) => MARGIN.top + (1 - (v - axis.domain[0]) / (axis.domain[1] - axis.domain[0])) * plotHeight;
  return (
    <g aria-hidden="true">
      <defs>
        <linearGradient id="parcoords-colours" x1="0" x2="0" y1="1" y2="0">
          {stops.map((t) => (
            <stop key={t} offset={t} stopColor={viridis(t)} />
          ))}
        </linearGradient>
      </defs>
      <rect x={x} y={MARGIN.top} width={12} height={plotHeight} fill="url(#parcoords-colours)" />
      {axis.ticks.map((t) => (
        <text key={t.at} x={x + 16} y={y(t.at)} dy="0.32em" fontSize="10" fill="#333">
          {t.text}
        </text>
      ))}
    </g>
  );
}

export function ParallelCoordinates() {
  // Only what the view draws: loading table rows or scrolling the table does not redraw it.
  const data = useCases((s) => s.numeric);
  const filters = useCases((s) => s.filters);
  const setFilter = useCases((s) => s.setFilter);
  const loadNumeric = useCases((s) => s.loadNumeric);
  const [colorBy, setColorBy] = useState<string>('');
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    if (data === null) void loadNumeric();
  }, [data, loadNumeric]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(320, Math.floor(el.clientWidth))));
    observer.observe(el);
    return () => observer.disconnect();
  }, [data !== null]);

  const columns = useMemo(() => data?.columns ?? [], [data]);
  const outputs = columns.filter((c) => c.kind === 'output');
  const color = columns.find((c) => c.name === colorBy) ?? outputs[0] ?? columns.at(-1);
  const axes = useMemo(() => axesOf(columns, filters), [columns, filters]);
  const colourAxis = color ? axes[columns.indexOf(color)] : undefined;
  const layout = layoutOf(axes, width);
  const inside = useMemo(
    () => (axes.length > 0 ? axes[0]!.values.filter((_, i) => insideBrushes(axes, i)).length : 0),
    [axes],
  );

  useEffect(() => {
    if (!canvas.current || axes.length < 2 || !colourAxis) return;
    return drawLines(canvas.current, axes, colourAxis, width);
  }, [axes, colourAxis, width]);

  if (columns.length < 2) return null;
  const brushed = axes.some((a) => a.brush);
  return (
    <section className="panel" aria-labelledby="parcoords-heading">
      <h2 id="parcoords-heading">Parallel coordinates</h2>
      <div className="plot-controls">
        <label>
          Colour by
          <select value={color?.name ?? ''} onChange={(e) => setColorBy(e.target.value)}>
            {columns.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <span className="plot-file">
          {data && data.shown < data.total
            ? `Lines for ${data.shown} of ${data.total} cases, evenly spread`
            : `Lines for all ${data?.total ?? 0} cases`}
          {brushed && `, ${inside} inside the brushes`}; drag along an axis to filter the table, click it to clear.
        </span>
      </div>
      <div
        ref={box}
        className="parcoords"
        role="figure"
        aria-label={`Parallel coordinates of ${data?.shown ?? 0} cases over ${axes.map((a) => a.label).join(', ')}, coloured by ${color?.name ?? ''}`}
        style={{ height: HEIGHT }}
      >
        <canvas ref={canvas} style={{ width, height: HEIGHT }} aria-hidden="true" />
        <svg width={width} height={HEIGHT} role="presentation">
          {axes.map((a, k) => (
            <AxisView key={a.name} axis={a} at={layout.x(k)} layout={layout} onBrush={(f) => setFilter(a.name, f)} />
          ))}
          {colourAxis && <ColourBar axis={colourAxis} width={width} />}
        </svg>
      </div>
    </section>
  );
}
