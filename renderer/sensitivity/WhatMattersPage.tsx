// The What matters page: which parameters move each output. Per output, S1 and ST bars with their 95 % intervals
// (most influential first), Morris's μ*–σ scatter, or a grid's main effects, with the numbers in a table and an
// export like every plot's; second-order indices as a table of pairs; an output with dims of its own as lines over
// its first dim (one per parameter and index, with their intervals), or, a dim reduced as the user chooses beside
// them (mean over t, …), the indices of what is left. When the cases cannot answer, the page says what to run and
// offers to run it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { REDUCERS } from '../../shared/plot-spec';
import type { Reducer } from '../../shared/plot-spec';
import type { SensitivityMethod, SensitivityReport } from '../../shared/sensitivity';
import { useRuns, useSensitivity, useStudy } from '../app/stores';
import { usePlotHost, withPlotly } from '../plots/plotly';
import { themedLayout, useDarkScheme } from '../plots/theme';
import type { SensitivityFigure } from './figures';
import {
  alongFigure,
  mainEffectsFigure,
  ranked,
  rankedAlong,
  rankKey,
  reductionWords,
  sameInEveryCase,
  secondOrderPairs,
  sensitivityFigure,
} from './figures';
import type { Reduction } from './sensitivity-store';
import { ColumnHeads } from '../app/ColumnHeads';

const METHODS: [SensitivityMethod | '', string][] = [
  ['', 'What the latest design allows'],
  ['sobol', 'Sobol indices (a Saltelli design)'],
  ['morris', 'Morris elementary effects (a Morris design)'],
  ['given-data', 'First order from any cases (given data)'],
  ['grid', 'Main effects of a full grid'],
];

const DESCRIBED: Record<SensitivityMethod, string> = {
  sobol: 'Sobol indices: S1, the share of the variance a parameter explains alone; ST, with all its interactions',
  morris: "Morris's elementary effects: μ*, how much a parameter moves the output; σ, how unevenly (interactions)",
  'given-data': 'First-order indices from the cases run (given data)',
  grid: 'Exact main effects of the full grid',
};

const fmt = (v: number | undefined) => (v === undefined ? '' : Math.abs(v) >= 1e4 ? v.toPrecision(3) : v.toFixed(3));

function Figure({ figure, label }: { figure: SensitivityFigure; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const dark = useDarkScheme();
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    void withPlotly(el, async (Plotly) => {
      await Plotly.react(el, figure.data, themedLayout({ ...figure.layout, height: 340 }, dark), {
        displaylogo: false,
        responsive: false,
      });
      el.dataset['drawn'] = 'true';
    }).catch(() => undefined);
  }, [figure, dark]);
  usePlotHost(host);
  return <div ref={host} className="sensitivity-figure" role="figure" aria-label={label} />;
}

/** One output's panel: its name (and what of it is shown), its controls and export, and its indices beneath. */
function OutputPanel({
  output,
  shown,
  controls,
  onExport,
  children,
}: {
  output: string;
  /** What of the output the panel shows ("over t", "mean over t"). */
  shown?: string;
  controls?: ReactNode;
  /** Export what is shown as a PDF; absent while there is nothing to export. */
  onExport: (() => void) | null;
  children: ReactNode;
}) {
  const exporting = useSensitivity((s) => s.exporting);
  return (
    <section className="panel sensitivity-output" aria-labelledby={`sensitivity-${output}`}>
      <div className="row">
        <h2 id={`sensitivity-${output}`}>
          {output}
          {shown && <span className="muted"> {shown}</span>}
        </h2>
        <span className="spacer" />
        {controls}
        <button type="button" disabled={exporting || !onExport} onClick={() => onExport?.()}>
          Export {output} as PDF
        </button>
      </div>
      {children}
    </section>
  );
}

/** A scalar output: its indices as bars (or Morris's scatter), and their table. */
function ScalarSection({ report, output }: { report: SensitivityReport; output: string }) {
  const exportOutput = useSensitivity((s) => s.exportOutput);
  return (
    <OutputPanel
      output={output}
      onExport={sameInEveryCase(report, output) ? null : () => void exportOutput(output, 'pdf')}
    >
      <Indices report={report} output={output} />
    </OutputPanel>
  );
}

/**
 * An output's indices, a number each per parameter: the figure (bars, Morris's scatter, a grid's main effects), their
 * table and the pairs' S2. `shown`: how the output was reduced to one number per case, if it was.
 */
function Indices({ report, output, shown }: { report: SensitivityReport; output: string; shown?: string }) {
  const rows = ranked(report, output);
  const sobol = report.method === 'sobol';
  const morris = report.method === 'morris';
  const what = morris ? 'μ* and σ' : sobol ? 'S1 and ST' : 'S1';
  const order = rows.map(([p]) => p).join(', ');
  const effects = report.method === 'grid' ? mainEffectsFigure(report, output) : null;
  const key = rankKey(report.method);
  const of = shown ? `${output}, ${shown}` : output;
  if (sameInEveryCase(report, output)) {
    return (
      <p role="note" className="note">
        {shown ? `The ${shown} of ${output}` : output} is the same in every case: no parameter moves it.
        {shown ? ' Choose another reduction, or per coordinate.' : ''}
      </p>
    );
  }
  return (
    <>
      <Figure
        figure={sensitivityFigure(report, output)}
        label={`${what} of ${shown ? `${output} (${shown})` : output}, most influential first: ${order}`}
      />
      {effects && <Figure figure={effects} label={`Main effects of ${output}: its mean against each parameter`} />}
      <table className="sensitivity-table">
        <caption>
          {what} of {of}, by {key === 'mu_star' ? 'μ*' : key}
          {report.method === 'grid' ? '' : ' (± half the 95 % interval)'}
        </caption>
        <ColumnHeads names={['Parameter', ...(morris ? ['μ*', 'μ', 'σ'] : sobol ? ['S1', 'ST'] : ['S1'])]} />
        <tbody>
          {rows.map(([param, s]) => (
            <tr key={param}>
              <th scope="row">{param}</th>
              {morris ? (
                <>
                  <td>
                    {fmt(s.mu_star)} ± {fmt(s.mu_star_conf)}
                  </td>
                  <td>{fmt(s.mu)}</td>
                  <td>{fmt(s.sigma)}</td>
                </>
              ) : (
                <>
                  <td>
                    {fmt(s.S1)}
                    {s.S1_conf === undefined ? '' : ` ± ${fmt(s.S1_conf)}`}
                  </td>
                  {sobol && (
                    <td>
                      {fmt(s.ST)} ± {fmt(s.ST_conf)}
                    </td>
                  )}
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <SecondOrder report={report} output={output} of={of} />
    </>
  );
}

/** A design with second-order indices: each pair's S2 ± half its 95 % interval, the largest first. */
function SecondOrder({ report, output, of }: { report: SensitivityReport; output: string; of: string }) {
  const pairs = secondOrderPairs(report, output);
  if (pairs.length === 0) return null;
  return (
    <table className="sensitivity-table">
      <caption>S2 of {of}: what each pair adds together beyond their own effects (± half the 95 % interval)</caption>
      <ColumnHeads names={['Pair', 'S2']} />
      <tbody>
        {pairs.map(({ pair, value, conf }) => (
          <tr key={pair.join('\u0000')}>
            <th scope="row">
              {pair[0]} × {pair[1]}
            </th>
            <td>
              {fmt(value)} ± {fmt(conf)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the lines of a method show, for the figure's name. */
const ALONG_WHAT: Record<SensitivityMethod, string> = {
  sobol: 'S1 and ST',
  morris: 'μ*',
  'given-data': 'S1',
  grid: 'S1',
};

/**
 * How each of an output's own dims is analysed: per coordinate (the indices at each, as lines over the first), or
 * reduced first by one of the plot builder's reducers, so that its indices are of the mean over t (say).
 */
function ReduceControls({ output, dims, reduce }: { output: string; dims: string[]; reduce: Reduction }) {
  const reduceDim = useSensitivity((s) => s.reduceDim);
  return dims.map((dim) => (
    <label key={dim}>
      Along {dim}{' '}
      <select
        aria-label={`How ${dim} of ${output} is analysed`}
        value={reduce[dim] ?? ''}
        onChange={(e) => void reduceDim(output, dim, (e.target.value || null) as Reducer | null)}
      >
        <option value="">per coordinate</option>
        <optgroup label="reduced">
          {REDUCERS.map((r) => (
            <option key={r} value={r}>
              {r} over {dim}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  ));
}

/**
 * An output with dims of its own: its indices per coordinate, as lines over its first dim (the others fixed where
 * chosen), or, with dims reduced as the user chose, the indices of what is left (bars when nothing is).
 */
function OwnDimsSection({ report, output }: { report: SensitivityReport; output: string }) {
  const exportOutput = useSensitivity((s) => s.exportOutput);
  const reduced = useSensitivity((s) => s.reduced[output]);
  const shownFrom = reduced ? reduced.report : report;
  const along = shownFrom?.along[output];
  const words = reduced ? reductionWords(reduced.reduce) : '';
  // The positions the dims past the first are fixed at, while the same dims are left (else each at its first).
  const left = along?.dims.map((d) => d.name).join('\u0000') ?? '';
  const [fixed, setFixed] = useState<{ dims: string; at: number[] }>({ dims: '', at: [] });
  const at = fixed.dims === left ? fixed.at : [];
  const others = along?.dims.slice(1) ?? [];
  const shown = [along ? `over ${along.dims[0]!.name}` : '', words].filter(Boolean).join(', ');
  const controls = (
    <>
      <ReduceControls
        output={output}
        dims={report.along[output]!.dims.map((d) => d.name)}
        reduce={reduced?.reduce ?? {}}
      />
      {others.map((d, i) => (
        <label key={d.name}>
          at {d.name}{' '}
          <select
            value={at[i] ?? 0}
            onChange={(e) =>
              setFixed({ dims: left, at: others.map((_, j) => (j === i ? Number(e.target.value) : (at[j] ?? 0))) })
            }
          >
            {d.values.map((v, p) => (
              <option key={p} value={p}>
                {String(v)}
              </option>
            ))}
          </select>
        </label>
      ))}
    </>
  );
  let body: ReactNode;
  if (reduced?.error) {
    body = (
      <p role="alert" className="error">
        {reduced.error.replace(/\.$/, '')}. Choose “per coordinate” above for its indices at each coordinate, or another
        reduction.
      </p>
    );
  } else if (!shownFrom) {
    body = (
      <p role="status" className="muted sensitivity-computing">
        Computing the indices of {output}, {words}…
      </p>
    );
  } else if (along) {
    body = <AlongFigure report={shownFrom} output={output} at={at} />;
  } else {
    body = <Indices report={shownFrom} output={output} shown={words} />;
  }
  return (
    <OutputPanel
      output={output}
      shown={shown}
      controls={controls}
      onExport={
        shownFrom && !sameInEveryCase(shownFrom, output)
          ? () => void exportOutput(output, 'pdf', along ? at : [])
          : null
      }
    >
      {body}
    </OutputPanel>
  );
}

/** An output's indices as lines over its first dim left, one per parameter and index, the other dims fixed at `at`. */
function AlongFigure({ report, output, at }: { report: SensitivityReport; output: string; at: number[] }) {
  const figure = useMemo(() => alongFigure(report, output, at), [report, output, at]);
  const dim = report.along[output]!.dims[0]!.name;
  const order = rankedAlong(report, output).join(', ');
  return (
    <Figure
      figure={figure}
      label={`${ALONG_WHAT[report.method]} of ${output} over ${dim}, a line per parameter (largest first: ${order})`}
    />
  );
}

/** Guidance about the study on screen, without the path of its study.yaml the engine starts it with. */
function ofThisStudy(message: string): string {
  const text = message.replace(/^.*study\.yaml: /, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What to run when the cases cannot answer: a design, started from here (or the command the engine names). */
function WhatToRun({ error, guidance }: { error: string; guidance: boolean }) {
  const start = useRuns((s) => s.start);
  const status = useRuns((s) => s.status);
  const method = useSensitivity((s) => s.method);
  const running = status === 'starting' || status === 'running';
  const run = (design: 'saltelli' | 'morris', n: number) => void start({ sample: { n, design: { design } } });
  return (
    <div className="panel sensitivity-empty">
      {guidance ? (
        <p role="note" className="note">
          {ofThisStudy(error)}
        </p>
      ) : (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        {method !== 'morris' && (
          <button type="button" disabled={running} onClick={() => run('saltelli', 1024)}>
            Run a Saltelli design (N = 1024)
          </button>
        )}
        {(method === null || method === 'morris') && (
          <button type="button" disabled={running} onClick={() => run('morris', 20)}>
            Run a Morris design (R = 20)
          </button>
        )}
        {running && <span className="muted">A run is going; the indices follow when it finishes.</span>}
      </div>
    </div>
  );
}

export function WhatMattersPage() {
  const { method, report, error, guidance, analysing, message, choose, analyse } = useSensitivity((s) => s);
  const dir = useStudy((s) => s.study?.dir);
  useEffect(() => {
    void analyse();
  }, [analyse, dir]);
  return (
    <>
      <div className="page-head">
        <h1>What matters</h1>
        <label>
          Method{' '}
          <select
            value={method ?? ''}
            onChange={(e) => void choose((e.target.value || null) as SensitivityMethod | null)}
          >
            {METHODS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <span role="status" className="status muted">
          {analysing ? 'Analysing…' : (message ?? '')}
        </span>
      </div>
      {error && !analysing && <WhatToRun error={error} guidance={guidance} />}
      {report && (
        <>
          <p className="muted sensitivity-summary">
            {DESCRIBED[report.method]}, from {report.evaluations.toLocaleString('en')} cases
            {report.design
              ? ` of a ${report.design.name} design (N = ${report.design.n}, seed ${report.design.seed})`
              : ''}
            .
          </p>
          {Object.keys(report.outputs).map((output) => (
            <ScalarSection key={output} report={report} output={output} />
          ))}
          {Object.keys(report.along).map((output) => (
            <OwnDimsSection key={output} report={report} output={output} />
          ))}
        </>
      )}
    </>
  );
}
