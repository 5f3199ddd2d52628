// The model of the study: a JS module (its file and the function it exports) or a command (a program and its
// arguments, with {name} placeholders for the parameters), and the time a case may take. Files are picked from
// the study folder (a list offered as the field is typed, or "Add a file"). A change is written to study.yaml
// (study.edit) when a field is left, and only when the model it makes is whole.
import { useEffect, useRef, useState } from 'react';
import type { StudyRows } from '../../shared/api';
import { useEdit } from '../app/stores';
import { modelKey } from './field-errors';
import { FieldError, invalidProps, useCheckFieldError } from './FieldError';
import { RemoveButton } from './Section';
import { useEcho } from './use-echo';

type ModelRow = StudyRows['model'];
/** Before the draft is read (selectors must return the same object each time, or the view never settles). */
const NO_MODEL: ModelRow = {};

export function ModelEditor() {
  const rows = useEdit((s) => s.rows);
  const model = rows?.model ?? NO_MODEL;
  const parameters = (rows?.parameters ?? []).map((r) => r.name);
  const { setModel, files, loadFiles } = useEdit((s) => s);
  const checkError = useCheckFieldError();
  const says = (part: Parameters<typeof modelKey>[0]) =>
    checkError?.key === modelKey(part) ? checkError.message : null;
  const [kind, setKind] = useState<'module' | 'command'>(model.command ? 'command' : 'module');
  const [module, setModule] = useState(model.module ?? '');
  const [exported, setExported] = useState(model.export ?? '');
  const [command, setCommand] = useState<string[]>(model.command ?? ['']);
  const [timeout, setTimeoutText] = useState(model.timeout === undefined ? '' : String(model.timeout));
  useEffect(() => {
    if (files === null) void loadFiles();
  }, [files, loadFiles]);
  // An argument added by the button takes the focus.
  const section = useRef<HTMLElement>(null);
  const [focusArgument, setFocusArgument] = useState<number | null>(null);
  useEffect(() => {
    if (focusArgument === null) return;
    section.current?.querySelector<HTMLInputElement>(`input[aria-label="Argument ${focusArgument}"]`)?.focus();
    setFocusArgument(null);
  }, [focusArgument]);
  // study.yaml changed under the form (edited as text, Revert): show what it says now.
  const given = JSON.stringify(model);
  const sent = useEcho(model, (m) => {
    setKind(m.command ? 'command' : 'module');
    setModule(m.module ?? '');
    setExported(m.export ?? '');
    setCommand(m.command ?? ['']);
    setTimeoutText(m.timeout === undefined ? '' : String(m.timeout));
  });
  const timeoutProblem =
    timeout.trim() === '' || Number(timeout) > 0 ? null : 'the timeout must be a number of seconds above 0';
  const apply = (next: Partial<{ kind: typeof kind; module: string; exported: string; command: string[] }> = {}) => {
    const k = next.kind ?? kind;
    const seconds = timeout.trim() === '' ? undefined : Number(timeout);
    if (timeoutProblem) return;
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
  const moduleProblem = kind === 'module' && module.trim() === '' ? 'give the module file, e.g. ./model.mjs' : null;
  const setArgument = (i: number, text: string) => setCommand(command.map((a, j) => (j === i ? text : a)));
  const addArgument = (text: string) => {
    const next = [...command, text];
    setCommand(next);
    apply({ command: next });
  };

  return (
    <section className="panel model-editor" aria-labelledby="model-heading" ref={section}>
      <h2 id="model-heading">Model</h2>
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
              {...invalidProps(modelKey('module'), moduleProblem ?? says('module'))}
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
              {...invalidProps(modelKey('export'), says('export'))}
            />
          </label>
          <FieldError field={modelKey('module')} message={moduleProblem ?? says('module')} />
          <FieldError field={modelKey('export')} message={says('export')} />
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
                  {...(i === 0 ? invalidProps(modelKey('command'), says('command')) : {})}
                  list="study-files"
                  value={arg}
                  placeholder={i === 0 ? 'python3' : '{name} or a value'}
                  spellCheck={false}
                  onChange={(e) => setArgument(i, e.target.value)}
                  onBlur={() => apply()}
                />
                {i > 0 && (
                  <RemoveButton
                    label={`Remove argument ${i}`}
                    onClick={() => {
                      const next = command.filter((_, j) => j !== i);
                      setCommand(next);
                      apply({ command: next });
                    }}
                  />
                )}
              </li>
            ))}
          </ol>
          <div className="crop-form">
            <button
              type="button"
              className="plain"
              onClick={() => {
                setCommand([...command, '']);
                setFocusArgument(command.length);
              }}
            >
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
          <FieldError field={modelKey('command')} message={says('command')} />
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
            {...invalidProps(modelKey('timeout'), timeoutProblem ?? says('timeout'))}
          />
        </label>
        <FieldError field={modelKey('timeout')} message={timeoutProblem ?? says('timeout')} />
      </div>
      <FieldError field={modelKey('kind')} message={says('kind')} />
    </section>
  );
}
