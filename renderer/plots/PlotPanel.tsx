import { useEffect, useRef, useState } from 'react';
import { usePlots } from '../app/stores';
import { purgePlot, withPlotly } from './plotly';
import { lineTraces } from './line-traces';

/** Which file is plotted: the study's dataset, or any HDF5/NetCDF file by its path. */
function DataFile() {
  const { file, openFile } = usePlots((s) => s);
  const [path, setPath] = useState('');
  return (
    <form
      className="plot-controls"
      aria-label="Data file"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void openFile(path.trim());
      }}
    >
      <label>
        HDF5 / NetCDF file
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/data.nc" />
      </label>
      <button type="submit" className="plain" disabled={!path.trim()}>
        Open file
      </button>
      {file && (
        <button type="button" className="plain" onClick={() => void openFile(null)}>
          Back to the study&apos;s dataset
        </button>
      )}
      <span className="plot-file">{file ? `Showing ${file}` : "Showing the study's dataset"}</span>
    </form>
  );
}

export function PlotPanel() {
  const plot = usePlots((s) => s);
  const root = useRef<HTMLDivElement>(null);
  const variable = plot.info?.variables.find((v) => v.name === plot.variable);
  const traces = plot.slice && plot.x ? lineTraces(plot.slice, plot.x, plot.hue) : [];

  useEffect(() => {
    if (!root.current) return;
    const el = root.current;
    if (traces.length === 0) return purgePlot(el);
    const layout = {
      margin: { t: 30, r: 20, b: 50, l: 60 },
      xaxis: { title: { text: plot.x ?? '' } },
      yaxis: { title: { text: plot.variable ?? '' } },
      legend: { title: { text: plot.hue ?? '' } },
    };
    void withPlotly(el, (Plotly) => Plotly.react(el, traces, layout, { displaylogo: false, responsive: true }));
  });
  useEffect(() => {
    const el = root.current;
    return () => {
      if (el) purgePlot(el);
    };
  }, []);

  if (!plot.info) {
    return (
      <section className="panel" aria-labelledby="plot-heading">
        <h2 id="plot-heading">Plot</h2>
        <DataFile />
        <p>{plot.error ?? 'No dataset yet: run the study, and its results appear here.'}</p>
      </section>
    );
  }
  const dims = variable?.dims ?? [];
  const dimSize = (name: string) => plot.info?.dims.find((d) => d.name === name)?.size ?? 1;
  const dimValues = (name: string) => plot.info?.dims.find((d) => d.name === name)?.values ?? null;
  return (
    <section className="panel" aria-labelledby="plot-heading">
      <h2 id="plot-heading">Plot</h2>
      <DataFile />
      <div className="plot-controls">
        <label>
          Variable
          <select value={plot.variable ?? ''} onChange={(e) => void plot.choose({ variable: e.target.value })}>
            {plot.info.variables.map((v) => (
              <option key={v.name} value={v.name}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          x
          <select value={plot.x ?? ''} onChange={(e) => void plot.choose({ x: e.target.value })}>
            {dims.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label>
          Lines (hue)
          <select value={plot.hue ?? ''} onChange={(e) => void plot.choose({ hue: e.target.value || null })}>
            <option value="">none</option>
            {dims
              .filter((d) => d !== plot.x)
              .map((d) => (
                <option key={d}>{d}</option>
              ))}
          </select>
        </label>
        {dims
          .filter((d) => d !== plot.x && d !== plot.hue)
          .map((d) => {
            const values = dimValues(d);
            return (
              <label key={d}>
                {d}
                <select
                  value={plot.fixed[d] ?? 0}
                  onChange={(e) => void plot.choose({ fixed: { ...plot.fixed, [d]: Number(e.target.value) } })}
                >
                  {Array.from({ length: dimSize(d) }, (_, i) => (
                    <option key={i} value={i}>
                      {values ? String(values[i]) : i}
                    </option>
                  ))}
                </select>
              </label>
            );
          })}
      </div>
      {plot.error && (
        <p role="alert" className="error">
          {plot.error}
        </p>
      )}
      <div
        ref={root}
        className="plot"
        role="img"
        aria-label={`Line plot of ${plot.variable ?? ''} against ${plot.x ?? ''}`}
      />
    </section>
  );
}
