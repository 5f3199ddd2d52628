// The facet plot builder: pick a variable and a kind, put dims on x, y, hue, columns, rows and frames (or leave
// them to auto-encoding), fix or reduce the other dims, and see the plot as it is edited. The engine computes what
// is drawn (plot.data); plots are saved to plots.yaml and exported (PDF, SVG, PNG) into eval/<timestamp>/.
import { useEffect, useRef, useState } from 'react';
import { PathForm } from '../app/PathForm';
import { SplitPane } from '../app/SplitPane';
import { usePlots, useStudy } from '../app/stores';
import { viewOf } from './plot-store';
import type { Draft } from './plot-store';
import { Builder } from './PlotBuilder';
import { showCanvasLines } from './canvas-lines';
import { describePlot, figureOf } from './figure';
import { followWidth, plotlyReady, purgePlot, withPlotly } from './plotly';
import { ExportControls } from './ExportControls';
import { savedPlotProblem } from './saved-problem';
import { themedLayout, useDarkScheme } from './theme';

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

export function PlotPanel() {
  const { info, draft, data, error, message, edit, computing, savedName, chooseVariable } = usePlots((s) => s);
  const hasStudy = useStudy((s) => s.study !== null);
  const dark = useDarkScheme();
  const root = useRef<HTMLDivElement>(null);
  // plotly is loaded with the first plot, which then waits a second or two for it.
  const [loadingPlotly, setLoadingPlotly] = useState(false);
  const [drawError, setDrawError] = useState<string | null>(null);
  // What the controls show: the plot as given (its based_on chain resolved), with the draft's own changes on top.
  const view: Draft | null = draft && viewOf(draft, data?.given);
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
              {!variable && view && (
                // A saved plot of a variable this file does not have: its Variable, to choose one it has.
                <label>
                  Variable
                  <select value="" onChange={(e) => e.target.value && void chooseVariable(e.target.value)}>
                    <option value="">{String(view.variable ?? 'choose…')} (not in this file)</option>
                    {info.variables.map((v) => (
                      <option key={v.name} value={v.name}>
                        {v.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
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
              {savedName && data === null && draft ? savedPlotProblem(error, savedName) : error}
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
