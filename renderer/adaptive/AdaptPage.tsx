// The Adapt page, beside the run bar's Run: learn the study's output over ranges of its numeric parameters,
// calling the model where the output changes fastest (python-adaptive's learners, in the engine). Choose what to
// learn, the loss and the goal; Start; the points and the line (one parameter) or surface (two) through them are
// drawn again as each adapt.progress lands, with the point count and the loss falling; Stop at any time; Start
// again resumes from the stored points.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ADAPT_LOSSES } from '../../shared/adaptive';
import type { AdaptLoss } from '../../shared/adaptive';
import { useAdapt, useStudy } from '../app/stores';
import { describePlot, figureOf } from '../plots/figure';
import { usePlotHost, withPlotly } from '../plots/plotly';
import { themedLayout, useDarkScheme } from '../plots/theme';
import type { AdaptField, GoalKind } from './adapt-form';
import { errorId, fieldId, GOAL_LABELS, scalarOutputs } from './adapt-form';
import { comboLabel, learnedPlot, lossFigure } from './adapt-figures';
import { ColumnHeads } from '../app/ColumnHeads';

const LOSSES: Record<AdaptLoss, string> = {
  default: 'Default: where the output changes most (distance; in 2-D area and interpolation error)',
  curvature: 'Curvature: where the line bends (1-D)',
  uniform: 'Uniform: the largest gaps first',
};

/** A line marks each of its points up to this many (more sit closer than a marker is wide). */
const MARKED_AT_MOST = 400;

const fmt = (v: number | null | undefined) =>
  v === null || v === undefined
    ? '–'
    : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3
      ? v.toExponential(2)
      : v.toPrecision(3);

/** A control's error, under it: its id is the control's aria-describedby. */
function FieldMessage({ field }: { field: AdaptField }) {
  const message = useAdapt((s) => s.errors[field]);
  if (!message) return null;
  return (
    <span id={errorId(field)} role="alert" className="field-error">
      {message}
    </span>
  );
}

function useInvalid(field: AdaptField) {
  const message = useAdapt((s) => s.errors[field]);
  return message ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) } : {};
}

function Field({ field, label, children }: { field: AdaptField; label: string; children: ReactNode }) {
  return (
    <div className="adapt-field">
      <label htmlFor={fieldId(field)}>{label}</label>
      {children}
      <FieldMessage field={field} />
    </div>
  );
}

function ParamRows() {
  const form = useAdapt((s) => s.form)!;
  const editParam = useAdapt((s) => s.editParam);
  const locked = useAdapt((s) => s.status !== 'idle');
  const paramsError = useAdapt((s) => s.errors.params);
  return (
    <fieldset className="adapt-params" aria-describedby={paramsError ? errorId('params') : undefined}>
      <legend>Learned parameters</legend>
      {form.params.length > 0 && (
        <table>
          <ColumnHeads names={['Learn', 'From', 'To']} />
          <tbody>
            {form.params.map((p) => (
              <ParamRow key={p.name} name={p.name} locked={locked} onChange={(c) => editParam(p.name, c)} />
            ))}
          </tbody>
        </table>
      )}
      <FieldMessage field="params" />
      <p className="muted adapt-note">
        The others stay as the study has them: a learner for each combination of their values.
      </p>
    </fieldset>
  );
}

function ParamRow({
  name,
  locked,
  onChange,
}: {
  name: string;
  locked: boolean;
  onChange: (change: { learn?: boolean; lo?: string; hi?: string }) => void;
}) {
  const p = useAdapt((s) => s.form!.params.find((q) => q.name === name)!);
  return (
    <tr>
      <th scope="row">
        <label className="check">
          <input
            type="checkbox"
            checked={p.learn}
            disabled={locked}
            onChange={(e) => onChange({ learn: e.target.checked })}
          />{' '}
          {name}
        </label>
      </th>
      <BoundCell name={name} bound="lo" value={p.lo} disabled={locked || !p.learn} onChange={onChange} />
      <BoundCell name={name} bound="hi" value={p.hi} disabled={locked || !p.learn} onChange={onChange} />
    </tr>
  );
}

/** A learned parameter's From (lo) or To (hi), with its error under it. */
function BoundCell({
  name,
  bound,
  value,
  disabled,
  onChange,
}: {
  name: string;
  bound: 'lo' | 'hi';
  value: string;
  disabled: boolean;
  onChange: (change: { lo?: string; hi?: string }) => void;
}) {
  const field: AdaptField = `${bound}:${name}`;
  const invalid = useInvalid(field);
  return (
    <td>
      <input
        id={fieldId(field)}
        aria-label={`${name} ${bound === 'lo' ? 'from' : 'to'}`}
        inputMode="decimal"
        value={value}
        disabled={disabled}
        onChange={(e) => onChange({ [bound]: e.target.value })}
        {...invalid}
      />
      <FieldMessage field={field} />
    </td>
  );
}

function AdaptFormView() {
  const study = useStudy((s) => s.study)!;
  const { form, edit, setGoal, start, stop, status, points, progress } = useAdapt((s) => s);
  const output = useInvalid('output');
  const goal = useInvalid('goal');
  const workers = useInvalid('workers');
  const startError = useAdapt((s) => s.errors.start);
  if (!form) return null;
  const locked = status !== 'idle';
  const outputs = scalarOutputs(study);
  const stored = status === 'idle' ? points.length : 0;
  const same =
    progress !== null &&
    progress.output === form.output &&
    form.params
      .filter((p) => p.learn)
      .map((p) => p.name)
      .join() === progress.params.map((p) => p.name).join();
  return (
    <form
      className="panel adapt-form"
      aria-label="What to learn"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <ParamRows />
      <Field field="output" label="Output">
        <select
          id={fieldId('output')}
          value={form.output}
          disabled={locked || outputs.length === 0}
          onChange={(e) => edit({ output: e.target.value })}
          {...output}
        >
          {outputs.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </Field>
      <div className="adapt-field">
        <label htmlFor="adapt-loss">Loss</label>
        <select
          id="adapt-loss"
          value={form.loss}
          disabled={locked}
          onChange={(e) => edit({ loss: e.target.value as AdaptLoss })}
        >
          {ADAPT_LOSSES.map((l) => (
            <option key={l} value={l}>
              {LOSSES[l]}
            </option>
          ))}
        </select>
      </div>
      <div className="adapt-field adapt-goal">
        <label htmlFor="adapt-goal-kind">Goal</label>
        <div className="row">
          <select
            id="adapt-goal-kind"
            value={form.goal}
            disabled={locked}
            onChange={(e) => setGoal(e.target.value as GoalKind)}
          >
            <option value="points">Points in all</option>
            <option value="loss">Loss at most</option>
            <option value="seconds">Seconds</option>
          </select>
          <input
            id={fieldId('goal')}
            aria-label={GOAL_LABELS[form.goal]}
            inputMode="decimal"
            value={form.goalValue}
            disabled={locked}
            onChange={(e) => edit({ goalValue: e.target.value })}
            {...goal}
          />
        </div>
        <FieldMessage field="goal" />
      </div>
      <Field field="workers" label="Workers">
        <input
          id={fieldId('workers')}
          inputMode="numeric"
          placeholder="as many as cores"
          value={form.workers}
          disabled={locked}
          onChange={(e) => edit({ workers: e.target.value })}
          {...workers}
        />
      </Field>
      <div className="row adapt-actions">
        {status === 'running' || status === 'stopping' ? (
          <button type="button" className="danger" disabled={status === 'stopping'} onClick={() => void stop()}>
            {status === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button
            type="submit"
            id={fieldId('start')}
            disabled={status === 'starting'}
            {...(startError ? { 'aria-describedby': errorId('start') } : {})}
          >
            {status === 'starting' ? 'Starting…' : 'Start'}
          </button>
        )}
        {status === 'idle' && stored > 0 && same && (
          <span className="muted">Resumes from {stored.toLocaleString('en')} stored points</span>
        )}
        {status === 'idle' && stored > 0 && !same && (
          <span className="muted">
            {stored.toLocaleString('en')} points are stored for {progress?.output} over{' '}
            {progress?.params.map((p) => p.name).join(', ')}: choose those to resume them
          </span>
        )}
      </div>
      <FieldMessage field="start" />
    </form>
  );
}

function PlotlyFigure({
  data,
  layout,
  label,
  className,
}: {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  label: string;
  className: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const dark = useDarkScheme();
  // Events land four times a second, and a draw of thousands of points may take longer on a busy machine: a draw
  // asked for while one is going waits for it, and only the latest of those is drawn (none queue up behind).
  const latest = useRef({ data, layout, dark });
  latest.current = { data, layout, dark };
  const drawing = useRef<'idle' | 'busy' | 'again'>('idle');
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    if (drawing.current !== 'idle') {
      drawing.current = 'again';
      return;
    }
    const draw = () => {
      drawing.current = 'busy';
      const now = latest.current;
      void withPlotly(el, async (Plotly) => {
        await Plotly.react(el, now.data, themedLayout(now.layout, now.dark), { displaylogo: false, responsive: false });
        el.dataset['drawn'] = 'true';
      })
        .catch(() => undefined)
        .finally(() => {
          const again = drawing.current === 'again';
          drawing.current = 'idle';
          if (again && el.isConnected) draw();
        });
    };
    draw();
  }, [data, layout, dark]);
  usePlotHost(host);
  return <div ref={host} className={className} role="figure" aria-label={label} />;
}

function Progress() {
  const { progress, points, lossHistory, status, summary, resumed } = useAdapt((s) => s);
  const [learner, setLearner] = useState(0);
  const plot = useMemo(() => (progress ? learnedPlot(progress, points, learner) : null), [progress, points, learner]);
  const figure = useMemo(() => {
    if (!plot) return null;
    const f = figureOf(plot);
    // The points are what the learners chose: each is marked while they can be told apart.
    const marked = plot.points <= MARKED_AT_MOST;
    if (plot.kind === 'line')
      for (const t of f.data) if (t['type'] === 'scatter') t['mode'] = marked ? 'lines+markers' : 'lines';
    return f;
  }, [plot]);
  const loss = useMemo(() => lossFigure(lossHistory), [lossHistory]);
  if (!progress) {
    return (
      <div className="panel adapt-empty">
        <p>
          Nothing learned yet. Choose the parameters to learn and their ranges, the output and a goal, then Start: the
          model is called where the output changes fastest, and the points appear here as they are evaluated.
        </p>
      </div>
    );
  }
  const running = status === 'running' || status === 'stopping';
  const surface = progress.params.length > 1;
  const ended =
    summary && !running
      ? summary.reason === 'goal'
        ? `Goal met: ${summary.points.toLocaleString('en')} points, ${summary.evaluated.toLocaleString('en')} evaluated by this run.`
        : summary.reason === 'stopped'
          ? `Stopped at ${summary.points.toLocaleString('en')} points; Start resumes from them.`
          : `The run could not go on after ${summary.points.toLocaleString('en')} points.`
      : null;
  return (
    <div className="adapt-results">
      <div className="adapt-top">
        <div className="panel adapt-counts">
          <p role="status" aria-label="Adaptive run">
            <strong>{progress.points.toLocaleString('en')} points</strong>
            {' · '}loss {fmt(progress.loss)}
            {progress.failed ? ` · ${progress.failed.toLocaleString('en')} failed` : ''}
            {running ? ` · ${progress.pending} being evaluated` : ''}
          </p>
          {running && resumed > 0 && (
            <p className="muted">Resumed from {resumed.toLocaleString('en')} stored points.</p>
          )}
          {ended && <p className="muted">{ended}</p>}
          {surface && progress.learners.length > 1 && (
            <label>
              Learner{' '}
              <select value={learner} onChange={(e) => setLearner(Number(e.target.value))}>
                {progress.learners.map((l, i) => (
                  <option key={i} value={i}>
                    {comboLabel(l.combo) ?? `learner ${i + 1}`}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {lossHistory.length > 1 && (
          <PlotlyFigure
            className="panel adapt-loss"
            data={loss.data}
            layout={{ ...loss.layout, height: 150 }}
            label={`Loss against points: ${fmt(lossHistory[0]!.loss)} at ${lossHistory[0]!.points} points, ${fmt(lossHistory.at(-1)!.loss)} at ${lossHistory.at(-1)!.points}`}
          />
        )}
      </div>
      {figure && plot ? (
        <PlotlyFigure
          className="panel adapt-plot"
          data={figure.data}
          layout={{ ...figure.layout, height: 440 }}
          label={`${describePlot(plot)}: ${plot.points} points${surface ? ', the surface through them' : ''}`}
        />
      ) : (
        <p className="panel muted">No point has a value yet.</p>
      )}
    </div>
  );
}

export function AdaptPage() {
  const study = useStudy((s) => s.study);
  const load = useAdapt((s) => s.load);
  useEffect(() => {
    if (study) void load(study);
  }, [study, load]);
  if (!study) return null;
  return (
    <>
      <div className="page-head">
        <h1>Adapt</h1>
        <span className="muted">{study.name}'s model called where its output changes fastest, not on a grid.</span>
      </div>
      <div className="adapt">
        <AdaptFormView />
        <Progress />
      </div>
    </>
  );
}
