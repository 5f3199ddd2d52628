// The outputs: a name and its own dims (comma-separated) per row, written when a field is left (a new row takes the
// focus); then the coords of those dims: positions 0..n-1, or values, a range, linspace, logspace.
import { useEffect, useRef, useState } from 'react';
import type { StudyRows } from '../../shared/api';
import { useEdit, useRuns } from '../app/stores';
import { coordKey, fieldProblems, outputKey } from './field-errors';
import { FieldError, invalidProps, useCheckFieldError } from './FieldError';
import { fieldsForKind, fieldsOf, kindLabel, valuesOf } from './parameter-fields';
import type { Kind } from './parameter-fields';
import { ValueFields } from './ParametersEditor';
import { EditorSection, freshName, RemoveButton, RemoveHeader } from './Section';
import { useEcho } from './use-echo';
import { ColumnHeads } from '../app/ColumnHeads';

type OutputRow = StudyRows['outputs'][number];
type CoordRow = StudyRows['coords'][number];
const COORD_KINDS: Kind[] = ['values', 'range', 'linspace', 'logspace'];

/** The coords of one output dim: its positions 0..n-1 (nothing written), or values, a range, linspace, logspace. */
function CoordEditor({ row }: { row: CoordRow }) {
  const setCoord = useEdit((s) => s.setCoord);
  const checkError = useCheckFieldError();
  const [kind, setKind] = useState<Kind | 'positions'>(row.values?.kind ?? 'positions');
  const [fields, setFields] = useState(row.values ? fieldsOf(row.values) : []);
  const sent = useEcho(row.values, (values) => {
    setKind(values?.kind ?? 'positions');
    setFields(values ? fieldsOf(values) : []);
  });
  const apply = (k: Kind | 'positions', f: string[]) => {
    const values = k === 'positions' ? null : valuesOf(k, f);
    if (k !== 'positions' && (values === null || fieldProblems(k, f).some(Boolean))) return;
    sent(values);
    void setCoord(row.name, values);
  };
  const engineSays = (i?: number) => (checkError?.key === coordKey(row.name, i) ? checkError.message : null);
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
            keyOf={(i) => coordKey(row.name, i)}
            messages={fieldProblems(kind, fields).map((p, i) => p ?? engineSays(i))}
            whole={engineSays()}
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

/**
 * What the last run's model returned beyond the declared outputs (kept in the run database only, as psweep keeps
 * them): offered as outputs, so that the next run puts them into the dataset too.
 */
function UndeclaredOffer({ outputs }: { outputs: OutputRow[] }) {
  const setOutputs = useEdit((s) => s.setOutputs);
  const last = useRuns((s) => s.history[0]);
  const names = (last?.undeclared ?? []).filter((n) => !outputs.some((o) => o.name === n));
  if (!last || names.length === 0) return null;
  const them = names.length === 1 ? 'it' : 'them';
  return (
    <p className="hint" role="note">
      Run {last.run_seq}&apos;s model also returned {names.map((n, i) => [i > 0 && ', ', <code key={n}>{n}</code>])},
      which the outputs do not declare: the run database keeps {them}, the dataset does not.{' '}
      <button
        type="button"
        className="plain"
        onClick={() => void setOutputs([...outputs, ...names.map((name) => ({ name, dims: [] }))])}
      >
        Add {names.length === 1 ? names[0] : `these ${names.length}`} as output{names.length === 1 ? '' : 's'}
      </button>
    </p>
  );
}

export function OutputsEditor() {
  const rows = useEdit((s) => s.rows);
  const outputs = rows?.outputs ?? [];
  const coords = rows?.coords ?? [];
  const setOutputs = useEdit((s) => s.setOutputs);
  const checkError = useCheckFieldError();
  const [added, setAdded] = useState<string | null>(null);
  const table = useRef<HTMLTableElement>(null);
  useEffect(() => {
    if (added === null) return;
    const input = table.current?.querySelector<HTMLInputElement>(`input[aria-label="Name of output ${added}"]`);
    if (!input) return;
    input.focus();
    input.select();
    setAdded(null);
  }, [added, outputs]);
  const change = (i: number, row: OutputRow) => void setOutputs(outputs.map((o, j) => (j === i ? row : o)));
  const fresh = freshName(
    'out',
    outputs.map((o) => o.name),
  );
  const says = (key: string) => (checkError?.key === key ? checkError.message : null);
  const add = (
    <button
      type="button"
      className="plain"
      onClick={() => {
        setAdded(fresh);
        void setOutputs([...outputs, { name: fresh, dims: [] }]);
      }}
    >
      Add output
    </button>
  );
  return (
    <EditorSection id="outputs" title="Outputs" className="cases-editor" action={add}>
      <div className="table-scroll">
        <table className="combos" aria-label="Outputs to edit" ref={table}>
          <ColumnHeads names={['Output', 'Its own dims']}>
            <RemoveHeader />
          </ColumnHeads>
          <tbody>
            {outputs.map((o, i) => (
              <tr key={`${o.name}:${o.dims.join()}`}>
                <th scope="row">
                  <input
                    aria-label={`Name of output ${o.name}`}
                    defaultValue={o.name}
                    spellCheck={false}
                    {...invalidProps(outputKey(o.name, 'name'), says(outputKey(o.name, 'name')))}
                    onBlur={(e) => e.target.value.trim() !== o.name && change(i, { ...o, name: e.target.value.trim() })}
                  />
                  <FieldError field={outputKey(o.name, 'name')} message={says(outputKey(o.name, 'name'))} />
                </th>
                <td>
                  <input
                    aria-label={`Dims of output ${o.name}`}
                    defaultValue={o.dims.join(', ')}
                    spellCheck={false}
                    className="wide"
                    {...invalidProps(outputKey(o.name, 'dims'), says(outputKey(o.name, 'dims')))}
                    onBlur={(e) => {
                      const dims = e.target.value
                        .split(',')
                        .map((d) => d.trim())
                        .filter(Boolean);
                      if (dims.join() !== o.dims.join()) change(i, { ...o, dims });
                    }}
                  />
                  <FieldError field={outputKey(o.name, 'dims')} message={says(outputKey(o.name, 'dims'))} />
                </td>
                <td>
                  <RemoveButton
                    label={`Remove output ${o.name}`}
                    onClick={() => void setOutputs(outputs.filter((_, j) => j !== i))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">An output&apos;s own dims, comma-separated (e.g. t, x); none for a scalar.</p>
      <UndeclaredOffer outputs={outputs} />
      {coords.length > 0 && (
        <>
          <h3>Coords of the output dims</h3>
          <table className="combos params" aria-label="Coords of the output dims">
            <ColumnHeads names={['Dim', 'Coords', 'Values']} />
            <tbody>
              {coords.map((c) => (
                <CoordEditor key={c.name} row={c} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </EditorSection>
  );
}
