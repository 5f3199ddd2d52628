// Opened from the run bar: the cases running now and how long each has run, each failed case with its reason in
// the person's own terms and its folder, Retry failed, and every run of the study (the run database's runs).
import type { Scalar } from '../../shared/space';
import { useState } from 'react';
import { useRuns } from '../app/stores';
import { ModelError } from './ModelError';
import { formatSeconds, formatUtc } from './format';
import { ColumnHeads } from '../app/ColumnHeads';

const caseName = (params: Record<string, Scalar>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

/** A failed case's folder: opened in the file manager by the desktop app, shown as a path in a browser. */
function CaseFolder({ dir }: { dir: string }) {
  const [why, setWhy] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const desktop = window.furrowDesktop;
  return (
    <p className="case-folder">
      Logs (stdout.log, stderr.log) in <code>{dir}</code>{' '}
      {desktop ? (
        <button
          type="button"
          className="plain"
          onClick={() => void desktop.openFolder(dir).then(setWhy)}
          aria-label={`Open the folder ${dir}`}
        >
          Open folder
        </button>
      ) : (
        navigator.clipboard && (
          <button
            type="button"
            className="plain"
            aria-label={`Copy the path ${dir}`}
            onClick={() => void navigator.clipboard.writeText(dir).then(() => setCopied(true))}
          >
            Copy path
          </button>
        )
      )}
      {copied && (
        <span className="copied" role="status">
          {' '}
          Copied
        </span>
      )}
      {why && <span className="error"> {why}</span>}
    </p>
  );
}

function RunHistory() {
  const history = useRuns((s) => s.history);
  if (history.length === 0) return <p className="muted">No run yet.</p>;
  return (
    // Scrolled by the keyboard too, once it has the focus (a narrow window cuts the table).
    <div className="table-scroll" tabIndex={0}>
      <table className="history" aria-label="Run history">
        <ColumnHeads
          names={['Run', 'Started', 'Finished', 'Host', 'Status', 'Done', 'Failed', 'Cancelled', 'Skipped']}
        />
        <tbody>
          {history.map((r) => (
            <tr key={r.run_id} className={r.status}>
              <th scope="row" title={r.run_id}>
                {r.run_seq}
              </th>
              <td>{formatUtc(r.started_utc)}</td>
              <td>{formatUtc(r.finished_utc)}</td>
              <td>{r.host}</td>
              <td>{r.status}</td>
              <td>{r.done}</td>
              <td>{r.failed}</td>
              <td>{r.cancelled}</td>
              <td>{r.skipped}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RunDetails() {
  const run = useRuns((s) => s);
  const busy = run.status === 'starting' || run.status === 'running';
  // This run's failures as they come; else the cases whose latest attempt failed, from the run database.
  const live = run.failures.length > 0;
  const failures = live ? run.failures : run.failedBefore.cases;
  const count = live ? run.failed : run.failedBefore.total;
  return (
    <section id="run-details" className="run-details" aria-label="Run details">
      <div className="run-details-grid">
        <div>
          <div className="section-head">
            <h2>Running and failed cases</h2>
            <button
              type="button"
              className="plain"
              disabled={busy || (run.failed === 0 && run.failedBefore.total === 0)}
              onClick={() => void run.start({ ...run.startParams(), missingOnly: false, retryFailed: true })}
            >
              Retry failed
            </button>
          </div>
          {busy && run.current.length > 0 ? (
            <table className="history" aria-label="Running now">
              <ColumnHeads names={['Case', 'Running for']} />
              <tbody>
                {run.current.map((c) => (
                  <tr key={caseName(c.params)}>
                    <td>
                      <code>{caseName(c.params)}</code>
                    </td>
                    <td>{formatSeconds(c.seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">{busy ? 'Starting the cases…' : 'No case is running.'}</p>
          )}
          {failures.length > 0 ? (
            <details className="failures" open>
              <summary>
                Failed cases ({count}
                {live ? '' : ', their latest attempt'}
                {failures.length < count ? `; the first ${failures.length} shown` : ''})
              </summary>
              <ul>
                {failures.map((f, i) => (
                  <li key={i}>
                    <code>{caseName(f.params)}</code>
                    <ModelError error={f.error} at={f.errorAt} />
                    {f.caseDir && <CaseFolder dir={f.caseDir} />}
                  </li>
                ))}
              </ul>
            </details>
          ) : (
            <p className="muted">No case has failed.</p>
          )}
        </div>
        <div>
          <h2>Run history</h2>
          <RunHistory />
        </div>
      </div>
    </section>
  );
}
