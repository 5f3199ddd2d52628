import { useState } from 'react';
import { useRuns } from '../app/stores';

function formatRate(rate: number): string {
  return rate >= 10 ? `${Math.round(rate)} cases/s` : `${rate.toFixed(1)} cases/s`;
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

type Overwrite = 'error' | 'new' | 'old';

/** A failed case's folder: opened in the file manager by the desktop app, shown as a path in a browser. */
function CaseFolder({ dir }: { dir: string }) {
  const [why, setWhy] = useState<string | null>(null);
  const desktop = window.furrowDesktop;
  return (
    <p className="case-folder">
      Logs (stdout.log, stderr.log) in <code>{dir}</code>
      {desktop && (
        <button
          type="button"
          className="plain"
          onClick={() => void desktop.openFolder(dir).then(setWhy)}
          aria-label={`Open the folder ${dir}`}
        >
          Open folder
        </button>
      )}
      {why && <span className="error"> {why}</span>}
    </p>
  );
}

export function RunPanel() {
  const run = useRuns((s) => s);
  const [workers, setWorkers] = useState('');
  const [missingOnly, setMissingOnly] = useState(false);
  const [overwrite, setOverwrite] = useState<Overwrite>('error');
  const [samples, setSamples] = useState('100');
  const [seed, setSeed] = useState('');
  const busy = run.status === 'starting' || run.status === 'running';
  const finished = run.done + run.failed;
  const choices = { ...(workers ? { workers: Number(workers) } : {}), missingOnly, overwrite };
  const failedBefore = run.failed > 0 || run.history.some((r) => r.failed > 0);
  return (
    <section className="panel" aria-labelledby="run-heading">
      <h2 id="run-heading">Run</h2>
      <div className="run-controls">
        <label>
          Workers
          <input
            type="number"
            min={1}
            max={256}
            value={workers}
            placeholder="auto"
            onChange={(e) => setWorkers(e.target.value)}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={missingOnly} onChange={(e) => setMissingOnly(e.target.checked)} />
          Missing only
        </label>
        <label>
          Overwrite
          <select value={overwrite} onChange={(e) => setOverwrite(e.target.value as Overwrite)}>
            <option value="error">error (stored values must agree)</option>
            <option value="new">new (new values win)</option>
            <option value="old">old (stored values win)</option>
          </select>
        </label>
        <button type="button" disabled={busy} onClick={() => void run.start(choices)}>
          {busy ? 'Running…' : 'Run'}
        </button>
        <button type="button" className="plain" disabled={busy} onClick={() => void run.simulate({ missingOnly })}>
          Dry run
        </button>
        <button
          type="button"
          className="plain"
          disabled={busy || !failedBefore}
          onClick={() => void run.start({ ...choices, missingOnly: false, retryFailed: true })}
        >
          Retry failed
        </button>
        {busy && !run.by && (
          <button type="button" className="secondary" onClick={() => void run.cancel()}>
            Cancel
          </button>
        )}
      </div>
      <div className="run-controls" role="group" aria-label="Random samples">
        <label>
          Samples
          <input type="number" min={1} value={samples} onChange={(e) => setSamples(e.target.value)} />
        </label>
        <label>
          Seed
          <input
            type="number"
            min={0}
            value={seed}
            placeholder="the study's, or new"
            onChange={(e) => setSeed(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="plain"
          disabled={busy || !(Number(samples) >= 1)}
          onClick={() =>
            void run.start({
              ...(workers ? { workers: Number(workers) } : {}),
              sample: { n: Math.floor(Number(samples)), ...(seed.trim() ? { seed: Number(seed) } : {}) },
            })
          }
        >
          Run samples
        </button>
        <span className="hint">
          Drawn from the combos (each value equally likely) and the sampling distributions; kept in the run database.
        </span>
      </div>
      {run.sampled && (
        <p className="plan" aria-live="polite">
          {run.sampled.n} samples drawn with seed {run.sampled.seed} (give it again to draw the same ones).
        </p>
      )}
      {busy && run.by && (
        <p className="plan" role="status">
          Run by {run.by}, followed here from the run database: stop it where it was started.
        </p>
      )}
      {run.plan && (
        <p className="plan" aria-live="polite">
          A run would run {run.plan.would_run} of {run.plan.cases} cases: {run.plan.new} never run,{' '}
          {run.plan.done_before} done before, {run.plan.failed_before} failed before. Nothing was changed.
        </p>
      )}
      <div
        className="progress"
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={run.total}
        aria-valuenow={finished}
        aria-valuetext={`${finished} of ${run.total} cases finished`}
      >
        <div className="progress-done" style={{ width: `${(100 * run.done) / Math.max(1, run.total)}%` }} />
        <div className="progress-failed" style={{ width: `${(100 * run.failed) / Math.max(1, run.total)}%` }} />
      </div>
      <p className="run-counts" aria-live="polite">
        {run.status === 'idle'
          ? 'Not run yet in this window.'
          : `${run.done} done${run.status === 'running' ? ` (${run.stored} stored)` : ''}, ${run.failed} failed, ${run.running} running, ${Math.max(0, run.total - finished - run.running)} pending of ${run.total}`}
        {run.status === 'running' && run.rate > 0 && ` · ${formatRate(run.rate)}, about ${formatSeconds(run.eta)} left`}
        {run.status === 'finished' && ' — finished.'}
      </p>
      {busy && run.current.length > 0 && (
        <table className="history" aria-label="Running now">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Running for</th>
            </tr>
          </thead>
          <tbody>
            {run.current.map((c) => {
              const name = Object.entries(c.params)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(' ');
              return (
                <tr key={name}>
                  <td>
                    <code>{name}</code>
                  </td>
                  <td>{formatSeconds(c.seconds)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {run.error && (
        <p role="alert" className="error">
          {run.error}
        </p>
      )}
      {run.failures.length > 0 && (
        <details className="failures" open>
          <summary>Failed cases ({run.failed})</summary>
          <ul>
            {run.failures.map((f, i) => (
              <li key={i}>
                <code>
                  {Object.entries(f.params)
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join(' ')}
                </code>
                <pre>{f.error}</pre>
                {f.caseDir && <CaseFolder dir={f.caseDir} />}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
