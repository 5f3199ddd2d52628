// The Adapt page's form as data: which of the study's numeric parameters are learned and over what range, the
// output, the loss and the goal. Checked here before the engine is asked, each error at its control (its id names
// the field), and an error the engine sends back is put at the control it is about where it names one.
import type { AdaptLoss, AdaptOptions, AdaptProgress } from '../../shared/adaptive';
import type { StudySummary } from '../../shared/study';

export interface ParamRow {
  name: string;
  learn: boolean;
  /** As typed: the text of the From and To fields. */
  lo: string;
  hi: string;
}

export type GoalKind = 'points' | 'loss' | 'seconds';

export interface AdaptForm {
  params: ParamRow[];
  output: string;
  loss: AdaptLoss;
  goal: GoalKind;
  /** As typed: the goal's number. */
  goalValue: string;
  /** As typed; empty: the engine's default. */
  workers: string;
}

/** A field of the form, as an error names it: a parameter's From or To, or another control. */
export type AdaptField = `lo:${string}` | `hi:${string}` | 'params' | 'output' | 'goal' | 'workers' | 'start';

/** The id of a field's control, and of the message about it (aria-describedby). */
export const fieldId = (field: AdaptField) => `adapt-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;
export const errorId = (field: AdaptField) => `${fieldId(field)}-error`;

/** What each goal's number field is called on screen. */
export const GOAL_LABELS: Record<GoalKind, string> = {
  points: 'Points in all',
  loss: 'Loss at most',
  seconds: 'Seconds',
};

const DEFAULT_GOALS: Record<GoalKind, string> = { points: '100', loss: '0.01', seconds: '60' };

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The parameters a learner can learn: the study's parameters whose values are numbers, with their extent. */
export function numericParams(study: StudySummary): { name: string; lo: number; hi: number }[] {
  return study.dims
    .filter((d) => d.values.length > 0 && d.values.every(isNumber))
    .map((d) => {
      const values = d.values as number[];
      return { name: d.name, lo: Math.min(...values), hi: Math.max(...values) };
    });
}

/** The study's scalar outputs (a learner learns one number per point). */
export const scalarOutputs = (study: StudySummary) =>
  study.outputs.filter((o) => o.dims.length === 0).map((o) => o.name);

/**
 * The form for a study: the first numeric parameter learned over the range of its values, the first scalar output;
 * or, where an adaptive run is stored or going, what it learns (so Start resumes it).
 */
export function formFor(study: StudySummary, run: AdaptProgress | null): AdaptForm {
  const params = numericParams(study);
  const learned = new Map(run?.params.map((p) => [p.name, p]) ?? []);
  const outputs = scalarOutputs(study);
  return {
    params: params.map((p, i) => {
      const from = learned.get(p.name);
      const lo = from?.lo ?? p.lo;
      const hi = from?.hi ?? (p.hi > p.lo ? p.hi : p.lo + 1);
      return { name: p.name, learn: run ? learned.has(p.name) : i === 0, lo: String(lo), hi: String(hi) };
    }),
    output: run && outputs.includes(run.output) ? run.output : (outputs[0] ?? ''),
    loss: 'default',
    goal: 'points',
    goalValue: DEFAULT_GOALS.points,
    workers: '',
  };
}

/** The goal's number when the goal kind changes: the default of the new kind. */
export const goalDefault = (goal: GoalKind) => DEFAULT_GOALS[goal];

/** A number as typed: null when it is not one. */
function parse(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** The form checked: the options to start with, or an error at each field that needs one. */
export function checkForm(
  form: AdaptForm,
):
  { options: AdaptOptions; errors?: undefined } | { options?: undefined; errors: Partial<Record<AdaptField, string>> } {
  const errors: Partial<Record<AdaptField, string>> = {};
  const learned = form.params.filter((p) => p.learn);
  if (form.params.length === 0) {
    errors.params = 'This study has no parameter with numbers to learn: give one numeric values on the Study page';
  } else if (learned.length === 0) errors.params = 'Choose a parameter to learn';
  else if (learned.length > 4) errors.params = 'Learn at most 4 parameters at once';
  const params: AdaptOptions['params'] = [];
  for (const p of learned) {
    const lo = parse(p.lo);
    const hi = parse(p.hi);
    if (lo === null) errors[`lo:${p.name}`] = `From must be a number`;
    if (hi === null) errors[`hi:${p.name}`] = `To must be a number`;
    else if (lo !== null && !(lo < hi)) errors[`hi:${p.name}`] = `To must be above From (${lo})`;
    if (lo !== null && hi !== null && lo < hi) params.push({ name: p.name, lo, hi });
  }
  if (!form.output) errors.output = 'The study has no scalar output to learn: add one on the Study page';
  const goal = parse(form.goalValue);
  if (goal === null || goal <= 0) errors.goal = `${GOAL_LABELS[form.goal]} must be a number above 0`;
  else if (form.goal === 'points' && !Number.isInteger(goal)) errors.goal = 'Points in all must be a whole number';
  const workers = form.workers.trim() === '' ? undefined : parse(form.workers);
  if (workers === null || (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 256))) {
    errors.workers = 'Workers must be a whole number from 1 to 256, or empty for the default';
  }
  if (Object.keys(errors).length) return { errors };
  return {
    options: {
      params,
      output: form.output,
      loss: form.loss,
      goal: { [form.goal]: goal! },
      ...(typeof workers === 'number' ? { workers } : {}),
    },
  };
}

/**
 * The control an engine's error is about: a learned parameter it names (its range), the output, the goal or the
 * workers; else the Start button. The engine speaks the command line's words (`--param x=…`, `--goal`).
 */
export function fieldOfError(message: string, form: AdaptForm): AdaptField {
  const learned = form.params.filter((p) => p.learn);
  const named = learned.find((p) => new RegExp(`(--param |')${escape(p.name)}([=':]|\\b)`).test(message));
  if (named) return `hi:${named.name}`;
  if (/--output|output '/.test(message)) return 'output';
  if (/--goal|\bgoal\b/.test(message)) return 'goal';
  if (/--workers|\bworkers\b/.test(message)) return 'workers';
  return 'start';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The engine's words for a flag, in the app's: the controls of the Adapt page. */
export function adaptWords(message: string): string {
  return message
    .replace(/--param (\S+)=\S+/g, "the range of '$1'")
    .replace(/--param\b/g, 'the learned parameters')
    .replace(/--output\b/g, 'Output')
    .replace(/--goal\b/g, 'Goal')
    .replace(/--loss\b/g, 'Loss')
    .replace(/--workers\b/g, 'Workers');
}
