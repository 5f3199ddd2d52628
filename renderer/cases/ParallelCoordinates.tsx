// The cases as parallel coordinates: one axis per parameter and output (text columns and the status as axes of
// their categories), one line per case coloured by any column. The lines are drawn on a 2-D canvas (no WebGL
// needed, so it works on any machine), a slice per frame so a large table never holds the page up; the axes, ticks
// and brushes are SVG. The brushes and the table's column filters are one filter: dragging along an axis writes
// its column's filter (a click clears it), clicking a category filters to it, a filter typed into the table shows
// as a brush, and every line a filter turns away is drawn grey. Only the SQL condition takes lines away.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { useCases } from '../app/stores';
import { axesOf, axisOf, categoryColours, filterOfBrush, insideFilters, viridis } from './parallel';
import { inListOf } from '../../shared/case-filter';
import type { Axis, LineColumn } from './parallel';

const MARGIN = { top: 44, right: 110, bottom: 20, left: 56 };
/** Lines drawn per animation frame: a few milliseconds of canvas work each. */
const LINES_PER_FRAME = 2500;
const COLOUR_STEPS = 32;

/** Pixel positions of the axes and of a value on an axis. */
function layoutOf(axes: Axis[], width: number, height: number) {
  const inner = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotHeight = Math.max(40, height - MARGIN.top - MARGIN.bottom);
  const x = (k: number) => MARGIN.left + (axes.length === 1 ? inner / 2 : (k * inner) / (axes.length - 1));
  const y = (axis: Axis, v: number) =>
    MARGIN.top + (1 - (v - axis.domain[0]) / (axis.domain[1] - axis.domain[0])) * plotHeight;
  const valueAt = (axis: Axis, py: number) =>
    axis.domain[0] + (1 - (py - MARGIN.top) / plotHeight) * (axis.domain[1] - axis.domain[0]);
  return { x, y, valueAt, plotHeight, height };
}
type Layout = ReturnType<typeof layoutOf>;

/** Each line's colour as an index into `palette` (-1: no value, drawn in the neutral colour). */
function colouring(scale: Axis): { palette: string[]; of: (i: number) => number } {
  if (scale.categories) {
    return { palette: categoryColours(scale), of: (i) => (Number.isNaN(scale.values[i]!) ? -1 : scale.values[i]!) };
  }
  const [lo, hi] = scale.domain;
  return {
    palette: Array.from({ length: COLOUR_STEPS }, (_, s) => viridis((s + 0.5) / COLOUR_STEPS)),
    of: (i) => {
      const v = scale.values[i]!;
      return Number.isNaN(v) ? -1 : Math.min(COLOUR_STEPS - 1, Math.floor(((v - lo) / (hi - lo)) * COLOUR_STEPS));
    },
  };
}

/** Draw the lines on the canvas, a slice per frame; returns a function that stops drawing. */
function drawLines(
  canvas: HTMLCanvasElement,
  axes: Axis[],
  inside: boolean[],
  scale: Axis,
  layout: Layout,
  width: number,
) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(layout.height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return () => {};
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, layout.height);
  const { x, y } = layout;
  const count = axes[0]?.values.length ?? 0;
  const { palette, of } = colouring(scale);
  const styles = getComputedStyle(canvas);
  const grey = styles.getPropertyValue('--grey-line').trim() || '#c8c8c8';
  const neutral = styles.getPropertyValue('--muted').trim() || '#888';
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
  // Grey lines (turned away by a filter) first, then the coloured ones over them.
  const order = [...Array(count).keys()].sort((p, q) => Number(inside[p]) - Number(inside[q]));
  let next = 0;
  let frame = 0;
  const slice = () => {
    const end = Math.min(count, next + LINES_PER_FRAME);
    const greyPath = new Path2D();
    const coloured = Array.from({ length: palette.length + 1 }, () => new Path2D());
    for (; next < end; next++) {
      const i = order[next]!;
      trace(inside[i] ? coloured[of(i) + 1]! : greyPath, i);
    }
    ctx.lineWidth = 1;
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = grey;
    ctx.stroke(greyPath);
    coloured.forEach((path, s) => {
      ctx.strokeStyle = s === 0 ? neutral : palette[s - 1]!;
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
  layout: Layout;
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
    ? axis.categories
      ? `, filtered to ${(inListOf(filterOfBrush(axis, axis.brush[0], axis.brush[1])) ?? []).join(', ')}`
      : `, brushed ${filterOfBrush(axis, axis.brush[0], axis.brush[1]).replace('..', ' to ')}`
    : '';
  return (
    <g role="group" aria-label={`Axis ${axis.label}${brushText}`}>
      <line x1={at} x2={at} y1={top} y2={bottom} className="axis-line" />
      {axis.ticks.map((t) => (
        <g key={t.at}>
          <line x1={at - 4} x2={at} y1={layout.y(axis, t.at)} y2={layout.y(axis, t.at)} className="axis-line" />
          <text x={at - 6} y={layout.y(axis, t.at)} dy="0.32em" textAnchor="end" fontSize="10" className="tick">
            {t.text.length > 12 ? `${t.text.slice(0, 11)}…` : t.text}
          </text>
        </g>
      ))}
      <text x={at} y={top - 14} textAnchor="middle" fontSize="12" fontWeight="600" className="axis-title">
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
          const click = Math.abs(end - drag[0]) < 3;
          // A click clears the brush (on a text axis it picks the category under it, or clears it when it was
          // picked); a drag sets it.
          if (axis.categories && click) {
            const picked = filterOfBrush(axis, layout.valueAt(axis, end), layout.valueAt(axis, end));
            const already = axis.brush && filterOfBrush(axis, axis.brush[0], axis.brush[1]) === picked;
            onBrush(already ? '' : picked);
          } else onBrush(click ? '' : filterOfBrush(axis, layout.valueAt(axis, drag[0]), layout.valueAt(axis, end)));
        }}
        onPointerCancel={() => setDrag(null)}
      />
    </g>
  );
}

function ColourKey({ scale, width, layout }: { scale: Axis; width: number; layout: Layout }) {
  const x = width - MARGIN.right + 24;
  if (scale.categories) {
    const colours = categoryColours(scale);
    return (
      <g aria-hidden="true">
        {scale.categories.slice(0, 24).map((c, i) => (
          <g key={c} transform={`translate(${x}, ${MARGIN.top + i * 16})`}>
            <rect width={10} height={10} fill={colours[i]} />
            <text x={14} y={5} dy="0.32em" fontSize="10" className="tick">
              {c.length > 10 ? `${c.slice(0, 9)}…` : c}
            </text>
          </g>
        ))}
      </g>
    );
  }
  const stops = Array.from({ length: 9 }, (_, i) => i / 8);
  return (
    <g aria-hidden="true">
      <defs>
        <linearGradient id="parcoords-colours" x1="0" x2="0" y1="1" y2="0">
          {stops.map((t) => (
            <stop key={t} offset={t} stopColor={viridis(t)} />
          ))}
        </linearGradient>
      </defs>
      <rect x={x} y={MARGIN.top} width={12} height={layout.plotHeight} fill="url(#parcoords-colours)" />
      {scale.ticks.map((t) => (
        <text key={t.at} x={x + 16} y={layout.y(scale, t.at)} dy="0.32em" fontSize="10" className="tick">
          {t.text}
        </text>
      ))}
    </g>
  );
}

const LABELS: Record<string, string> = { _status: 'status', _runtime_s: 'runtime (s)', _run_seq: 'run' };

export function ParallelCoordinates() {
  // Only what the view draws: loading table rows or scrolling the table does not redraw it.
  const data = useCases((s) => s.lines);
  const filters = useCases((s) => s.filters);
  const setFilter = useCases((s) => s.setFilter);
  const loadLines = useCases((s) => s.loadLines);
  const [colorBy, setColorBy] = useState<string>('');
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 800, height: 320 });
  useEffect(() => {
    if (data === null) void loadLines();
  }, [data, loadLines]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() =>
      setSize({ width: Math.max(320, Math.floor(el.clientWidth)), height: Math.max(160, Math.floor(el.clientHeight)) }),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [data !== null]);

  const columns: LineColumn[] = useMemo(() => data?.columns ?? [], [data]);
  const axes = useMemo(() => axesOf(columns, filters), [columns, filters]);
  const inside = useMemo(() => insideFilters(columns, filters), [columns, filters]);
  // Colour by the first output unless another column is chosen; any column, run metadata too.
  const colourColumn =
    columns.find((c) => c.name === colorBy) ?? columns.find((c) => c.kind === 'output') ?? columns.at(-1);
  const scale = useMemo(() => (colourColumn ? axisOf(colourColumn) : undefined), [colourColumn]);
  const { width, height } = size;
  const layout = layoutOf(axes, width, height);
  const kept = useMemo(() => inside.filter(Boolean).length, [inside]);

  useEffect(() => {
    if (!canvas.current || axes.length < 2 || !scale) return;
    return drawLines(canvas.current, axes, inside, scale, layout, width);
    // The layout follows from the axes and the size.
  }, [axes, inside, scale, width, height]);

  if (!data || axes.length < 2) {
    return (
      <div className="panel">
        <p className="muted">
          {data
            ? 'Parallel coordinates need two columns or more: they appear once the study has run with its parameters and outputs.'
            : 'Reading the cases…'}
        </p>
      </div>
    );
  }
  const filtered = Object.values(filters).some((f) => f.trim() !== '');
  return (
    <div className="panel parcoords-pane" role="region" aria-label="Parallel coordinates">
      <div className="plot-controls">
        <label className="inline">
          Colour by
          <select value={colourColumn?.name ?? ''} onChange={(e) => setColorBy(e.target.value)}>
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {LABELS[c.name] ?? c.name}
              </option>
            ))}
          </select>
        </label>
        <span className="plot-file">
          {data.shown < data.total
            ? `Lines for ${data.shown} of ${data.total} cases, evenly spread`
            : `Lines for all ${data.total} cases`}
          {filtered && `, ${kept} kept by the filters`}; drag along an axis (or click a category) to filter, click the
          axis to clear.
        </span>
      </div>
      <div
        ref={box}
        className="parcoords"
        role="figure"
        aria-label={`Parallel coordinates of ${data.shown} cases over ${axes.map((a) => a.label).join(', ')}, coloured by ${colourColumn?.name ?? ''}`}
      >
        <canvas ref={canvas} style={{ width, height }} aria-hidden="true" />
        <svg width={width} height={height} role="presentation">
          {axes.map((a, k) => (
            <AxisView key={a.name} axis={a} at={layout.x(k)} layout={layout} onBrush={(f) => setFilter(a.name, f)} />
          ))}
          {scale && <ColourKey scale={scale} width={width} layout={layout} />}
        </svg>
      </div>
    </div>
  );
}
