// The run bar, on every page while a study is open (as VS Code's status bar): Run (or "Save and run": a run runs
// what the Study page shows), Dry run and the run options beside it; the current run's progress, counts, pace
// and time left, and Cancel; idle, how the last run ended. A run started in a terminal shows here too. Its
// details (running and failed cases, the runs before) open above it.
import { useRef } from 'react';
import { useAdapt, useEdit, useRuns, useUi } from '../app/stores';
import { useOutsideClose } from '../app/overlay';
import { RunDetails } from './RunDetails';
import { ModelError } from './ModelError';
import { unsavable } from '../study/edit-store';
import { formatRate, formatSeconds, lastRunText } from './format';
import { planOfCheck } from './run-store';
import type { RunState } from './run-store';
import type { Overwrite } from './run-store';

/** The line under the bar: this run's counts, or how the last one ended. */
function countsText(run: RunState): string {
  const finished = run.done + run.failed;
  if (run.status === 'starting') return 'Starting…';
  if (run.status === 'idle') {
    const last = run.history[0];
    return last ? lastRunText(last) : 'Not run yet.';
  }
  const pending = Math.max(0, run.total - finished - run.running);
  let text = `${run.done} done${run.status === 'running' ? ` (${run.stored} stored)` : ''}, ${run.failed} failed, ${run.running} running, ${pending} pending of ${run.total}`;
  if (run.status === 'running' && run.rate > 0)
    text += ` · ${formatRate(run.rate)}, about ${formatSeconds(run.eta)} left`;
  if (run.status === 'finished') text += ' — finished.';
  return text;
}

/**
 * A run whose values differ from the stored ones (Overwrite error): its results wait in conflict, and which values
 * the dataset keeps is chosen here (run.resolve). The run's own message, when this window saw it end, says what
 * differs.
 */
function Conflict({ runSeq, detail }: { runSeq: number; detail: string | null }) {
  const { resolve, resolving } = useRuns((s) => s);
  return (
    <div className="run-conflict" role="group" aria-label={`Run ${runSeq} in conflict`}>
      <p className="run-conflict-text" title={detail ?? undefined}>
        Run {runSeq}&apos;s values differ from the stored ones; its results are kept.
      </p>
      <button type="button" disabled={resolving} onClick={() => void resolve(runSeq, 'new')}>
        Keep the new values
      </button>
      <button type="button" className="plain" disabled={resolving} onClick={() => void resolve(runSeq, 'old')}>
        Keep the stored values
      </button>
      {detail && <p className="hint">{detail}</p>}
    </div>
  );
}

function RunOptions() {
  const { choices, setChoices } = useRuns((s) => s);
  return (
    <div id="run-options" className="popover above" role="dialog" aria-label="Run options">
      <div className="run-controls">
        <label>
          Workers
          <input
            type="number"
            min={1}
            max={256}
            value={choices.workers}
            placeholder="auto"
            onChange={(e) => setChoices({ workers: e.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={choices.missingOnly}
            onChange={(e) => setChoices({ missingOnly: e.target.checked })}
          />
          Missing only
        </label>
        <label>
          Overwrite
          <select value={choices.overwrite} onChange={(e) => setChoices({ overwrite: e.target.value as Overwrite })}>
            <option value="error">error (stored values must agree)</option>
            <option value="new">new (new values win)</option>
            <option value="old">old (stored values win)</option>
          </select>
        </label>
      </div>
      <p className="hint">
        Missing only runs the cases not done yet; Overwrite says which value wins where a case ran before.
      </p>
    </div>
  );
}

export function RunBar() {
  const run = useRuns((s) => s);
  const { draft, base, check, checked, saving } = useEdit((s) => s);
  const { overlay, toggle, close } = useUi((s) => s);
  const box = useRef<HTMLElement>(null);
  useOutsideClose(box, overlay === 'run-options' || overlay === 'run-details', close);
  // An adaptive run (the Adapt page's) is the engine's run while it goes: a grid run waits for it.
  const adapt = useAdapt((s) => (s.status === 'running' || s.status === 'stopping' ? s : null));
  const busy = run.status === 'starting' || run.status === 'running' || adapt !== null;
  const unsaved = draft !== null && draft !== base;
  // Unsaved edits are saved by Run; edits with an error cannot be, so nothing runs until they are fixed.
  const blocked = unsavable({ draft, base, check, checked });
  const finished = run.done + run.failed;
  // This run's failures while it goes; idle, the cases whose latest attempt failed.
  const failedCount = run.status === 'idle' ? run.failedBefore.total : run.failed;
  const dryRun = () => {
    if (!unsaved) return void run.simulate({ missingOnly: run.choices.missingOnly });
    if (check?.ok && checked === draft) run.showPlan(planOfCheck(check, run.choices), true);
  };
  // The newest run whose cases wait in conflict; its error (when this window saw it end) is shown with its choice.
  const conflict = busy ? undefined : run.history.find((r) => r.status === 'conflict');
  const conflictError = conflict !== undefined && run.status === 'error' && run.runId === conflict.run_id;
  const label = saving && run.status === 'starting' ? 'Saving…' : busy ? 'Running…' : unsaved ? 'Save and run' : 'Run';
  return (
    <section className="run-bar" aria-label="Run" ref={box}>
      <div className="run-bar-actions">
        <button
          type="button"
          disabled={busy || blocked}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          onClick={() => void run.start(run.startParams())}
        >
          {label}
        </button>
        <button type="button" className="plain" disabled={busy || blocked} onClick={dryRun}>
          Dry run
        </button>
        <button
          type="button"
          id="trigger-run-options"
          className="plain"
          aria-expanded={overlay === 'run-options'}
          aria-controls={overlay === 'run-options' ? 'run-options' : undefined}
          onClick={() => toggle('run-options')}
        >
          Run options
        </button>
      </div>
      <div className="run-bar-status">
        <div
          className="progress"
          role="progressbar"
          aria-label="Run progress"
          aria-valuemin={0}
          aria-valuemax={run.total}
          aria-valuenow={finished}
          aria-valuetext={`${finished} of ${run.total} cases finished`}
        >
          <div className="progress-done" style={{ width: `${(100 * run.done) / Math.max(1, run.total)}%` }} />
          <div className="progress-failed" style={{ width: `${(100 * run.failed) / Math.max(1, run.total)}%` }} />
        </div>
        {adapt ? (
          <p className="run-counts">
            An adaptive run is going (the Adapt page): {adapt.progress?.points.toLocaleString('en') ?? 0} points
            {adapt.progress?.loss != null ? `, loss ${adapt.progress.loss.toPrecision(3)}` : ''}.
          </p>
        ) : (
          <p className="run-counts" aria-live="polite" title={countsText(run)}>
            {countsText(run)}
          </p>
        )}
        {blocked && checked === draft && (
          <p role="status" className="error">
            The study has an error (marked on the Study page): it cannot be saved or run until it is fixed.
          </p>
        )}
        {conflict && <Conflict runSeq={conflict.run_seq} detail={conflictError ? run.error : null} />}
        {run.notice && !busy && <p role="status">{run.notice}</p>}
        {run.error && !run.errorAt && !conflictError && (
          <p role="alert" className="error" title={run.error}>
            {run.error}
          </p>
        )}
        {run.error && run.errorAt && (
          <div role="alert" className="error">
            <ModelError error={run.error} at={run.errorAt} />
          </div>
        )}
        {busy && run.by && (
          <p role="status">Run by {run.by}, followed here from the run database: stop it where it was started.</p>
        )}
        {run.plan && !busy && (
          <p className="plan" role="status">
            {run.planOfDraft ? 'The edited study (not saved yet) would run' : 'A run would run'} {run.plan.would_run} of{' '}
            {run.plan.cases} cases: {run.plan.new} never run, {run.plan.done_before} done before,{' '}
            {run.plan.failed_before} failed before. Nothing was changed.
          </p>
        )}
        {run.sampled && (
          <p role="status">
            {run.sampled.n} samples drawn with seed {run.sampled.seed} (give it again to draw the same ones).
          </p>
        )}
      </div>
      <div className="run-bar-side">
        {busy && !run.by && !adapt && (
          <button type="button" className="danger" onClick={() => void run.cancel()}>
            Cancel run
          </button>
        )}
        {adapt && (
          <button
            type="button"
            className="danger"
            disabled={adapt.status === 'stopping'}
            onClick={() => void adapt.stop()}
          >
            Stop adaptive run
          </button>
        )}
        <button
          type="button"
          id="trigger-run-details"
          className={`plain${failedCount > 0 ? ' has-failures' : ''}`}
          aria-expanded={overlay === 'run-details'}
          aria-controls={overlay === 'run-details' ? 'run-details' : undefined}
          onClick={() => toggle('run-details')}
        >
          Run details{failedCount > 0 ? ` · ${failedCount} failed` : ''}
        </button>
      </div>
      {overlay === 'run-options' && <RunOptions />}
      {overlay === 'run-details' && <RunDetails />}
    </section>
  );
}
