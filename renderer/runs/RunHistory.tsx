// Every run of the study, newest first: when, where, how it ended and its counts (the run database's runs table).
import { useEffect } from 'react';
import { useRuns } from '../app/stores';

const when = (utc: string | null) => (utc ? utc.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '');

export function RunHistory() {
  const history = useRuns((s) => s.history);
  const loadHistory = useRuns((s) => s.loadHistory);
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);
  return (
    <section className="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">Run history</h2>
      {history.length === 0 ? (
        <p>No run yet.</p>
      ) : (
        <table className="history" aria-label="Run history">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
              <th scope="col">Host</th>
              <th scope="col">Status</th>
              <th scope="col">Done</th>
              <th scope="col">Failed</th>
              <th scope="col">Cancelled</th>
              <th scope="col">Skipped</th>
            </tr>
          </thead>
          <tbody>
            {history.map((r) => (
              <tr key={r.run_id} className={r.status}>
                <th scope="row" title={r.run_id}>
                  {r.run_seq}
                </th>
                <td>{when(r.started_utc)}</td>
                <td>{when(r.finished_utc)}</td>
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
      )}
    </section>
  );
}
