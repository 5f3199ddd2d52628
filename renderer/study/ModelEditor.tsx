// The model of the study: a JS module (its file and the function it exports) or a command (a program and its
// arguments, with {name} placeholders for the parameters), and the time a case may take. Files are picked from
// the study folder (a list offered as the field is typed, or "Add a file"). A change is written to study.yaml
// (study.edit) when a field is left, and only when the model it makes is whole.
import { useEffect, useState } from 'react';
import type { StudyRows } from '../../shared/api';
import { useEdit } from '../app/stores';
import { useEcho } from './use-echo';

type ModelRow = StudyRows['model'];

export function ModelEditor({ model, parameters }: { model: ModelRow; parameters: string[] }) {
  const { setModel, files, loadFiles } = useEdit((s) => s);
  const [kind, setKind] = useState<'module' | 'command'>(model.command ? 'command' : 'module');
  const [module, setModule] = useState(model.module ?? '');
  const [exported, setExported] = useState(model.export ?? '');
  const [command, setCommand] = useState<string[]>(model.command ?? ['']);
  const [timeout, setTimeoutText] = useState(model.timeout === undefined ? '' : String(model.timeout));
  useEffect(() => {
    if (files === null) void loadFiles();
  }, [files, loadFiles]);
  // study.yaml changed under the form (edited as text, Revert): show what it says now.
  const given = JSON.stringify(model);
  const sent = useEcho(model, (m) => {
    setKind(m.command ? 'command' : 'module');
    setModule(m.module ?? '');
    setExported(m.export ?? '');
    setCommand(m.command ?? ['']);
    setTimeoutText(m.timeout === undefined ? '' : String(m.timeout));
  });
  const apply = (next: Partial<{ kind: typeof kind; module: string; exported: string; command: string[] }> = {}) => {
    const k = next.kind ?? kind;
    const seconds = timeout.trim() === '' ? undefined : Number(timeout);
    const row: ModelRow =
      k === 'module'
        ? {
            module: (next.module ?? module).trim(),
            ...((next.exported ?? exported).trim() ? { export: (next.exported ?? exported).trim() } : {}),
          }
        : { command: next.command ?? command };
    if (seconds !== undefined && Number.isFinite(seconds)) row.timeout = seconds;
    const whole = k === 'module' ? row.module !== '' : (row.command?.[0] ?? '').trim() !== '';
    if (whole && JSON.stringify(row) !== given) {
      sent(row);
      void setModel(row);
    }
  };
  const setArgument = (i: number, text: string) => setCommand(command.map((a, j) => (j === i ? text : a)));
  const addArgument = (text: string) => {
    const next = [...command, text];
    setCommand(next);
    apply({ command: next });
  };

  return (
    <div className="cases-editor model-editor">
      <h3 id="model-heading">Model</h3>
      <datalist id="study-files">
        {(files ?? []).map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <div role="radiogroup" aria-label="Kind of model" className="model-kind">
        <label className="check">
          <input
            type="radio"
            name="model-kind"
            checked={kind === 'module'}
            onChange={() => {
              setKind('module');
              apply({ kind: 'module' });
            }}
          />
          A JS module (its function takes the parameters, returns the outputs)
        </label>
        <label className="check">
          <input
            type="radio"
            name="model-kind"
            checked={kind === 'command'}
            onChange={() => {
              setKind('command');
              apply({ kind: 'command' });
            }}
          />
          A command (any program, run once per case in its own folder)
        </label>
      </div>
      {kind === 'module' ? (
        <div className="crop-form">
          <label>
            Module file
            <input
              list="study-files"
              value={module}
              placeholder="./model.mjs"
              spellCheck={false}
              onChange={(e) => setModule(e.target.value)}
              onBlur={() => apply()}
            />
          </label>
          <label>
            Function it exports
            <input
              value={exported}
              placeholder="default"
              spellCheck={false}
              onChange={(e) => setExported(e.target.value)}
              onBlur={() => apply()}
            />
          </label>
        </div>
      ) : (
        <>
          <p className="command-label" id="command-label">
            Command: the program, then its arguments
          </p>
          <ol className="command-args" aria-labelledby="command-label">
            {command.map((arg, i) => (
              <li key={i}>
                <input
                  aria-label={i === 0 ? 'Program' : `Argument ${i}`}
                  list="study-files"
                  value={arg}
                  placeholder={i === 0 ? 'python3' : '{name} or a value'}
                  spellCheck={false}
                  onChange={(e) => setArgument(i, e.target.value)}
                  onBlur={() => apply()}
                />
                {i > 0 && (
                  <button
                    type="button"
                    className="plain"
                    aria-label={`Remove argument ${i}`}
                    onClick={() => {
                      const next = command.filter((_, j) => j !== i);
                      setCommand(next);
                      apply({ command: next });
                    }}
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ol>
          <div className="crop-form">
            <button type="button" className="plain" onClick={() => setCommand([...command, ''])}>
              Add argument
            </button>
            <label>
              Add a parameter
              <select value="" onChange={(e) => e.target.value && addArgument(`{${e.target.value}}`)}>
                <option value="">…</option>
                {parameters.map((p) => (
                  <option key={p} value={p}>
                    {`{${p}}`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Add a file
              <select value="" onChange={(e) => e.target.value && addArgument(e.target.value)}>
                <option value="">…</option>
                {(files ?? []).map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <p className="hint">
            Each argument reaches the program as it is, never through a shell; <code>{'{name}'}</code> becomes the
            case&apos;s value of that parameter.
          </p>
        </>
      )}
      <div className="crop-form">
        <label>
          Timeout per case (seconds)
          <input
            type="number"
            min={0}
            value={timeout}
            placeholder="60"
            onChange={(e) => setTimeoutText(e.target.value)}
            onBlur={() => apply()}
          />
        </label>
      </div>
    </div>
  );
}
