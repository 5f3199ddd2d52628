// The facet plot builder: pick a variable and a kind, put dims on x, y, hue, columns, rows and frames (or leave
// them to auto-encoding), fix or reduce the other dims, and see the plot as it is edited. The engine computes what
// is drawn (plot.data); plots are saved to plots.yaml and exported (PDF, SVG, PNG) into eval/<timestamp>/.
import { useEffect, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import type { DatasetInfo } from '../../shared/api';
import { ENCODINGS, KIND_ENCODINGS, PLOT_KINDS, REDUCERS } from '../../shared/plot-spec';
import type { Encoding, PlotData } from '../../shared/plot-spec';
import { PathForm } from '../app/PathForm';
import { SplitPane } from '../app/SplitPane';
import { usePlots, useStudy } from '../app/stores';
import { dimChoice } from './plot-store';
import type { Draft } from './plot-store';
import { showCanvasLines } from './canvas-lines';
import { describePlot, figureOf } from './figure';
import { followWidth, plotlyReady, purgePlot, withPlotly } from './plotly';
import { pythonSnippet } from './python';
import { themedLayout, useDarkScheme } from './theme';
import type { ExportFormat } from './export';

/** Which file is plotted: the study's dataset, or any HDF5/NetCDF file by its path. */
function DataFile() {
  const { file, openFile } = usePlots((s) => s);
  const hasStudy = useStudy((s) => s.study !== null);
  return (
    <PathForm
      name="Data file"
      label="HDF5 / NetCDF file"
      button="Open file"
      placeholder="/path/to/data.nc"
      onSubmit={openFile}
    >
      {file && hasStudy && (
        <button type="button" className="plain" onClick={() => void openFile(null)}>
          Back to the study&apos;s dataset
        </button>
      )}
      <span className="plot-file">
        {file ? `Showing ${file}` : hasStudy ? "Showing the study's dataset" : 'No file open yet'}
      </span>
    </PathForm>
  );
}

/** The drag data type of a dim dragged onto an encoding. */
const DIM_TYPE = 'text/x-furrow-dim';

const ENCODING_LABELS: Record<Encoding, string> = {
  x: 'x',
  y: 'y',
  hue: 'Lines (hue)',
  col: 'Columns',
  row: 'Rows',
  frames: 'Frames',
};

/** The plots of plots.yaml: pick one to draw and edit it, save the draft under a name, remove one. */
function SavedPlots() {
  const { saved, savedName, useSaved, save, remove, draft } = usePlots((s) => s);
  const [name, setName] = useState(savedName ?? '');
  useEffect(() => setName(savedName ?? ''), [savedName]);
  return (
    <div className="plot-controls" role="group" aria-label="Saved plots">
      <label>
        Saved plot
        <select
          aria-label="Saved plot"
          value={savedName ?? ''}
          onChange={(e) => e.target.value && void useSaved(e.target.value)}
        >
          <option value="">{saved.length ? 'choose…' : 'none in plots.yaml yet'}</option>
          {saved.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
              {p.error ? ' (cannot be drawn)' : p.enabled ? '' : ' (a base)'}
            </option>
          ))}
        </select>
      </label>
      <label>
        Plot name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. mean_walk" />
      </label>
      <button type="button" disabled={!draft || !name.trim()} onClick={() => void save(name.trim())}>
        Save plot
      </button>
      {savedName && (
        <button type="button" className="plain" onClick={() => void remove(savedName)}>
          Remove {savedName}
        </button>
      )}
    </div>
  );
}

type Variable = DatasetInfo['variables'][number];

/** How one dim not on an encoding is treated: left to auto-encoding, fixed at a value, or reduced. */
function DimChoice({ dim, size, draft, info }: { dim: string; size: number; draft: Draft; info: DatasetInfo }) {
  const edit = usePlots((s) => s.edit);
  const isel = (draft['isel'] ?? {}) as Record<string, number>;
  const sel = (draft['sel'] ?? {}) as Record<string, unknown>;
  const reduce = (draft['reduce'] ?? {}) as Record<string, string>;
  const values = info.dims.find((d) => d.name === dim)?.values ?? null;
  const selIndex = dim in sel && values ? values.findIndex((v) => v === sel[dim]) : -1;
  const current =
    dim in isel
      ? `isel:${isel[dim]}`
      : selIndex >= 0
        ? `isel:${selIndex}`
        : dim in reduce
          ? `reduce:${reduce[dim]}`
          : 'free';
  const choose = (value: string) => void edit(dimChoice(draft, dim, value));
  const shown = Math.min(size, 1000);
  return (
    <label>
      {dim}
      <select aria-label={`How ${dim} is shown`} value={current} onChange={(e) => choose(e.target.value)}>
        <option value="free">on a free encoding</option>
        <optgroup label="reduced">
          {REDUCERS.map((r) => (
            <option key={r} value={`reduce:${r}`}>
              {r} over {dim}
            </option>
          ))}
        </optgroup>
        <optgroup label={`fixed at one value${size > shown ? ` (the first ${shown})` : ''}`}>
          {Array.from({ length: shown }, (_, i) => (
            <option key={i} value={`isel:${i}`}>
              {dim} = {values ? String(values[i]) : i}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}

function Builder({
  info,
  variable,
  draft,
  data,
}: {
  info: DatasetInfo;
  variable: Variable;
  draft: Draft;
  data: PlotData | null;
}) {
  const { edit, chooseVariable } = usePlots((s) => s);
  const kind = (draft['kind'] as string | undefined) ?? 'auto';
  const encodings: readonly Encoding[] =
    kind === 'auto' ? ENCODINGS : (KIND_ENCODINGS[kind as keyof typeof KIND_ENCODINGS] ?? ENCODINGS);
  const mapped = new Set(encodings.map((e) => draft[e]).filter((d): d is string => typeof d === 'string'));
  /** Put a dim on an encoding (or take the encoding's dim off, with undefined): it is no longer fixed or reduced. */
  const assign = (e: Encoding, dim: string | undefined, move = false) => {
    const drop = (key: string) => {
      const { [dim ?? '']: _gone, ...rest } = (draft[key] ?? {}) as Record<string, unknown>;
      return Object.keys(rest).length ? rest : undefined;
    };
    // A dim dragged from another encoding leaves it (picked in a select, it is mapped twice: the builder says so).
    const moved = move
      ? Object.fromEntries(encodings.filter((o) => o !== e && draft[o] === dim).map((o) => [o, undefined]))
      : {};
    void edit({ ...moved, [e]: dim, isel: drop('isel'), sel: drop('sel'), reduce: drop('reduce') });
  };
  /**
   * A kind chosen. errorbands need a dim to take the mean ± std over: when every dim is on one of their encodings
   * or fixed at a value (the first look fixes each dim it does not map), the smallest fixed dim is freed for it.
   */
  const chooseKind = (next: string) => {
    if (next !== 'errorbands' || draft['over'] !== undefined) return void edit({ kind: next });
    const isel = (draft['isel'] ?? {}) as Record<string, unknown>;
    const sel = (draft['sel'] ?? {}) as Record<string, unknown>;
    const reduce = (draft['reduce'] ?? {}) as Record<string, unknown>;
    const onEncodings = new Set(KIND_ENCODINGS.errorbands.map((e) => draft[e]));
    const fixed = variable.dims.filter((d) => d in isel || d in sel);
    const left = variable.dims.filter((d) => !onEncodings.has(d) && !fixed.includes(d) && !(d in reduce));
    if (left.length > 0 || fixed.length === 0) return void edit({ kind: next });
    const size = (d: string) => variable.shape[variable.dims.indexOf(d)]!;
    const over = fixed.reduce((a, b) => (size(b) < size(a) ? b : a));
    const { [over]: _i, ...keepIsel } = isel;
    const { [over]: _s, ...keepSel } = sel;
    void edit({
      kind: next,
      over,
      isel: Object.keys(keepIsel).length ? keepIsel : undefined,
      sel: Object.keys(keepSel).length ? keepSel : undefined,
    });
  };
  /** Dims are dragged as text/x-furrow-dim onto an encoding; the selects do the same from the keyboard. */
  const dropTarget = (e: Encoding) => ({
    onDragOver: (ev: DragEvent) => {
      if (ev.dataTransfer.types.includes(DIM_TYPE)) ev.preventDefault();
    },
    onDrop: (ev: DragEvent) => {
      const dim = ev.dataTransfer.getData(DIM_TYPE);
      if (!dim || !variable.dims.includes(dim)) return;
      ev.preventDefault();
      assign(e, dim, true);
    },
  });
  const text = (key: string, label: string) => (
    <label>
      {label}
      <input
        value={(draft[key] as string | undefined) ?? ''}
        placeholder={key === 'title' ? variable.name : 'from the data'}
        onChange={(e) => void edit({ [key]: e.target.value || undefined })}
      />
    </label>
  );
  return (
    <>
      <div className="plot-controls" role="group" aria-label="What to plot">
        <label>
          Variable
          <select aria-label="Variable" value={variable.name} onChange={(e) => void chooseVariable(e.target.value)}>
            {info.variables.map((v) => (
              <option key={v.name} value={v.name}>
                {v.name} ({v.dims.join(', ') || 'scalar'})
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select aria-label="Kind" value={kind} onChange={(e) => chooseKind(e.target.value)}>
            {PLOT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'auto' ? `auto${data && kind === 'auto' ? ` (${data.kind})` : ''}` : k}
              </option>
            ))}
          </select>
        </label>
        {encodings.map((e) => {
          const auto = data?.spec[e];
          return (
            <label key={e} className="drop-target" {...dropTarget(e)}>
              {ENCODING_LABELS[e]}
              <select
                aria-label={ENCODING_LABELS[e]}
                value={(draft[e] as string | undefined) ?? ''}
                onChange={(ev) => assign(e, ev.target.value || undefined)}
              >
                <option value="">{auto && draft[e] === undefined ? `auto (${auto})` : 'auto'}</option>
                {variable.dims.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
      <div className="dim-chips" role="list" aria-label="Dims (drag one onto an encoding)">
        {variable.dims.map((d) => (
          <span
            key={d}
            role="listitem"
            className={`dim-chip${mapped.has(d) ? ' mapped' : ''}`}
            draggable
            onDragStart={(ev) => {
              ev.dataTransfer.setData(DIM_TYPE, d);
              ev.dataTransfer.effectAllowed = 'move';
            }}
          >
            {d} <small>{variable.shape[variable.dims.indexOf(d)]}</small>
          </span>
        ))}
      </div>
      {variable.dims.some((d) => !mapped.has(d)) && (
        <div className="plot-controls" role="group" aria-label="The other dims">
          {variable.dims
            .filter((d) => !mapped.has(d))
            .map((d) => (
              <DimChoice
                key={d}
                dim={d}
                size={variable.shape[variable.dims.indexOf(d)] ?? 1}
                draft={draft}
                info={info}
              />
            ))}
        </div>
      )}
      <details className="plot-details">
        <summary>Title, labels, scales</summary>
        <div className="plot-controls" role="group" aria-label="Title, labels, scales">
          {text('title', 'Title')}
          {text('xlabel', 'x label')}
          {text('ylabel', 'y label')}
          <label className="inline">
            <input
              type="checkbox"
              checked={draft['xscale'] === 'log'}
              onChange={(e) => void edit({ xscale: e.target.checked ? 'log' : undefined })}
            />
            log x
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={draft['yscale'] === 'log'}
              onChange={(e) => void edit({ yscale: e.target.checked ? 'log' : undefined })}
            />
            log y
          </label>
          <label>
            Legend
            <select
              aria-label="Legend"
              value={(draft['legend'] as string | undefined) ?? 'right'}
              onChange={(e) => void edit({ legend: e.target.value === 'right' ? undefined : e.target.value })}
            >
              {['right', 'top', 'bottom', 'none'].map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
        </div>
      </details>
    </>
  );
}

function ExportControls({ data }: { data: PlotData | null }) {
  const { exportPlot, exportAll, exporting, saved } = usePlots((s) => s);
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [python, setPython] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    setPython(null);
    setCopied(null);
  }, [data]);
  return (
    <>
      <div className="plot-controls" role="group" aria-label="Export">
        <label>
          Format
          <select aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            <option value="pdf">PDF (vector)</option>
            <option value="svg">SVG</option>
            <option value="png">PNG</option>
          </select>
        </label>
        <button type="button" disabled={!data || exporting} onClick={() => void exportPlot(format)}>
          Export this plot
        </button>
        <button
          type="button"
          className="plain"
          disabled={exporting || !saved.some((p) => p.enabled)}
          onClick={() => void exportAll(format)}
        >
          Export all saved plots
        </button>
        <button
          type="button"
          className="plain"
          disabled={!data}
          onClick={() => {
            if (!data) return;
            const snippet = pythonSnippet(data);
            setPython(snippet);
            setCopied(null);
            // The clipboard may be refused (a page not in focus, a browser's policy): then the lines are there to copy.
            void (navigator.clipboard?.writeText(snippet) ?? Promise.reject(new Error('no clipboard'))).then(
              () => setCopied('Copied'),
              () => setCopied('Select the lines below to copy them'),
            );
          }}
        >
          Copy as Python
        </button>
        {copied && (
          <span role="status" className="copied">
            {copied}
          </span>
        )}
      </div>
      {python && (
        <pre className="python" aria-label="Python for this plot">
          {python}
        </pre>
      )}
    </>
  );
}

export function PlotPanel() {
  const { info, draft, data, error, message, edit, computing } = usePlots((s) => s);
  const hasStudy = useStudy((s) => s.study !== null);
  const dark = useDarkScheme();
  const root = useRef<HTMLDivElement>(null);
  // plotly is loaded with the first plot, which then waits a second or two for it.
  const [loadingPlotly, setLoadingPlotly] = useState(false);
  const [drawError, setDrawError] = useState<string | null>(null);
  // What the controls show: the plot as given (its based_on chain resolved), with the draft's own changes on top.
  const view: Draft | null = draft && { ...(data?.given as Draft | undefined), ...draft };
  const variable = info?.variables.find((v) => v.name === view?.variable);

  useEffect(() => {
    if (!root.current) return;
    const el = root.current;
    if (!data) {
      showCanvasLines(el, null);
      return purgePlot(el);
    }
    const figure = figureOf(data);
    setDrawError(null);
    if (!plotlyReady()) setLoadingPlotly(true);
    void withPlotly(el, async (Plotly) => {
      setLoadingPlotly(false);
      showCanvasLines(el, null); // the lines before go with their plot, not drawn again on the new frame
      await Plotly.react(el, figure.data, themedLayout(figure.layout, dark), { displaylogo: false });
      showCanvasLines(el, figure.canvas ?? null);
      setDrawError(null); // a plot before this one may have failed after this one was asked for
    })
      .catch((error: unknown) => setDrawError(`The plot could not be drawn: ${(error as Error).message}`))
      .finally(() => setLoadingPlotly(false));
  }, [data, dark]);
  useEffect(() => {
    const el = root.current;
    const stop = el ? followWidth(el) : undefined;
    return () => {
      stop?.();
      if (el) purgePlot(el);
    };
  }, []);

  const noData = hasStudy
    ? 'No dataset yet: Run (in the run bar below) runs the study, and its results appear here.'
    : 'Open an HDF5 or NetCDF file above to plot it (or a study, from the Start page).';
  return (
    <>
      <div className="page-head">
        <h1>Plots</h1>
        <DataFile />
      </div>
      <SplitPane id="plots" direction="row" initial={380} min={260} minOther={360} label="Resize the plot builder">
        <div className="panel plot-side" role="region" aria-label="Plot builder">
          {!info ? (
            <p>{error ?? noData}</p>
          ) : (
            <>
              <SavedPlots />
              {variable && view && <Builder info={info} variable={variable} draft={view} data={data} />}
            </>
          )}
        </div>
        <div className="plot-main" role="region" aria-label="Plot view">
          {info && <ExportControls data={data} />}
          {message && (
            <p role="status" className="plot-message">
              {message}
            </p>
          )}
          {info && error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          {drawError && (
            <p role="alert" className="error">
              {drawError}
            </p>
          )}
          <div className="plot-area">
            <p className="plot-busy" aria-live="polite">
              {computing
                ? 'Computing the plot…'
                : loadingPlotly
                  ? 'Loading the plotting library (first plot only)…'
                  : ''}
            </p>
            <div
              ref={root}
              className="plot"
              role="figure"
              aria-label={data ? describePlot(data) : 'No plot'}
              aria-busy={computing || loadingPlotly}
            />
          </div>
          {data?.frames && (
            <label className="frames">
              {data.frames.dim} = {data.frames.labels[data.frames.index]}
              <input
                type="range"
                aria-label={`Frame (${data.frames.dim})`}
                min={0}
                max={data.frames.labels.length - 1}
                value={data.frames.index}
                aria-valuetext={`${data.frames.dim} = ${data.frames.labels[data.frames.index]}`}
                onChange={(e) => void edit({ frame: Number(e.target.value) })}
              />
            </label>
          )}
        </div>
      </SplitPane>
    </>
  );
}
