// The Adapt page: the form (what to learn, the goal), and the adaptive run of the open study as the engine announces
// it: every point so far (adapt.status when the page opens, then each adapt.progress event's new points), the loss
// after each announcement, and how the run ended. A window opened mid-run picks it up through adapt.status.
import { createStore } from 'zustand/vanilla';
import type { AdaptPoint, AdaptProgress, AdaptSummary } from '../../shared/adaptive';
import type { EngineClient, EngineEvent, Result } from '../../shared/api';
import type { StudySummary } from '../../shared/study';
import type { AdaptField, AdaptForm, GoalKind, ParamRow } from './adapt-form';
import { adaptWords, checkForm, fieldOfError, formFor, goalDefault } from './adapt-form';

export interface AdaptState {
  /** The form; null until a study is open. */
  form: AdaptForm | null;
  /** An error at each control that has one. */
  errors: Partial<Record<AdaptField, string>>;
  /** The run going or the one stored: where it stands (its `added` is not kept here: see points). */
  progress: AdaptProgress | null;
  /** Every point so far, in the order told. */
  points: AdaptPoint[];
  /** The largest loss after each announcement of this window's watch, against the points evaluated then. */
  lossHistory: { points: number; loss: number }[];
  /** 'starting' until adapt.start answers, 'running' until adapt.finished. */
  status: 'idle' | 'starting' | 'running' | 'stopping';
  /** Points the running run was started from (stored by earlier runs). */
  resumed: number;
  summary: AdaptSummary | null;
  /** The study the form is for, and the stored points a start resumes from. */
  load(study: StudySummary): Promise<void>;
  edit(change: Partial<Omit<AdaptForm, 'params'>>): void;
  editParam(name: string, change: Partial<Omit<ParamRow, 'name'>>): void;
  setGoal(goal: GoalKind): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  apply(event: EngineEvent): void;
}

const keyOf = (p: AdaptPoint) => `${p.learner}:${p.x.join(',')}`;

/** Points merged: a point told again (a resumed run retells the stored ones) is kept once, with its latest value. */
function merged(points: AdaptPoint[], added: AdaptPoint[]): AdaptPoint[] {
  if (added.length === 0) return points;
  const at = new Map(points.map((p, i) => [keyOf(p), i]));
  const out = points.slice();
  for (const p of added) {
    const i = at.get(keyOf(p));
    if (i === undefined) {
      at.set(keyOf(p), out.length);
      out.push(p);
    } else out[i] = p;
  }
  return out;
}

/**
 * What a window shows of adapt.status's answer: the run going or the stored points, all of them; `running` as the
 * engine says it (between two points none may be pending, so pending says nothing of it).
 */
export function shownOfStatus(
  status: Result<'adapt.status'>,
): Pick<AdaptState, 'progress' | 'points' | 'lossHistory'> & { running: boolean } {
  const { added, running, ...rest } = status ?? { added: [], running: false };
  return {
    progress: status ? { ...(rest as AdaptProgress), added: [] } : null,
    points: added,
    lossHistory: status?.loss != null ? [{ points: status.points, loss: status.loss }] : [],
    running,
  };
}

export function createAdaptStore(engine: EngineClient, saveFirst: () => Promise<boolean>) {
  let studyDir: string | null = null;
  return createStore<AdaptState>()((set, get) => {
    const took = (status: Result<'adapt.status'>) => {
      const { running, ...shown } = shownOfStatus(status);
      set({ ...shown, ...(running && get().status === 'idle' ? { status: 'running' as const } : {}) });
    };
    return {
      form: null,
      errors: {},
      progress: null,
      points: [],
      lossHistory: [],
      status: 'idle',
      resumed: 0,
      summary: null,
      async load(study) {
        const other = study.dir !== studyDir;
        studyDir = study.dir;
        if (other) set({ form: null, errors: {}, summary: null, status: 'idle', progress: null, points: [] });
        // No answer: no adaptive run to show, and the form starts a new one.
        const status = await engine.request('adapt.status', {}).catch(() => null);
        if (studyDir !== study.dir) return;
        took(status);
        const form = get().form;
        // Another study, or its parameters changed: the form is made again; otherwise what was typed stays.
        const names = (f: AdaptForm | null) => f?.params.map((p) => p.name).join('\u0000');
        const fresh = formFor(study, status);
        if (!form || names(form) !== names(fresh) || !study.outputs.some((o) => o.name === form.output)) {
          set({ form: fresh, errors: {} });
        }
      },
      edit(change) {
        const form = get().form;
        if (!form) return;
        // A control changed: its error goes (the goal's number is the goal's field), and Start's.
        const fixed = new Set<string>(['start', ...Object.keys(change).map((k) => (k === 'goalValue' ? 'goal' : k))]);
        const errors = Object.fromEntries(Object.entries(get().errors).filter(([k]) => !fixed.has(k)));
        set({ form: { ...form, ...change }, errors });
      },
      editParam(name, change) {
        const form = get().form;
        if (!form) return;
        const params = form.params.map((p) => (p.name === name ? { ...p, ...change } : p));
        const errors = Object.fromEntries(
          Object.entries(get().errors).filter(
            ([k]) => k !== `lo:${name}` && k !== `hi:${name}` && k !== 'params' && k !== 'start',
          ),
        );
        set({ form: { ...form, params }, errors });
      },
      setGoal(goal) {
        const form = get().form;
        if (!form) return;
        get().edit({ goal, goalValue: goalDefault(goal) });
      },
      async start() {
        const form = get().form;
        if (!form || get().status !== 'idle') return;
        const checked = checkForm(form);
        if (checked.errors) {
          set({ errors: checked.errors });
          return;
        }
        set({ status: 'starting', errors: {}, summary: null });
        if (!(await saveFirst())) {
          set({
            status: 'idle',
            errors: { start: 'The Study page has unsaved edits with an error: fix or revert them, then Start' },
          });
          return;
        }
        try {
          const { runId, resumed } = await engine.request('adapt.start', checked.options);
          // Events of this run may have come before the answer: they are kept (apply), the status is set here.
          set({
            status: get().status === 'starting' ? 'running' : get().status,
            resumed,
            lossHistory: get().progress?.runId === runId ? get().lossHistory : [],
          });
        } catch (error) {
          const message = adaptWords((error as Error).message);
          set({ status: 'idle', errors: { [fieldOfError((error as Error).message, form)]: message } });
        }
      },
      async stop() {
        if (get().status !== 'running') return;
        set({ status: 'stopping' });
        try {
          const { stopped } = await engine.request('adapt.stop', {});
          if (!stopped && get().status === 'stopping') set({ status: 'idle' });
        } catch (error) {
          set({ status: 'running', errors: { start: `Could not stop: ${(error as Error).message}` } });
        }
      },
      apply(event) {
        if (event.type === 'adapt.progress') {
          const { added, ...rest } = event;
          const sameRun = get().progress?.runId === event.runId;
          set({
            progress: { ...rest, added: [] },
            points: merged(get().points, added),
            lossHistory:
              event.loss === null
                ? get().lossHistory
                : [...(sameRun ? get().lossHistory : []), { points: event.points, loss: event.loss }],
            status: get().status === 'idle' || get().status === 'starting' ? 'running' : get().status,
          });
        } else if (event.type === 'adapt.finished') {
          set({ status: 'idle', summary: event.summary });
        }
      },
    };
  });
}
