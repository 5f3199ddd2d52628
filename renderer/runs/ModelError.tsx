// A model's error as the engine words it (the person's own frames only, paths relative to the study): where in
// their file, that line with a mark under the column, then the message.
import type { ErrorAt } from '../../shared/api';

/** "model.mjs, line 2, column 28": where, in words. */
export function describeAt(at: ErrorAt): string {
  return `${at.file}, line ${at.line}, column ${at.column}`;
}

export function ModelError({ error, at }: { error: string; at?: ErrorAt | undefined }) {
  const gutter = at ? `${at.line} | ` : '';
  // The mark goes under the column, the line's tabs kept so that it lines up.
  const under = at?.source ? at.source.slice(0, Math.max(0, at.column - 1)).replace(/[^\t]/g, ' ') : '';
  return (
    <div className="model-error">
      {at && (
        <p>
          In <code>{describeAt(at)}</code>:
        </p>
      )}
      {at?.source != null && (
        <div className="source-line">{`${gutter}${at.source}\n${' '.repeat(gutter.length)}${under}^`}</div>
      )}
      <pre>{error}</pre>
    </div>
  );
}
