// The Study page: the study edited by pointing and clicking, as sections side by side where the window is wide
// enough (the model, the parameters, the cases, the outputs, trying one case, random samples, study.yaml itself),
// under a head that saves, reverts and says what the edited study makes. An error sits at its field; what the form
// has no field for is said with its line of study.yaml, which the text view shows.
import { useEffect, useRef, useState } from 'react';
import { useEdit } from '../app/stores';
import { SamplesSection } from '../runs/SamplesSection';
import { CasesEditor } from './CasesEditor';
import { checkErrorOf } from './field-errors';
import { useCheckFieldError } from './FieldError';
import { ModelEditor } from './ModelEditor';
import { OutputsEditor } from './OutputsEditor';
import { ParametersEditor } from './ParametersEditor';
import { TryOneCase } from './TryOneCase';

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Select line `n` (1-based) of a textarea and scroll it into view. */
function showLine(area: HTMLTextAreaElement, n: number): void {
  const lines = area.value.split('\n');
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
  area.focus();
  area.setSelectionRange(start, start + (lines[n - 1]?.length ?? 0));
  const lineHeight = area.scrollHeight / Math.max(1, lines.length);
  area.scrollTop = Math.max(0, (n - 3) * lineHeight);
}

function StudyText({
  line,
  message,
  shown,
  setShown,
}: {
  line: number | null;
  message: string | null;
  shown: boolean;
  setShown: (v: boolean) => void;
}) {
  const { draft, setDraft } = useEdit((s) => s);
  const area = useRef<HTMLTextAreaElement>(null);
  const [goTo, setGoTo] = useState<number | null>(null);
  useEffect(() => {
    if (goTo !== null && area.current) showLine(area.current, goTo);
    setGoTo(null);
  }, [goTo]);
  if (draft === null) return null;
  return (
    <section className="panel wide yaml-editor" aria-labelledby="yaml-heading" id="study-text">
      <div className="section-head">
        <h2 id="yaml-heading">study.yaml</h2>
        <button type="button" className="plain" aria-expanded={shown} onClick={() => setShown(!shown)}>
          {shown ? 'Hide the text' : 'Show the text'}
        </button>
      </div>
      {!shown && <p className="muted">The study as text: every edit above is made to it, keeping its comments.</p>}
      {shown && (
        <>
          <textarea
            ref={area}
            aria-label="study.yaml"
            value={draft}
            rows={Math.min(28, draft.split('\n').length + 1)}
            spellCheck={false}
            onChange={(e) => setDraft(e.target.value)}
            {...(message ? { 'aria-invalid': true, 'aria-describedby': 'study-text-error' } : {})}
          />
          {message && (
            <p id="study-text-error" className="error">
              {line !== null ? (
                <button type="button" className="link" onClick={() => setGoTo(line)}>
                  Line {line}
                </button>
              ) : (
                'study.yaml'
              )}
              : {message}
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function StudyPage() {
  const edit = useEdit((s) => s);
  const fieldError = useCheckFieldError();
  const [textShown, setTextShown] = useState(false);
  const { load, draft } = edit;
  useEffect(() => {
    if (draft === null) void load(true);
  }, [draft, load]);
  if (draft === null) return null;
  const check = edit.check;
  const unsaved = draft !== edit.base;
  const current = edit.checked === draft;
  const failed = check && !check.ok && current ? checkErrorOf(check) : null;
  // The file's own terms (field path, line) for the text view; the form's field says it in words.
  const fileMessage = failed ? `${failed.path ? `${failed.path.join('.')}: ` : ''}${failed.detail}` : null;
  const elsewhere = failed && !fieldError;
  return (
    <>
      <div className="page-head">
        <h1>Study</h1>
        <div className="row">
          <button
            type="button"
            aria-keyshortcuts="Control+S Meta+S"
            disabled={!unsaved || edit.saving || !check?.ok || !current}
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
        </div>
        <span className="status">{unsaved ? 'Unsaved changes.' : 'Saved.'}</span>
        <span className="status" aria-live="polite">
          {check?.ok && (
            <span data-testid="live-counts">
              {check.summary.caseCount} cases: {check.new} new, {check.done_before} done before, {check.failed_before}{' '}
              failed before
              {check.estimated_seconds !== null &&
                check.new > 0 &&
                ` · about ${duration(check.estimated_seconds)} at the pace of earlier runs`}
            </span>
          )}
          {failed && fieldError && <span className="error">The marked field needs a change before this runs.</span>}
        </span>
      </div>
      {(edit.editError || elsewhere || edit.saveError) && (
        <div role="alert" className="error">
          {edit.editError && <p>{edit.editError}</p>}
          {elsewhere && (
            <p>
              {failed.detail}{' '}
              {failed.line !== null && (
                <button
                  type="button"
                  className="plain"
                  onClick={() => {
                    setTextShown(true);
                    requestAnimationFrame(() => {
                      const area = document.querySelector<HTMLTextAreaElement>('#study-text textarea');
                      if (area) showLine(area, failed.line!);
                    });
                  }}
                >
                  Show line {failed.line} of study.yaml
                </button>
              )}
            </p>
          )}
          {edit.saveError && <p>{edit.saveError}</p>}
        </div>
      )}
      <div className="sections">
        <ModelEditor />
        <ParametersEditor />
        <OutputsEditor />
        <CasesEditor />
        <TryOneCase />
        <SamplesSection />
        <StudyText line={failed?.line ?? null} message={fileMessage} shown={textShown} setShown={setTextShown} />
      </div>
    </>
  );
}
