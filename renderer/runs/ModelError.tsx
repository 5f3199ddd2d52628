// A model's error: where in the person's own file (and that line, when the engine could read it), then the
// message with their frames only.
import type { ErrorAt } from '../../shared/api';
import { useStudy } from '../app/stores';
import { cleanModelError, describeAt } from './model-error';

export function ModelError({ error, at }: { error: string; at?: ErrorAt | undefined }) {
  const dir = useStudy((s) => s.study?.dir ?? null);
  const clean = cleanModelError(error, dir);
  const where = at ?? clean.at;
  return (
    <div className="model-error">
      {where && (
        <p>
          In <code>{describeAt(where)}</code>:
        </p>
      )}
      {where?.source && <div className="source-line">{`${where.line} | ${where.source}`}</div>}
      <pre>{clean.text}</pre>
    </div>
  );
}
