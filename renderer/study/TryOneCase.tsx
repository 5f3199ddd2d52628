// Run the first case of the draft, record nothing, and offer the outputs section that fits what came back. A model
// that fails says where in the person's own file, without Furrow's frames.
import type { Scalar } from '../../shared/space';
import { useEdit } from '../app/stores';
import { ModelError } from '../runs/ModelError';
import { EditorSection } from './Section';
import { ColumnHeads } from '../app/ColumnHeads';

const caseName = (params: Record<string, Scalar>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

export function TryOneCase() {
  const { tried, trying, tryCase, useTriedOutputs, check } = useEdit((s) => s);
  const declared = check?.ok ? check.summary.outputs : [];
  const fits =
    tried !== null &&
    tried.suggested.length === declared.length &&
    tried.suggested.every((o, i) => o.name === declared[i]?.name && o.dims.join() === declared[i]?.dims.join());
  const took =
    tried?.seconds == null
      ? ''
      : ` in ${tried.seconds < 1 ? `${Math.round(tried.seconds * 1000)} ms` : `${tried.seconds.toFixed(1)} s`}`;
  const name = tried ? caseName(tried.params) : '';
  const action = (
    <button type="button" className="plain" disabled={trying} onClick={() => void tryCase()}>
      {trying ? 'Trying…' : 'Try one case'}
    </button>
  );
  return (
    <EditorSection id="try" title="Try one case" className="try-case" action={action}>
      {!tried && !trying && (
        <p className="muted">
          Runs the first case of the study as edited through the model, records nothing, and shows what it returns.
        </p>
      )}
      {tried && (
        <div aria-live="polite">
          {tried.error === null ? (
            <p>
              The case <code>{name}</code> returned{took}:
            </p>
          ) : (
            <p role="alert" className="error">
              {name ? (
                <>
                  The case <code>{name}</code> failed{took}:
                </>
              ) : (
                'The model could not be tried:'
              )}
            </p>
          )}
          {tried.error !== null && <ModelError error={tried.error} at={tried.errorAt} />}
          {tried.error !== null && tried.caseDir && (
            <p className="muted">
              Its logs are in <code>{tried.caseDir}</code>
            </p>
          )}
          {tried.outputs.length > 0 && (
            <table className="combos" aria-label="Outputs of the tried case">
              <ColumnHeads names={['Output', 'Shape', 'Kind', 'First values']} />
              <tbody>
                {tried.outputs.map((o) => (
                  <tr key={o.name}>
                    <th scope="row">{o.name}</th>
                    <td>{o.shape.length === 0 ? 'scalar' : o.shape.join(' × ')}</td>
                    <td>{o.kind}</td>
                    <td>{o.preview.map((v) => String(v)).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {tried.error === null && !fits && (
            <p>
              The study declares other outputs than these.{' '}
              <button type="button" className="plain" onClick={() => void useTriedOutputs()}>
                Use these outputs
              </button>{' '}
              ({tried.suggested.map((o) => (o.dims.length ? `${o.name}[${o.dims.join(', ')}]` : o.name)).join(', ')})
            </p>
          )}
        </div>
      )}
    </EditorSection>
  );
}
