// Set up the study by pointing and clicking: one row per parameter (its role and its values, with a preview),
// the cases as an editable table (paste rows from a spreadsheet), study.yaml itself, and live counts checked by
// the engine with the command line's rules. Save writes study.yaml, keeping comments and key order.
import { useEffect, useState } from 'react';
import type { StudyRows } from '../../shared/api';
import { parsePastedCases, scalarOf } from '../../shared/cases-paste';
import type { Scalar } from '../../shared/space';
import { isName } from '../../shared/study';
import { useEdit } from '../app/stores';
import {
  describeDraw,
  FIELD_NAMES,
  fieldsForKind,
  fieldsOf,
  kindLabel,
  kindsFor,
  valuesForRole,
  valuesOf,
} from './parameter-fields';
import type { Kind } from './parameter-fields';
import { ModelEditor } from './ModelEditor';
import { useEcho } from './use-echo';

type ParameterRow = StudyRows['parameters'][number];

/** The text fields of a kind of values (`Start of c`, `Values of coords t`, …), each change the whole list. */
function ValueFields(props: { kind: Kind; fields: string[]; of: string; onChange: (fields: string[]) => void }) {
  const { kind, fields, of, onChange } = props;
  return FIELD_NAMES[kind].map((field, i) => (
    <input
      key={field}
      aria-label={`${field} of ${of}`}
      placeholder={field.toLowerCase()}
      value={fields[i] ?? ''}
      className={kind === 'values' ? 'wide' : ''}
      spellCheck={false}
      onChange={(e) => onChange(FIELD_NAMES[kind].map((_, j) => (j === i ? e.target.value : (fields[j] ?? ''))))}
    />
  ));
}

/** The role menu's entries: a value names the role and, for zip, the group (`zip:0`, …; one past the last is new). */
function roleChoices(groups: number): { value: string; label: string }[] {
  return [
    { value: 'combo', label: 'combo' },
    ...Array.from({ length: groups }, (_, g) => ({ value: `zip:${g}`, label: `zip group ${g + 1}` })),
    { value: `zip:${groups}`, label: groups === 0 ? 'zip group' : 'new zip group' },
    { value: 'constant', label: 'constant' },
    { value: 'case', label: 'case column' },
    { value: 'sample', label: 'sampling distribution' },
  ];
}

const roleValue = (row: ParameterRow) => (row.role === 'zip' ? `zip:${row.group ?? 0}` : row.role);

function previewOf(row: ParameterRow, kind: Kind, fields: string[], preview: Scalar[] | null): string {
  const values = valuesOf(kind, fields);
  if (row.role === 'sample') return values ? describeDraw(values) : '';
  if (preview)
    return `${preview.slice(0, 6).map(String).join(', ')}${preview.length > 6 ? ', …' : ''} (${preview.length})`;
  if (kind === 'constant') return fields[0] ?? '';
  return '';
}

function ParameterEditor({ row, preview, groups }: { row: ParameterRow; preview: Scalar[] | null; groups: number }) {
  const { setRow, removeRow } = useEdit((s) => s);
  const [name, setName] = useState(row.name);
  const [kind, setKind] = useState<Kind>(row.values.kind);
  const [fields, setFields] = useState(fieldsOf(row.values));
  const [problem, setProblem] = useState<string | null>(null);
  const label = `${row.name}${row.role === 'sample' ? ' (sampling)' : ''}`;
  // The text changed under this row (study.yaml edited, Revert): show what it says now.
  const sent = useEcho(row.values, (values) => {
    setKind(values.kind);
    setFields(fieldsOf(values));
  });
  const previous = { name: row.name, role: row.role };
  const apply = (next: { name?: string; kind?: Kind; fields?: string[] }) => {
    const values = valuesOf(next.kind ?? kind, next.fields ?? fields);
    const n = next.name ?? name;
    if (values && isName(n)) {
      if (n === row.name) sent(values);
      void setRow(
        { name: n, role: row.role, values, ...(row.role === 'zip' ? { group: row.group ?? 0 } : {}) },
        previous,
      );
    }
  };
  const isCase = row.role === 'case';
  return (
    <tr>
      <th scope="row">
        <input
          aria-label={`Name of ${label}`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => name !== row.name && apply({ name })}
          spellCheck={false}
        />
      </th>
      <td>
        <select
          aria-label={`Role of ${label}`}
          value={roleValue(row)}
          onChange={(e) => {
            const [role, group] = e.target.value.split(':') as [ParameterRow['role'], string | undefined];
            const values = valuesForRole(valuesOf(kind, fields) ?? row.values, role);
            if (!values) {
              setProblem(`${row.name}: a module's draws have no values to list; pick another kind first`);
              return;
            }
            setProblem(null);
            void setRow(
              { name: row.name, role, values, ...(group === undefined ? {} : { group: Number(group) }) },
              previous,
            );
          }}
        >
          {roleChoices(groups).map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select
          aria-label={`Kind of ${label}`}
          value={kind}
          disabled={isCase}
          onChange={(e) => {
            const k = e.target.value as Kind;
            const f = fieldsForKind(k, kind, fields);
            setKind(k);
            setFields(f);
            apply({ kind: k, fields: f });
          }}
        >
          {kindsFor(row.role).map((k) => (
            <option key={k} value={k}>
              {kindLabel(k, row.role)}
            </option>
          ))}
        </select>
      </td>
      <td className="param-fields">
        {isCase ? (
          <span>edit them in the cases below</span>
        ) : (
          <ValueFields
            kind={kind}
            fields={fields}
            of={label}
            onChange={(f) => {
              setFields(f);
              apply({ fields: f });
            }}
          />
        )}
        {problem && (
          <span role="alert" className="error">
            {problem}
          </span>
        )}
      </td>
      <td className="preview" aria-label={`Preview of ${label}`}>
        {previewOf(row, kind, fields, preview)}
      </td>
      <td>
        <button
          type="button"
          className="plain"
          aria-label={`Remove ${label}`}
          onClick={() => void removeRow(row.name, row.role)}
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
        <label>
          Import cases from a file (CSV or TSV, a header row first)
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
            onChange={(e) => {
              const input = e.target;
              const file = input.files?.[0];
              if (!file) return;
              void file.text().then((text) => {
                input.value = ''; // the same file can be imported again
                try {
                  void setCases([...cases, ...parsePastedCases(text)]);
                  setPasteError(null);
                } catch (error) {
                  setPasteError(`${file.name}: ${(error as Error).message}`);
                }
              });
            }}
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

/**
 * The outputs: a name and its own dims (comma-separated) per row, changes written when a field is left; then the
 * coords of those dims.
 */
function OutputsEditor({ outputs, coords }: { outputs: OutputRow[]; coords: StudyRows['coords'] }) {
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
      {coords.length > 0 && (
        <table className="combos params" aria-label="Coords of the output dims">
          <thead>
            <tr>
              <th scope="col">Dim</th>
              <th scope="col">Coords</th>
              <th scope="col">Values</th>
            </tr>
          </thead>
          <tbody>
            {coords.map((c) => (
              <CoordEditor key={c.name} row={c} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

type CoordRow = StudyRows['coords'][number];
const COORD_KINDS: Kind[] = ['values', 'range', 'linspace', 'logspace'];

/** The coords of one output dim: its positions 0..n-1 (nothing written), or values, a range, linspace, logspace. */
function CoordEditor({ row }: { row: CoordRow }) {
  const setCoord = useEdit((s) => s.setCoord);
  const [kind, setKind] = useState<Kind | 'positions'>(row.values?.kind ?? 'positions');
  const [fields, setFields] = useState(row.values ? fieldsOf(row.values) : []);
  const sent = useEcho(row.values, (values) => {
    setKind(values?.kind ?? 'positions');
    setFields(values ? fieldsOf(values) : []);
  });
  const apply = (k: Kind | 'positions', f: string[]) => {
    const values = k === 'positions' ? null : valuesOf(k, f);
    if (k !== 'positions' && values === null) return;
    sent(values);
    void setCoord(row.name, values);
  };
  return (
    <tr>
      <th scope="row">{row.name}</th>
      <td>
        <select
          aria-label={`Coords of ${row.name}`}
          value={kind}
          onChange={(e) => {
            const k = e.target.value as Kind | 'positions';
            const f = k === 'positions' ? [] : fieldsForKind(k, kind === 'positions' ? 'values' : kind, fields);
            setKind(k);
            setFields(f);
            apply(k, f);
          }}
        >
          <option value="positions">positions 0, 1, …</option>
          {COORD_KINDS.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k, 'combo')}
            </option>
          ))}
        </select>
      </td>
      <td className="param-fields">
        {kind !== 'positions' && (
          <ValueFields
            kind={kind}
            fields={fields}
            of={`coords ${row.name}`}
            onChange={(f) => {
              setFields(f);
              apply(kind, f);
            }}
          />
        )}
      </td>
    </tr>
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
  // A parameter's values as the engine expands them: a dim's, or those of a parameter zipped with one.
  const previewValues = (name: string) =>
    dims.find((d) => d.name === name)?.values ??
    dims.flatMap((d) => d.coupled ?? []).find((c) => c.name === name)?.values ??
    null;
  const groups = new Set(parsed.rows.filter((r) => r.role === 'zip').map((r) => r.group ?? 0)).size;
  const unsaved = draft !== edit.base;
  const names = new Set(parsed.rows.map((r) => r.name));
  let fresh = 1;
  while (names.has(`p${fresh}`)) fresh++;
  return (
    <section className="panel" aria-labelledby="setup-heading">
      <h2 id="setup-heading">Setup</h2>
      <ModelEditor model={edit.rows?.model ?? {}} parameters={[...names]} />
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
            <ParameterEditor
              key={`${row.role}:${row.name}`}
              row={row}
              groups={groups}
              preview={previewValues(row.name)}
            />
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
      <OutputsEditor outputs={edit.rows?.outputs ?? []} coords={edit.rows?.coords ?? []} />
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
