// Set up the study by pointing and clicking: one row per parameter (its role and its values, with a preview),
// the cases as an editable table (paste rows from a spreadsheet), study.yaml itself, and live counts checked by
// the engine with the command line's rules. Save writes study.yaml, keeping comments and key order.
import { useEffect, useState } from 'react';
import type { StudyRows } from '../../shared/api';
import { parsePastedCases, scalarOf } from '../../shared/cases-paste';
import type { Scalar } from '../../shared/space';
import { useEdit } from '../app/stores';

type ParameterRow = StudyRows['parameters'][number];
type ParameterValues = ParameterRow['values'];

type Kind = ParameterValues['kind'];
const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'values', label: 'values' },
  { kind: 'range', label: 'range' },
  { kind: 'linspace', label: 'linspace' },
  { kind: 'logspace', label: 'logspace' },
  { kind: 'constant', label: 'one value' },
];

/** The text fields of a row's values, as typed. */
function fieldsOf(v: ParameterValues): string[] {
  switch (v.kind) {
    case 'values':
      return [v.values.map(String).join(', ')];
    case 'range':
      return [String(v.start), String(v.stop), v.step === undefined ? '' : String(v.step)];
    case 'linspace':
    case 'logspace':
      return [String(v.start), String(v.stop), String(v.num)];
    case 'constant':
      return [String(v.value)];
  }
}

const FIELD_NAMES: Record<Kind, string[]> = {
  values: ['Values'],
  range: ['Start', 'Stop', 'Step'],
  linspace: ['Start', 'Stop', 'Points'],
  logspace: ['Start exponent', 'Stop exponent', 'Points'],
  constant: ['Value'],
};

/** The values the fields say, or null while they do not say anything whole yet. */
function valuesOf(kind: Kind, fields: string[]): ParameterValues | null {
  const num = (s: string | undefined) =>
    s !== undefined && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : null;
  switch (kind) {
    case 'values': {
      const parts = (fields[0] ?? '').split(',').map((s) => s.trim());
      return parts.some((p) => p === '') ? null : { kind, values: parts.map(scalarOf) };
    }
    case 'range': {
      const [start, stop, step] = [num(fields[0]), num(fields[1]), num(fields[2])];
      if (start === null || stop === null) return null;
      return { kind, start, stop, ...(step === null ? {} : { step }) };
    }
    case 'linspace':
    case 'logspace': {
      const [start, stop, n] = [num(fields[0]), num(fields[1]), num(fields[2])];
      return start === null || stop === null || n === null ? null : { kind, start, stop, num: n };
    }
    case 'constant':
      return (fields[0] ?? '').trim() === '' ? null : { kind, value: scalarOf(fields[0]!) };
  }
}

function ParameterEditor({ row, preview }: { row: ParameterRow; preview: Scalar[] | null }) {
  const { setRow, removeRow } = useEdit((s) => s);
  const [name, setName] = useState(row.name);
  const [kind, setKind] = useState<Kind>(row.values.kind);
  const [fields, setFields] = useState(fieldsOf(row.values));
  const role = kind === 'constant' ? 'constant' : 'combo';
  // The text changed under this row (study.yaml edited, Revert): show what it says now.
  const given = JSON.stringify(row.values);
  useEffect(() => {
    if (JSON.stringify(valuesOf(kind, fields)) !== given) {
      const values = JSON.parse(given) as ParameterValues;
      setKind(values.kind);
      setFields(fieldsOf(values));
    }
    // Only when the row's own values change: not while the fields are being typed.
  }, [given]);
  const apply = (next: { name?: string; kind?: Kind; fields?: string[] }) => {
    const k = next.kind ?? kind;
    const f = next.fields ?? fields;
    const n = next.name ?? name;
    const values = valuesOf(k, f);
    if (values && /^[A-Za-z][A-Za-z0-9_]*$/.test(n)) {
      void setRow({ name: n, role: k === 'constant' ? 'constant' : 'combo', values }, row.name);
    }
  };
  return (
    <tr>
      <th scope="row">
        <input
          aria-label={`Name of ${row.name}`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => name !== row.name && apply({ name })}
          spellCheck={false}
        />
      </th>
      <td>{role === 'combo' ? 'combo' : 'constant'}</td>
      <td>
        <select
          aria-label={`Kind of ${row.name}`}
          value={kind}
          onChange={(e) => {
            const k = e.target.value as Kind;
            const f =
              k === kind
                ? fields
                : k === 'values' || k === 'constant'
                  ? [fields[0] ?? '']
                  : ['0', '1', k === 'range' ? '' : '5'];
            setKind(k);
            setFields(f);
            apply({ kind: k, fields: f });
          }}
        >
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </td>
      <td className="param-fields">
        {FIELD_NAMES[kind].map((label, i) => (
          <input
            key={label}
            aria-label={`${label} of ${row.name}`}
            placeholder={label.toLowerCase()}
            value={fields[i] ?? ''}
            className={kind === 'values' ? 'wide' : ''}
            onChange={(e) => {
              const f = [...fields];
              f[i] = e.target.value;
              setFields(f);
              apply({ fields: f });
            }}
          />
        ))}
      </td>
      <td className="preview" aria-label={`Preview of ${row.name}`}>
        {preview
          ? `${preview.slice(0, 6).map(String).join(', ')}${preview.length > 6 ? ', …' : ''} (${preview.length})`
          : role === 'constant'
            ? fields[0]
            : ''}
      </td>
      <td>
        <button
          type="button"
          className="plain"
          aria-label={`Remove ${row.name}`}
          onClick={() => void removeRow(row.name)}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

function CasesEditor({ cases }: { cases: Record<string, Scalar>[] }) {
  const setCases = useEdit((s) => s.setCases);
  const [paste, setPaste] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  const columns = [...new Set(cases.flatMap((c) => Object.keys(c)))];
  const setCell = (i: number, column: string, text: string) =>
    void setCases(cases.map((c, j) => (j === i ? { ...c, [column]: scalarOf(text) } : c)));
  return (
    <div className="cases-editor">
      <h3>Cases</h3>
      {cases.length > 0 && (
        <table aria-label="Cases to run" className="combos">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {cases.map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>
                    <input
                      aria-label={`${c} of case ${i + 1}`}
                      defaultValue={String(row[c] ?? '')}
                      onBlur={(e) => e.target.value !== String(row[c] ?? '') && setCell(i, c, e.target.value)}
                    />
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    className="plain"
                    aria-label={`Remove case ${i + 1}`}
                    onClick={() => void setCases(cases.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="crop-form">
        {cases.length > 0 && (
          <button type="button" className="plain" onClick={() => void setCases([...cases, { ...cases.at(-1)! }])}>
            Add case
          </button>
        )}
        <label>
          Paste cases (a header row, then a row per case; tabs or commas)
          <textarea
            rows={3}
            value={paste}
            onChange={(e) => setPaste(e.target.value)}
            placeholder={'mode\tdt\nrk4\t0.01\neuler\t0.001'}
          />
        </label>
        <button
          type="button"
          className="plain"
          disabled={!paste.trim()}
          onClick={() => {
            try {
              void setCases([...cases, ...parsePastedCases(paste)]);
              setPaste('');
              setPasteError(null);
            } catch (error) {
              setPasteError((error as Error).message);
            }
          }}
        >
          Add pasted cases
        </button>
      </div>
      {pasteError && (
        <p role="alert" className="error">
          {pasteError}
        </p>
      )}
    </div>
  );
}

type OutputRow = StudyRows['outputs'][number];

/** The outputs: a name and its own dims (comma-separated) per row; changes are written when a field is left. */
function OutputsEditor({ outputs }: { outputs: OutputRow[] }) {
  const setOutputs = useEdit((s) => s.setOutputs);
  const change = (i: number, row: OutputRow) => void setOutputs(outputs.map((o, j) => (j === i ? row : o)));
  const names = new Set(outputs.map((o) => o.name));
  let fresh = 1;
  while (names.has(`out${fresh}`)) fresh++;
  return (
    <div className="cases-editor">
      <h3>Outputs</h3>
      <table className="combos" aria-label="Outputs to edit">
        <thead>
          <tr>
            <th scope="col">Output</th>
            <th scope="col">Its own dims (comma-separated; none for a scalar)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {outputs.map((o, i) => (
            <tr key={`${o.name}:${o.dims.join()}`}>
              <th scope="row">
                <input
                  aria-label={`Name of output ${o.name}`}
                  defaultValue={o.name}
                  spellCheck={false}
                  onBlur={(e) => e.target.value.trim() !== o.name && change(i, { ...o, name: e.target.value.trim() })}
                />
              </th>
              <td>
                <input
                  aria-label={`Dims of output ${o.name}`}
                  defaultValue={o.dims.join(', ')}
                  spellCheck={false}
                  className="wide"
                  onBlur={(e) => {
                    const dims = e.target.value
                      .split(',')
                      .map((d) => d.trim())
                      .filter(Boolean);
                    if (dims.join() !== o.dims.join()) change(i, { ...o, dims });
                  }}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="plain"
                  aria-label={`Remove output ${o.name}`}
                  onClick={() => void setOutputs(outputs.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="plain"
        onClick={() => void setOutputs([...outputs, { name: `out${fresh}`, dims: [] }])}
      >
        Add output
      </button>
    </div>
  );
}

/** Run the first case of the draft, record nothing, and offer the outputs section that fits what came back. */
function TryOneCase() {
  const { tried, trying, tryCase, useTriedOutputs, check } = useEdit((s) => s);
  const declared = check?.ok ? check.summary.outputs : [];
  const fits =
    tried !== null &&
    tried.suggested.length === declared.length &&
    tried.suggested.every((o, i) => o.name === declared[i]?.name && o.dims.join() === declared[i]?.dims.join());
  return (
    <div className="try-case">
      <h3>Try one case</h3>
      <button type="button" className="plain" disabled={trying} onClick={() => void tryCase()}>
        {trying ? 'Trying…' : 'Try one case'}
      </button>
      {tried && (
        <div aria-live="polite">
          <p>
            <code>
              {Object.entries(tried.params)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(' ')}
            </code>
            {tried.seconds !== null &&
              ` took ${tried.seconds < 1 ? `${Math.round(tried.seconds * 1000)} ms` : `${tried.seconds.toFixed(1)} s`}`}
            {tried.error === null ? ', and returned:' : ', and failed.'}
          </p>
          {tried.error !== null && (
            <p role="alert" className="error">
              {tried.error}
              {tried.caseDir && `\nIts logs are in ${tried.caseDir}`}
            </p>
          )}
          {tried.outputs.length > 0 && (
            <table className="combos" aria-label="Outputs of the tried case">
              <thead>
                <tr>
                  <th scope="col">Output</th>
                  <th scope="col">Shape</th>
                  <th scope="col">Kind</th>
                  <th scope="col">First values</th>
                </tr>
              </thead>
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
              study.yaml declares other outputs than these.{' '}
              <button type="button" className="plain" onClick={() => void useTriedOutputs()}>
                Use these outputs
              </button>{' '}
              ({tried.suggested.map((o) => (o.dims.length ? `${o.name}[${o.dims.join(', ')}]` : o.name)).join(', ')})
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function StudyEditor() {
  const edit = useEdit((s) => s);
  const { load, draft } = edit;
  useEffect(() => {
    if (draft === null) void load(true);
  }, [draft, load]);
  if (draft === null) return null;
  const parsed = { rows: edit.rows?.parameters ?? [], cases: edit.rows?.cases ?? [] };
  const check = edit.check;
  const dims = check?.ok ? check.summary.dims : [];
  const unsaved = draft !== edit.base;
  const names = new Set(parsed.rows.map((r) => r.name));
  let fresh = 1;
  while (names.has(`p${fresh}`)) fresh++;
  return (
    <section className="panel" aria-labelledby="setup-heading">
      <h2 id="setup-heading">Setup</h2>
      <table className="combos params" aria-label="Parameters to edit">
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Role</th>
            <th scope="col">Kind</th>
            <th scope="col">Values</th>
            <th scope="col">Preview</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {parsed.rows.map((row) => (
            <ParameterEditor key={row.name} row={row} preview={dims.find((d) => d.name === row.name)?.values ?? null} />
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="plain"
        onClick={() =>
          void edit.setRow({ name: `p${fresh}`, role: 'combo', values: { kind: 'values', values: [1, 2] } })
        }
      >
        Add parameter
      </button>
      <CasesEditor cases={parsed.cases} />
      <OutputsEditor outputs={edit.rows?.outputs ?? []} />
      <TryOneCase />
      <details className="yaml-editor">
        <summary>study.yaml</summary>
        <textarea
          aria-label="study.yaml"
          value={draft}
          rows={Math.min(30, draft.split('\n').length + 1)}
          spellCheck={false}
          onChange={(e) => edit.setDraft(e.target.value)}
        />
      </details>
      <div className="setup-status" aria-live="polite">
        {check?.ok && (
          <p data-testid="live-counts">
            {check.summary.caseCount} cases: {check.new} new, {check.done_before} done before, {check.failed_before}{' '}
            failed before
            {check.estimated_seconds !== null &&
              check.new > 0 &&
              ` · about ${duration(check.estimated_seconds)} at the pace of earlier runs`}
          </p>
        )}
      </div>
      {(edit.editError || (check && !check.ok)) && (
        <p role="alert" className="error">
          {edit.editError ?? (check && !check.ok ? check.error : '')}
        </p>
      )}
      <div className="crop-actions">
        <button
          type="button"
          disabled={!unsaved || edit.saving || !check?.ok || edit.checked !== draft}
          onClick={() => void edit.save()}
        >
          Save
        </button>
        <button type="button" className="plain" disabled={!unsaved} onClick={() => edit.revert()}>
          Revert
        </button>
        <button type="button" className="plain" onClick={() => void edit.load(true)}>
          Reload from disk
        </button>
        <span>{unsaved ? 'Unsaved changes.' : 'Saved.'}</span>
      </div>
      {edit.saveError && (
        <p role="alert" className="error">
          {edit.saveError}
        </p>
      )}
    </section>
  );
}
