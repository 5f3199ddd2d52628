// The selected dataset's values as a table: two dims as rows and columns, a window of them at a time (the
// engine reads only that window), and a slider for each other dim. A text file shows its first lines.
import type { ArrayPreview, TreePreview } from '../../shared/data-tree';
import { PREVIEW_MAX_COLS, PREVIEW_MAX_ROWS } from '../../shared/data-tree';
import { useData } from '../app/stores';

type Cell = ArrayPreview['values'][number][number];

/** A value as the table shows it: up to six significant digits (the full value in its tooltip). */
export function cellText(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
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

function ArrayView({ preview, name }: { preview: ArrayPreview; name: string }) {
  const { view, setView } = useData((s) => s);
  const { dims, shape, rowAxis, colAxis, values } = preview;
  const axes = shape.map((_, axis) => axis);
  const others = axes.filter((axis) => axis !== rowAxis && axis !== colAxis);
  const indexAt = (axis: number) => view.index[axis] ?? preview.index[axis] ?? 0;
  const withIndex = (axis: number, at: number) => axes.map((a) => (a === axis ? at : indexAt(a)));
  const chooseAxes = (rows: number, cols: number) =>
    void setView({ rowAxis: rows, colAxis: cols, rowStart: 0, colStart: 0, index: axes.map(indexAt) });
  const nCols = values[0]?.length ?? 0;
  const rowLabel = (r: number) => cellText(preview.rowCoords?.[r] ?? (rowAxis === null ? 0 : preview.rowStart + r));
  const colLabel = (c: number) => cellText(preview.colCoords?.[c] ?? preview.colStart + c);
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
        {others.map((axis) => {
          const at = indexAt(axis);
          const coord = preview.fixedCoords[axis];
          const shownAt =
            coord === null || coord === undefined || at !== preview.index[axis] ? `#${at}` : cellText(coord);
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
              <th scope="col">
                {rowAxis === null ? '' : dims[rowAxis]}
                {colAxis === null ? '' : ` \\ ${dims[colAxis]}`}
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
                    {cellText(value)}
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

export function ValuePreview() {
  const { selected, preview, previewError } = useData((s) => s);
  if (!selected || (!preview && !previewError)) return null;
  return (
    <section className="value-preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Values</h2>
      {previewError && (
        <p role="alert" className="error">
          {previewError}
        </p>
      )}
      {preview?.kind === 'array' && <ArrayView preview={preview} name={selected.name} />}
      {preview?.kind === 'text' && <TextView preview={preview} name={selected.name} />}
    </section>
  );
}
