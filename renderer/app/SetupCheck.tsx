// Help → Check setup: what Furrow found on this machine and what the open study needs, a line each, ok or what to
// do: the same report as `furrow doctor` (the engine's setup.check).
import { useEffect, useRef } from 'react';
import type { SetupLine } from '../../shared/api';
import { useSetup, useStudy, useUi } from './stores';

/** The words `furrow doctor` marks its lines with. */
const STATE_WORD: Record<SetupLine['state'], string> = { ok: 'ok', warning: 'warn', error: 'fail' };

export function SetupCheck() {
  const { report, checking, error, check } = useSetup((s) => s);
  const close = useUi((s) => s.close);
  // Checked when the dialog opens, and again when another study arrives while it is open (one the page was still
  // waiting for, one opened in another window): a report of the study before would be stale.
  const dir = useStudy((s) => s.study?.dir);
  const again = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    void check();
  }, [check, dir]);
  useEffect(() => {
    again.current?.focus();
  }, []);
  return (
    <div id="setup-popover" className="popover right setup-check" role="dialog" aria-label="Check setup">
      <h2>Check setup</h2>
      {error && (
        <p role="alert" className="error">
          The check could not run: {error}
        </p>
      )}
      {report && (
        <>
          <p role="status">
            {report.ready
              ? `All that ${report.study ? 'the study' : 'Furrow'} needs is here.`
              : `Some of what ${report.study ? 'the study' : 'Furrow'} needs is missing.`}
            {report.study ? ` Study: ${report.study}` : ' No study is open: only this machine was checked.'}
          </p>
          <ul className="setup-lines" aria-busy={checking}>
            {report.lines.map((l) => (
              <li key={l.check} className={`setup-line ${l.state}`}>
                <span className="setup-state">{STATE_WORD[l.state]}</span>
                <span className="setup-check-name">{l.check}</span>
                <span className="setup-found">
                  {l.found}
                  {l.fix && <span className="setup-fix">To do: {l.fix}</span>}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {!report && !error && <p role="status">Checking…</p>}
      <p className="muted">
        The same report in a terminal: <code>furrow doctor{report?.study ? ` ${report.study}` : ''}</code>
      </p>
      <div className="row">
        <button type="button" ref={again} onClick={() => void check()} disabled={checking}>
          {checking ? 'Checking…' : 'Check again'}
        </button>
        <button type="button" className="plain" onClick={close}>
          Close
        </button>
      </div>
    </div>
  );
}
