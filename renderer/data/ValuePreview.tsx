// The selected dataset's values, in h5web's views: Matrix (two dims as rows and columns, a window of them at a
// time), Line (a 1-D slice) and Heatmap (a 2-D slice), a slider for each other dim. The engine reads only what is
// shown. "Plot this" opens the plot builder on the same variable and slice. A text file shows its first lines.
import type { ArrayPreview, TreeDetails, TreeEntry, TreePreview, TreeSlice } from '../../shared/data-tree';
import { compactDates } from '../../shared/cf-time';
import { PREVIEW_MAX_COLS, PREVIEW_MAX_ROWS } from '../../shared/data-tree';
import { useData, usePlots, useUi } from '../app/stores';
import type { Draft } from '../plots/plot-store';
import type { Vis } from './data-store';
import { visFor, visShown } from './data-store';
import { SliceView } from './SliceView';

type Cell = ArrayPreview['values'][number][number];

/**
 * A value as the table shows it: up to `digits` significant digits (the full value in its tooltip). The matrix's
 * cells take four, so that its twenty columns fit beside the tree in a window 1440 px wide; labels six.
 */
export function cellText(value: Cell, digits = 6): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(digits)));
}

function Pager({
  what,
  start,
  shown,
  size,
  step,
  go,
}: {
  what: 'rows' | 'columns';
  start: number;
  shown: number;
  size: number;
  step: number;
  go: (start: number) => void;
}) {
  if (size <= shown) return null;
  return (
    <div className="pager" role="group" aria-label={what === 'rows' ? 'Rows' : 'Columns'}>
      <button
        type="button"
        className="plain"
        aria-label={`Previous ${what}`}
        disabled={start === 0}
        onClick={() => go(Math.max(0, start - step))}
      >
        ‹
      </button>
      <span>
        {what} {start + 1}–{start + shown} of {size}
      </span>
      <button
        type="button"
        className="plain"
        aria-label={`Next ${what}`}
        disabled={start + shown >= size}
        onClick={() => go(start + step)}
      >
        ›
      </button>
    </div>
  );
}

/**
 * A slider for each dim the view does not show, at the index it is fixed at. Its value reads as the coordinate
 * there once the view drawn for that index has come back (`shownIndex`), as the index (#3) until then.
 */
function DimSliders({
  dims,
  shape,
  others,
  shownIndex,
  fixedCoords,
}: {
  dims: string[];
  shape: number[];
  others: number[];
  shownIndex: number[];
  fixedCoords: ArrayPreview['fixedCoords'];
}) {
  const { view, setView } = useData((s) => s);
  const axes = shape.map((_, axis) => axis);
  const indexAt = (axis: number) => view.index[axis] ?? shownIndex[axis] ?? 0;
  const withIndex = (axis: number, at: number) => axes.map((a) => (a === axis ? at : indexAt(a)));
  return (
    <>
      {others.map((axis) => {
        const at = indexAt(axis);
        const coord = fixedCoords[axis];
        const shownAt =
          coord === null || coord === undefined || at !== shownIndex[axis]
            ? `#${at}`
            : cellText(compactDates([coord])[0]!);
        return (
          <div key={axis} className="dim-slider">
            <label htmlFor={`slider-${axis}`}>{dims[axis]}</label>
            <input
              id={`slider-${axis}`}
              type="range"
              aria-label={`Index of ${dims[axis]}`}
              aria-valuetext={`${at} of ${shape[axis]! - 1} (${dims[axis]} = ${shownAt})`}
              min={0}
              max={shape[axis]! - 1}
              value={at}
              onChange={(e) => void setView({ index: withIndex(axis, Number(e.target.value)) })}
            />
            <output htmlFor={`slider-${axis}`}>
              {dims[axis]} = {shownAt}{' '}
              <small>
                ({at + 1} of {shape[axis]})
              </small>
            </output>
          </div>
        );
      })}
    </>
  );
}

function ArrayView({ preview, name }: { preview: ArrayPreview; name: string }) {
  const { view, setView } = useData((s) => s);
  const { dims, shape, rowAxis, colAxis, values } = preview;
  const axes = shape.map((_, axis) => axis);
  const others = axes.filter((axis) => axis !== rowAxis && axis !== colAxis);
  const indexAt = (axis: number) => view.index[axis] ?? preview.index[axis] ?? 0;
  const chooseAxes = (rows: number, cols: number) =>
    void setView({ rowAxis: rows, colAxis: cols, rowStart: 0, colStart: 0, index: axes.map(indexAt) });
  const nCols = values[0]?.length ?? 0;
  // Dates alike down a column of labels: '2024-01-01 03:00', with no seconds where none has any.
  const rowCoords = preview.rowCoords ? compactDates(preview.rowCoords) : null;
  const colCoords = preview.colCoords ? compactDates(preview.colCoords) : null;
  const rowLabel = (r: number) => cellText(rowCoords?.[r] ?? (rowAxis === null ? 0 : preview.rowStart + r));
  const colLabel = (c: number) => cellText(colCoords?.[c] ?? preview.colStart + c);
  const corner = `${rowAxis === null ? '' : dims[rowAxis]}${colAxis === null ? '' : ` \\ ${dims[colAxis]}`}`;
  return (
    <>
      <div className="preview-controls">
        {shape.length >= 2 && rowAxis !== null && colAxis !== null && (
          <>
            <label>
              Rows
              <select
                value={rowAxis}
                onChange={(e) => {
                  const rows = Number(e.target.value);
                  chooseAxes(rows, rows === colAxis ? rowAxis : colAxis);
                }}
              >
                {axes.map((a) => (
                  <option key={a} value={a}>
                    {dims[a]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Columns
              <select
                value={colAxis}
                onChange={(e) => {
                  const cols = Number(e.target.value);
                  chooseAxes(cols === rowAxis ? colAxis : rowAxis, cols);
                }}
              >
                {axes.map((a) => (
                  <option key={a} value={a}>
                    {dims[a]}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <DimSliders
          dims={dims}
          shape={shape}
          others={others}
          shownIndex={preview.index}
          fixedCoords={preview.fixedCoords}
        />
      </div>
      <div className="pagers">
        {rowAxis !== null && (
          <Pager
            what="rows"
            start={preview.rowStart}
            shown={values.length}
            size={shape[rowAxis]!}
            step={PREVIEW_MAX_ROWS}
            go={(rowStart) => void setView({ rowStart })}
          />
        )}
        {colAxis !== null && (
          <Pager
            what="columns"
            start={preview.colStart}
            shown={nCols}
            size={shape[colAxis]!}
            step={PREVIEW_MAX_COLS}
            go={(colStart) => void setView({ colStart })}
          />
        )}
      </div>
      {/* Scrolled by the keyboard too, once it has the focus. */}
      <div className="preview-scroll" tabIndex={0}>
        <table className="preview-table" aria-label={`Values of ${name}`}>
          <thead>
            <tr>
              {/* Its dims are named in full by the Rows and Columns above and in its tooltip: it takes no column's room. */}
              <th scope="col" className="corner" title={corner}>
                {corner}
              </th>
              {colAxis === null ? (
                <th scope="col">value</th>
              ) : (
                Array.from({ length: nCols }, (_, c) => (
                  <th key={c} scope="col">
                    {colLabel(c)}
                  </th>
                ))
              )}
            </tr>
          </thead>
          <tbody>
            {values.map((row, r) => (
              <tr key={r}>
                <th scope="row">{rowAxis === null ? 'value' : rowLabel(r)}</th>
                {row.map((value, c) => (
                  <td key={c} title={value === null ? 'missing' : String(value)}>
                    {cellText(value, 4)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function TextView({ preview, name }: { preview: Extract<TreePreview, { kind: 'text' }>; name: string }) {
  return (
    <>
      <pre className="text-preview" aria-label={`First lines of ${name}`} tabIndex={0}>
        {preview.lines.join('\n')}
      </pre>
      {preview.truncated && (
        <p className="muted">
          The first {preview.lines.length} lines of {preview.size.toLocaleString()} bytes.
        </p>
      )}
    </>
  );
}

/** The Line and Heatmap views' own controls (which dim a line runs along; the heatmap's rows and columns). */
function SliceControls({ slice }: { slice: TreeSlice }) {
  const { setLineAxis, setView, view } = useData((s) => s);
  const { dims, shape, axes } = slice;
  const all = shape.map((_, axis) => axis);
  const others = all.filter((axis) => !axes.includes(axis));
  const index = all.map((axis) => view.index[axis] ?? slice.index[axis] ?? 0);
  const pick = (label: string, value: number, choose: (axis: number) => void) => (
    <label>
      {label}
      <select value={value} onChange={(e) => choose(Number(e.target.value))}>
        {all.map((a) => (
          <option key={a} value={a}>
            {dims[a]}
          </option>
        ))}
      </select>
    </label>
  );
  const [rows, cols] = axes as [number, number | undefined];
  return (
    <div className="preview-controls">
      {cols === undefined
        ? shape.length > 1 && pick('Along', rows, (axis) => void setLineAxis(axis))
        : [
            pick('Rows (y)', rows, (r) => {
              void setView({ rowAxis: r, colAxis: r === cols ? rows : cols, index });
            }),
            pick('Columns (x)', cols, (c) => {
              void setView({ rowAxis: c === rows ? cols : rows, colAxis: c, index });
            }),
          ].map((el, i) => <span key={i}>{el}</span>)}
      <DimSliders dims={dims} shape={shape} others={others} shownIndex={slice.index} fixedCoords={slice.fixedCoords} />
    </div>
  );
}

/**
 * Where the plot builder can draw a dataset: the file (null for the study's dataset) and the variable, or why not.
 * The builder draws a file's root variables over their dims; a dataset in a group, or a coordinate, it does not.
 */
function plotPlace(entry: TreeEntry, details: TreeDetails): { file: string | null; variable: string } | string {
  const inner = entry.id.path.replace(/^\//, '');
  if (!inner || inner.includes('/'))
    return `The plot builder draws the variables at a file's root; ${entry.name} is in a group.`;
  if (details.coordinate) return `${entry.name} is a coordinate: plot a variable over it.`;
  if (entry.id.root === 'dataset') return { file: null, variable: inner };
  const at = details.location.lastIndexOf(`:${entry.id.path}`);
  return { file: at > 0 ? details.location.slice(0, at) : (entry.id.file ?? null), variable: inner };
}

/** The plot builder's draft for what the view shows: its dims on x (and y), the other dims at their index. */
function draftOf(variable: string, details: TreeDetails, vis: Vis, shown: number[], index: number[]): Draft {
  const dims = details.dims ?? [];
  const isel = Object.fromEntries(dims.flatMap((d, axis) => (shown.includes(axis) ? [] : [[d, index[axis] ?? 0]])));
  const draft: Draft = { variable, kind: vis === 'heatmap' ? 'heatmap' : 'line' };
  if (vis === 'heatmap') {
    draft['y'] = dims[shown[0]!];
    draft['x'] = dims[shown[1]!];
  } else draft['x'] = dims[shown[0]!];
  if (Object.keys(isel).length) draft['isel'] = isel;
  return draft;
}

export function ValuePreview() {
  const { selected, details, preview, previewError, slice, sliceError, vis: wanted, setVis, view } = useData((s) => s);
  const plotThis = usePlots((s) => s.plotThis);
  const show = useUi((s) => s.show);
  if (!selected || (!preview && !previewError && !slice && !sliceError && details?.kind !== 'dataset')) return null;
  const can = visFor(details);
  const vis = visShown(details, wanted);
  const place = details && details.kind === 'dataset' ? plotPlace(selected, details) : null;
  const shownAxes =
    vis === 'matrix' || !slice
      ? preview?.kind === 'array'
        ? [preview.rowAxis, preview.colAxis].filter((a): a is number => a !== null)
        : []
      : slice.axes;
  const index = (details?.shape ?? []).map((_, axis) => view.index[axis] ?? 0);
  const error = vis === 'matrix' || vis === null ? previewError : sliceError;
  return (
    <section className="value-preview" aria-labelledby="preview-heading">
      <div className="vis-bar">
        <h2 id="preview-heading" className="visually-hidden">
          Values
        </h2>
        {can.length > 0 && (
          <div
            role="tablist"
            aria-label={`Views of ${selected.name}`}
            className="tabs vis-tabs"
            onKeyDown={(e) => {
              // The tabs pattern: the arrow keys choose the next or previous view.
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step || vis === null) return;
              e.preventDefault();
              const next = can[(can.indexOf(vis) + step + can.length) % can.length]!;
              void setVis(next);
              (e.currentTarget.querySelector(`#vis-tab-${next}`) as HTMLElement | null)?.focus();
            }}
          >
            {can.map((v) => (
              <button
                key={v}
                id={`vis-tab-${v}`}
                type="button"
                role="tab"
                aria-selected={v === vis}
                aria-controls="vis-panel"
                tabIndex={v === vis ? 0 : -1}
                onClick={() => void setVis(v)}
              >
                {v === 'matrix' ? 'Matrix' : v === 'line' ? 'Line' : 'Heatmap'}
              </button>
            ))}
          </div>
        )}
        {place !== null &&
          can.some((v) => v !== 'matrix') &&
          (typeof place === 'string' ? (
            <span className="muted">{place}</span>
          ) : (
            <button
              type="button"
              onClick={() => {
                const axes = shownAxes.length ? shownAxes : [(details?.shape?.length ?? 1) - 1];
                void plotThis(place.file, draftOf(place.variable, details!, vis ?? 'line', axes, index));
                show('Plots');
              }}
            >
              Plot this
            </button>
          ))}
      </div>
      <div id="vis-panel" role={can.length ? 'tabpanel' : undefined} aria-labelledby="preview-heading">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {vis !== 'matrix' && vis !== null && slice && (
          <>
            <SliceControls slice={slice} />
            <SliceView slice={slice} name={selected.name} />
          </>
        )}
        {(vis === 'matrix' || vis === null) && preview?.kind === 'array' && (
          <ArrayView preview={preview} name={selected.name} />
        )}
        {preview?.kind === 'text' && <TextView preview={preview} name={selected.name} />}
      </div>
    </section>
  );
}
