import type { StudySummary } from '../../shared/study';

const PREVIEW = 8;

export function StudyPanel({ study }: { study: StudySummary }) {
  return (
    <section className="panel" aria-labelledby="study-heading">
      <h2 id="study-heading">Study</h2>
      <p>
        Model <code>{study.model}</code>; outputs{' '}
        {study.outputs.map((o, i) => (
          <span key={o.name}>
            {i > 0 && ', '}
            <code>
              {o.name}
              {o.dims.length > 0 && `[${o.dims.join(', ')}]`}
            </code>
          </span>
        ))}
      </p>
      <table className="combos" aria-label="Parameters">
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Role</th>
            <th scope="col">Values</th>
            <th scope="col">Count</th>
          </tr>
        </thead>
        <tbody>
          {study.dims.map((dim) => (
            <tr key={dim.name}>
              <th scope="row">
                {dim.name}
                {dim.coupled?.map((c) => ` + ${c.name}`)}
              </th>
              <td>{dim.role}</td>
              <td>
                {dim.values.slice(0, PREVIEW).map(String).join(', ')}
                {dim.values.length > PREVIEW && ', …'}
              </td>
              <td>{dim.values.length}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Cases</th>
            <td />
            <td />
            <td data-testid="case-count">{study.caseCount}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
