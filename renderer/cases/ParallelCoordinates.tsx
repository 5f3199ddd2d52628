// The cases as parallel coordinates (plotly's parcoords, WebGL): one axis per numeric parameter and output,
// lines coloured by a chosen output. Brushing an axis filters the table below; a range typed into a column's
// filter shows as a brush. Only the SQL condition narrows the lines drawn, so a brush never hides its own axis.
import { useEffect, useRef, useState } from 'react';
import { useCases } from '../app/stores';
import { purgePlot, withPlotly } from '../plots/plotly';
import { axesOf, filtersFromBrush } from './parallel';

export function ParallelCoordinates() {
  const { numeric: data, filters, setFilter, loadNumeric } = useCases((s) => s);
  const [colorBy, setColorBy] = useState<string>('');
  const root = useRef<HTMLDivElement>(null);
  // plotly's parcoords draws with WebGL; where it cannot (no GPU, or it is disabled) a message says so instead.
  const [noWebGl, setNoWebGl] = useState(false);
  useEffect(() => {
    if (data === null) void loadNumeric();
  }, [data, loadNumeric]);

  const columns = data?.columns ?? [];
  const outputs = columns.filter((c) => c.kind === 'output');
  const color = columns.find((c) => c.name === colorBy) ?? outputs[0] ?? columns.at(-1);
  const axes = axesOf(columns, filters);

  useEffect(() => {
    const el = root.current;
    if (!el) return;
    if (columns.length < 2 || !color || noWebGl) {
      purgePlot(el);
      return;
    }
    const colorAxis = axes[columns.indexOf(color)]!;
    const traces = [
      {
        type: 'parcoords',
        line: {
          color: colorAxis.values,
          colorscale: 'Viridis',
          showscale: true,
          colorbar: { title: { text: colorAxis.label } },
        },
        dimensions: axes.map((a) => ({
          label: a.label,
          values: a.values,
          ...(a.tickvals ? { tickvals: a.tickvals, ticktext: a.ticktext } : {}),
          ...(a.constraintrange ? { constraintrange: a.constraintrange } : {}),
        })),
      },
    ];
    void withPlotly(el, async (Plotly) => {
      const gd = await Plotly.react(
        el,
        traces,
        { margin: { t: 50, r: 60, b: 30, l: 60 }, height: 380 },
        {
          displaylogo: false,
          responsive: true,
        },
      );
      if (gd.querySelector('.no-webgl')) {
        Plotly.purge(gd);
        setNoWebGl(true);
        return;
      }
      const plot = gd as HTMLElement & {
        removeAllListeners?: (event: string) => void;
        on?: (event: string, handler: (change: unknown) => void) => void;
      };
      plot.removeAllListeners?.('plotly_restyle');
      plot.on?.('plotly_restyle', (change) => {
        const edits = Array.isArray(change) ? (change[0] as Record<string, unknown>) : {};
        for (const [column, text] of Object.entries(filtersFromBrush(edits, columns, axes))) setFilter(column, text);
      });
    });
  });
  useEffect(() => {
    const el = root.current;
    return () => {
      if (el) purgePlot(el);
    };
  }, []);

  if (columns.length < 2) return null;
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
            ? `${data.shown} of ${data.total} cases drawn, evenly spread`
            : `${data?.total ?? 0} cases`}
          ; drag along an axis to filter the table.
        </span>
      </div>
      {noWebGl && (
        <p role="status">
          Parallel coordinates need WebGL, which this browser does not offer (no GPU, or it is disabled); the table
          below filters the same way.
        </p>
      )}
      <div
        ref={root}
        className="plot"
        role="img"
        aria-label={`Parallel coordinates of ${data?.shown ?? 0} cases over ${axes.map((a) => a.label).join(', ')}, coloured by ${color?.name ?? ''}`}
      />
    </section>
  );
}
