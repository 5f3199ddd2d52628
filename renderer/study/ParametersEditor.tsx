// One row per parameter: its name, its role (combo, zip group, constant, case column, sampling distribution), the
// kind of its values and their fields, and a preview of the values the engine expands. A field that says something
// wrong is marked and says what, and nothing is written until it is right.
import { useEffect, useRef, useState } from 'react';
import type { StudyRows } from '../../shared/api';
import type { Scalar } from '../../shared/space';
import { isName } from '../../shared/study';
import { useEdit } from '../app/stores';
import { fieldProblems, paramKey } from './field-errors';
import type { FieldKey } from './field-errors';
import { FieldError, invalidProps, useCheckFieldError } from './FieldError';
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
import { EditorSection, freshName, RemoveButton, RemoveHeader } from './Section';
import { useEcho } from './use-echo';
import { ColumnHeads } from '../app/ColumnHeads';

type ParameterRow = StudyRows['parameters'][number];

/**
 * The text fields of a kind of values (`Start of c`, `Values of coords t`, …), each change the whole list; each
 * field marked with its own message (`messages[i]`) or the one about all of them (`whole`).
 */
export function ValueFields(props: {
  kind: Kind;
  fields: string[];
  of: string;
  keyOf: (i?: number) => FieldKey;
  messages: (string | null)[];
  whole: string | null;
  onChange: (fields: string[]) => void;
}) {
  const { kind, fields, of, keyOf, messages, whole, onChange } = props;
  return (
    <>
      {FIELD_NAMES[kind].map((field, i) => (
        <input
          key={field}
          aria-label={`${field} of ${of}`}
          placeholder={field.toLowerCase()}
          value={fields[i] ?? ''}
          className={kind === 'values' ? 'wide' : ''}
          spellCheck={false}
          {...(messages[i] ? invalidProps(keyOf(i), messages[i]) : invalidProps(keyOf(), whole))}
          onChange={(e) => onChange(FIELD_NAMES[kind].map((_, j) => (j === i ? e.target.value : (fields[j] ?? ''))))}
        />
      ))}
      {FIELD_NAMES[kind].map((field, i) => (
        <FieldError key={field} field={keyOf(i)} message={messages[i]} />
      ))}
      <FieldError field={keyOf()} message={messages.some(Boolean) ? null : whole} />
    </>
  );
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

function ParameterEditor(props: {
  row: ParameterRow;
  preview: Scalar[] | null;
  groups: number;
  /** Take the focus (the row was just added), then say so. */
  focus: boolean;
  onFocused: () => void;
}) {
  const { row, preview, groups } = props;
  const { setRow, removeRow } = useEdit((s) => s);
  const checkError = useCheckFieldError();
  const [name, setName] = useState(row.name);
  const [kind, setKind] = useState<Kind>(row.values.kind);
  const [fields, setFields] = useState(fieldsOf(row.values));
  const [problem, setProblem] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const { focus, onFocused } = props;
  useEffect(() => {
    if (!focus) return;
    nameInput.current?.focus();
    onFocused();
  }, [focus, onFocused]);
  const label = `${row.name}${row.role === 'sample' ? ' (sampling)' : ''}`;
  // The text changed under this row (study.yaml edited, Revert): show what it says now.
  const sent = useEcho(row.values, (values) => {
    setKind(values.kind);
    setFields(fieldsOf(values));
  });
  const previous = { name: row.name, role: row.role };
  const nameProblem = isName(name) ? null : 'a name is letters, digits and _, starting with a letter';
  const problems = row.role === 'case' ? [] : fieldProblems(kind, fields);
  const apply = (next: { name?: string; kind?: Kind; fields?: string[] }) => {
    const f = next.fields ?? fields;
    const k = next.kind ?? kind;
    const values = valuesOf(k, f);
    const n = next.name ?? name;
    // Written only when whole and right: a field that says something wrong is marked instead.
    if (values && fieldProblems(k, f).every((p) => p === null) && isName(n)) {
      if (n === row.name) sent(values);
      void setRow(
        { name: n, role: row.role, values, ...(row.role === 'zip' ? { group: row.group ?? 0 } : {}) },
        previous,
      );
    }
  };
  const keyOf = (i?: number) => paramKey(row.role, row.name, i);
  const engineSays = (i?: number) => (checkError?.key === keyOf(i) ? checkError.message : null);
  const isCase = row.role === 'case';
  return (
    <tr>
      <th scope="row">
        <input
          ref={nameInput}
          aria-label={`Name of ${label}`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => name !== row.name && apply({ name })}
          spellCheck={false}
          {...invalidProps(`${keyOf()}:name`, nameProblem)}
        />
        <FieldError field={`${keyOf()}:name`} message={nameProblem} />
      </th>
      <td>
        <select
          aria-label={`Role of ${label}`}
          value={roleValue(row)}
          {...invalidProps(`${keyOf()}:role`, problem)}
          onChange={(e) => {
            const [role, group] = e.target.value.split(':') as [ParameterRow['role'], string | undefined];
            const values = valuesForRole(valuesOf(kind, fields) ?? row.values, role);
            if (!values) {
              setProblem("a module's draws have no values to list: pick another kind first");
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
        <FieldError field={`${keyOf()}:role`} message={problem} />
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
          <span className="muted">edit them in the cases</span>
        ) : (
          <ValueFields
            kind={kind}
            fields={fields}
            of={label}
            keyOf={keyOf}
            messages={FIELD_NAMES[kind].map((_, i) => problems[i] ?? engineSays(i))}
            whole={engineSays()}
            onChange={(f) => {
              setFields(f);
              apply({ fields: f });
            }}
          />
        )}
        {isCase && <FieldError field={keyOf()} message={engineSays()} />}
      </td>
      <td className="preview" aria-label={`Preview of ${label}`}>
        {previewOf(row, kind, fields, preview)}
      </td>
      <td>
        <RemoveButton label={`Remove ${label}`} onClick={() => void removeRow(row.name, row.role)} />
      </td>
    </tr>
  );
}

export function ParametersEditor() {
  const rows = useEdit((s) => s.rows);
  const check = useEdit((s) => s.check);
  const setRow = useEdit((s) => s.setRow);
  // The row just added takes the focus when it arrives (from the engine's edit).
  const [added, setAdded] = useState<string | null>(null);
  const parameters = rows?.parameters ?? [];
  const dims = check?.ok ? check.summary.dims : [];
  // A parameter's values as the engine expands them: a dim's, or those of a parameter zipped with one.
  const previewValues = (name: string) =>
    dims.find((d) => d.name === name)?.values ??
    dims.flatMap((d) => d.coupled ?? []).find((c) => c.name === name)?.values ??
    null;
  const groups = new Set(parameters.filter((r) => r.role === 'zip').map((r) => r.group ?? 0)).size;
  const fresh = freshName(
    'p',
    parameters.map((r) => r.name),
  );
  const add = (
    <button
      type="button"
      className="plain"
      onClick={() => {
        setAdded(fresh);
        void setRow({ name: fresh, role: 'combo', values: { kind: 'values', values: [1, 2] } });
      }}
    >
      Add parameter
    </button>
  );
  return (
    <EditorSection id="parameters" title="Parameters" className="wide" action={add}>
      {parameters.length === 0 ? (
        <p className="muted">No parameter yet: add one, and say the values to run.</p>
      ) : (
        <div className="table-scroll">
          <table className="combos params" aria-label="Parameters to edit">
            <ColumnHeads names={['Parameter', 'Role', 'Kind', 'Values', 'Preview']}>
              <RemoveHeader />
            </ColumnHeads>
            <tbody>
              {parameters.map((row) => (
                <ParameterEditor
                  key={`${row.role}:${row.name}`}
                  row={row}
                  groups={groups}
                  preview={previewValues(row.name)}
                  focus={added === row.name}
                  onFocused={() => setAdded(null)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </EditorSection>
  );
}
