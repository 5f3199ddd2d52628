// The run database's cases, however many: a virtualized table (only the rows in view are in the page), sorted
// by a click on a column's name, filtered per column or by an SQL condition, with a column chooser and CSV export.
// Each case once, at its latest attempt, unless every attempt is asked for; parameters and outputs come first.
import { useEffect, useRef, useState } from 'react';
import { useCases } from '../app/stores';

const ROW_HEIGHT = 28;
const VISIBLE_ROWS = 16;
const OVERSCAN = 10;

const LABELS: Record<string, string> = {
  _run_seq: 'run',
  _pset_seq: 'case',
  _status: 'status',
  _runtime_s: 'runtime (s)',
  _exec_host: 'host',
  _time_utc: 'time (UTC)',
  _error: 'error',
  _calc_dir: 'folder',
};
const label = (name: string) => LABELS[name] ?? name;
const RANK = { param: 0, output: 1, run: 2 } as const;

function show(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Number(value.toPrecision(6)));
  return String(value).split('\n')[0]!;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The tools over the table: the SQL condition, every attempt or the latest, the columns shown, CSV export. */
export function CasesTools() {
  const cases = useCases((s) => s);
  const [exported, setExported] = useState<string | null>(null);
  return (
    <div className="cases-tools">
      <label>
        Condition (SQL)
        <input
          type="text"
          value={cases.where}
          placeholder="e.g. _status = 'failed' AND a > 2"
          onChange={(e) => cases.setWhere(e.target.value)}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          role="switch"
          checked={cases.allAttempts}
          onChange={(e) => cases.setAllAttempts(e.target.checked)}
        />
        Every attempt
      </label>
      <details className="column-chooser">
        <summary>Columns</summary>
        <div>
          {cases.columns.map((c) => (
            <label key={c.name} className="check">
              <input type="checkbox" checked={!cases.hidden.has(c.name)} onChange={() => cases.toggleColumn(c.name)} />
              {label(c.name)}
            </label>
          ))}
        </div>
      </details>
      <button
        type="button"
        className="plain"
        disabled={cases.total === 0}
        onClick={() =>
          void cases.exportCsv().then(({ csv, rows }) => {
            download('cases.csv', csv);
            setExported(`Exported ${rows} cases to cases.csv.`);
          })
        }
      >
        Export CSV
      </button>
      <span className="cases-count" aria-live="polite">
        {cases.total} {cases.total === 1 ? 'case' : 'cases'}
        {!cases.allAttempts && cases.attempts > cases.total && ` (${cases.attempts} attempts)`}
        {exported && ` · ${exported}`}
      </span>
    </div>
  );
}

export function CasesTable() {
  const cases = useCases((s) => s);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(VISIBLE_ROWS * ROW_HEIGHT);
  const body = useRef<HTMLDivElement>(null);
  // As many rows as the pane shows (it is resized with the window and by the separator above it).
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, [cases.columns.length > 0]);
  const visible = Math.max(1, Math.ceil(height / ROW_HEIGHT));
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(cases.total - 1, Math.floor(scrollTop / ROW_HEIGHT) + visible + OVERSCAN);
  const { ensure, refresh, loaded } = cases;

  useEffect(() => {
    if (!loaded) void refresh();
  }, [loaded, refresh]);
  useEffect(() => {
    if (last >= first) ensure(first, last);
  }, [first, last, ensure, cases.total]);

  // What a case is (its parameters) and what it gave (its outputs) first; how it ran after.
  const shown = cases.columns
    .map((c, i) => ({ ...c, i }))
    .filter((c) => !cases.hidden.has(c.name))
    .sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.i - b.i);
  const template = shown.map((c) => (c.name === '_error' ? 'minmax(14rem, 2fr)' : 'minmax(6.5rem, 1fr)')).join(' ');
  const status = cases.columns.findIndex((c) => c.name === '_status');
  const rows = [];
  for (let r = first; r <= last; r++) {
    const row = cases.rows.get(r);
    rows.push(
      <div
        role="row"
        key={r}
        aria-rowindex={r + 2}
        className={`cases-row${row?.[status] === 'failed' ? ' failed' : ''}`}
        style={{ top: r * ROW_HEIGHT, gridTemplateColumns: template }}
      >
        {shown.map((c) => (
          <div role="cell" key={c.name} className={`cases-cell ${c.kind}`} title={row ? String(row[c.i] ?? '') : ''}>
            {row ? show(row[c.i] ?? null) : '…'}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div className="panel cases-page">
      {cases.error && (
        <p role="alert" className="error">
          {cases.error}
        </p>
      )}
      {cases.loaded && cases.columns.length === 0 && !cases.error ? (
        <p className="muted">No cases yet: the run database fills as the study runs (Run, in the run bar below).</p>
      ) : (
        <div className="cases-scroll">
          <div role="table" aria-label="Cases" aria-rowcount={cases.total + 1} className="cases-table">
            <div role="rowgroup">
              <div role="row" aria-rowindex={1} className="cases-head" style={{ gridTemplateColumns: template }}>
                {shown.map((c) => {
                  const sorted = cases.sort?.column === c.name ? cases.sort : null;
                  return (
                    <div
                      role="columnheader"
                      key={c.name}
                      aria-sort={sorted ? (sorted.descending ? 'descending' : 'ascending') : 'none'}
                      className={`cases-cell ${c.kind}`}
                    >
                      <button type="button" className="sort" onClick={() => cases.sortBy(c.name)}>
                        {label(c.name)}
                        {sorted ? (sorted.descending ? ' ▼' : ' ▲') : ''}
                      </button>
                      <input
                        type="text"
                        aria-label={`Filter ${label(c.name)}`}
                        placeholder="filter"
                        value={cases.filters[c.name] ?? ''}
                        onChange={(e) => cases.setFilter(c.name, e.target.value)}
                      />
                    </div>
                  );
                })}
              </div>
            </div>
            <div
              role="rowgroup"
              ref={body}
              // Scrolled by the keyboard too (arrows, Page Up/Down) once it has the focus.
              tabIndex={0}
              className="cases-body"
              onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
            >
              <div style={{ height: cases.total * ROW_HEIGHT, position: 'relative' }}>{rows}</div>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
