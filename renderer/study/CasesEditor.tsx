// The particular cases as an editable table: a cell written when it is left, rows added (the new one takes the
// focus), pasted from a spreadsheet or imported from a CSV/TSV file; a broken paste names its line.
import { useEffect, useRef, useState } from 'react';
import { parsePastedCases, scalarOf } from '../../shared/cases-paste';
import type { Scalar } from '../../shared/space';
import { useEdit } from '../app/stores';
import { EditorSection, RemoveButton, RemoveHeader } from './Section';
import { ColumnHeads } from '../app/ColumnHeads';

export function CasesEditor() {
  const rows = useEdit((s) => s.rows);
  const cases = rows?.cases ?? [];
  const setCases = useEdit((s) => s.setCases);
  const [paste, setPaste] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  // A case added by the button takes the focus (its first cell) once it is there.
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const table = useRef<HTMLTableElement>(null);
  useEffect(() => {
    if (focusRow === null || cases.length <= focusRow) return;
    table.current?.querySelectorAll('tbody tr')[focusRow]?.querySelector('input')?.focus();
    setFocusRow(null);
  }, [focusRow, cases.length]);
  const columns = [...new Set(cases.flatMap((c) => Object.keys(c)))];
  const setCell = (i: number, column: string, text: string) =>
    void setCases(cases.map((c, j) => (j === i ? { ...c, [column]: scalarOf(text) } : c)));
  const add = (more: Record<string, Scalar>[]) => void setCases([...cases, ...more]);
  const addCase = cases.length > 0 && (
    <button
      type="button"
      className="plain"
      onClick={() => {
        setFocusRow(cases.length);
        add([{ ...cases.at(-1)! }]);
      }}
    >
      Add case
    </button>
  );
  return (
    <EditorSection id="cases" title="Cases" className="cases-editor" action={addCase}>
      {cases.length === 0 ? (
        <p className="muted">
          No particular cases: every combination runs once. Make a parameter a case column, or paste rows below.
        </p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Cases to run" className="combos" ref={table}>
            <ColumnHeads names={columns}>
              <RemoveHeader />
            </ColumnHeads>
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
                    <RemoveButton
                      label={`Remove case ${i + 1}`}
                      onClick={() => void setCases(cases.filter((_, j) => j !== i))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details>
        <summary className="muted">Paste or import cases</summary>
        <label>
          Paste cases (a header row, then a row per case; tabs or commas)
          <textarea
            rows={3}
            value={paste}
            onChange={(e) => setPaste(e.target.value)}
            placeholder={'mode\tdt\nrk4\t0.01\neuler\t0.001'}
          />
        </label>
        <div className="row">
          <button
            type="button"
            className="plain"
            disabled={!paste.trim()}
            onClick={() => {
              try {
                add(parsePastedCases(paste));
                setPaste('');
                setPasteError(null);
              } catch (error) {
                setPasteError((error as Error).message);
              }
            }}
          >
            Add pasted cases
          </button>
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
                    add(parsePastedCases(text));
                    setPasteError(null);
                  } catch (error) {
                    setPasteError(`${file.name}: ${(error as Error).message}`);
                  }
                });
              }}
            />
          </label>
        </div>
      </details>
      {pasteError && (
        <p role="alert" className="error">
          {pasteError}
        </p>
      )}
    </EditorSection>
  );
}
