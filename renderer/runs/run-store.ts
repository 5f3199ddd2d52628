// The current run of the study (started here, in another window, or by `furrow run` in a terminal), the choices
// the next run is started with, and the runs before it. A run acts on what the Study page shows: `beforeRun` (the
// edit store's save of unsaved edits) runs first, and a run does not start when it fails.
import type { Scalar } from '../../shared/space';
import { createStore } from 'zustand/vanilla';
import type {
  EngineClient,
  EngineEvent,
  ErrorAt,
  Params,
  RunRecord,
  RunSummary,
  SimulateSummary,
} from '../../shared/api';
import { inAppWords } from '../app/app-words';

export interface CaseFailure {
  params: Record<string, Scalar>;
  error: string;
  errorAt?: ErrorAt;
  /** The case's folder (command models). */
  caseDir?: string;
}

export type Overwrite = 'error' | 'new' | 'old';

/** How the next run is started (the run options beside Run). */
export interface RunChoices {
  /** Empty: as many as the engine chooses. */
  workers: string;
  missingOnly: boolean;
  overwrite: Overwrite;
}

export interface RunState {
  status: 'idle' | 'starting' | 'running' | 'finished' | 'error';
  runId: string | null;
  /** Who runs it, when another process does (a terminal's `furrow run`): shown, not cancellable from here. */
  by: string | null;
  total: number;
  done: number;
  failed: number;
  running: number;
  /** Done cases already in the dataset and the run database (a run stores them every few seconds). */
  stored: number;
  /** Cases finished per second, and seconds left at that rate. */
  rate: number;
  eta: number | null;
  /** The cases running now that have run longest, with their seconds so far. */
  current: { params: Record<string, Scalar>; seconds: number }[];
  failures: CaseFailure[];
  summary: RunSummary | null;
  error: string | null;
  /** Where in the person's files the run's error is (a model that could not be loaded). */
  errorAt: ErrorAt | null;
  /** Every run of the study, newest first (the run database's runs table). */
  history: RunRecord[];
  /**
   * The cases whose latest attempt failed, from the run database (the first 50), and how many there are: what
   * failed before this window was opened, or in a terminal's run.
   */
  failedBefore: { cases: CaseFailure[]; total: number };
  /** What was last done here besides running (a run's conflict resolved): said until the next run. */
  notice: string | null;
  /** A run's conflict is being resolved (run.resolve): its buttons wait. */
  resolving: boolean;
  /** What a dry run said would run, and whether it speaks of the unsaved draft. */
  plan: SimulateSummary | null;
  planOfDraft: boolean;
  choices: RunChoices;
  setChoices(change: Partial<RunChoices>): void;
  /** The choices as `run.start` takes them. */
  startParams(): Params<'run.start'>;
  /** The samples the current run goes through: how many, and the seed they were drawn with. */
  sampled: { n: number; seed: number } | null;
  start(options: Params<'run.start'>): Promise<void>;
  simulate(options: Params<'run.simulate'>): Promise<void>;
  /** Show what the unsaved draft would run (the engine's check of it), as a dry run would of the saved file. */
  showPlan(plan: SimulateSummary, ofDraft: boolean): void;
  /**
   * Apply what run `runSeq` kept when its values differed from the stored ones: `new` writes them over the stored
   * ones, `old` keeps the stored ones. The runs are read again when the engine announces it (run.resolved).
   */
  resolve(runSeq: number, overwrite: 'new' | 'old'): Promise<void>;
  /** Read the runs and the failed cases again. */
  loadHistory(): Promise<void>;
  cancel(): Promise<void>;
  /** Pick up a run that was already going when this window opened. */
  resume(): Promise<void>;
  apply(event: EngineEvent): void;
  reset(): void;
}

const idle = {
  status: 'idle' as const,
  runId: null,
  by: null,
  total: 0,
  done: 0,
  failed: 0,
  running: 0,
  stored: 0,
  rate: 0,
  eta: null,
  current: [],
  failures: [],
  summary: null,
  error: null,
  errorAt: null,
  plan: null,
  planOfDraft: false,
  sampled: null,
  notice: null,
};

/** Keep the newest failures only: a run of a million failing cases must not fill the window's memory. */
const MAX_FAILURES_SHOWN = 200;

const busy = (status: RunState['status']) => status === 'starting' || status === 'running';

export function createRunStore(engine: EngineClient, beforeRun: () => Promise<boolean> = async () => true) {
  return createStore<RunState>()((set, get) => ({
    ...idle,
    history: [],
    failedBefore: { cases: [], total: 0 },
    resolving: false,
    choices: { workers: '', missingOnly: false, overwrite: 'error' },
    setChoices: (change) => set({ choices: { ...get().choices, ...change } }),
    startParams() {
      const { workers, missingOnly, overwrite } = get().choices;
      const n = Math.floor(Number(workers));
      return { ...(workers.trim() && n >= 1 ? { workers: n } : {}), missingOnly, overwrite };
    },
    async start(options) {
      // A second press (the key and the menu both, say) while one starts is the same run.
      if (busy(get().status)) return;
      set({ ...idle, status: 'starting' });
      if (!(await beforeRun())) {
        set({ status: 'idle' }); // why the save failed is said where the study is edited
        return;
      }
      try {
        const { runId, cases, seed } = await engine.request('run.start', options);
        // Events may have arrived first (the run may even have failed at once): only fill in what they have not.
        if (get().status === 'starting') set({ runId, total: cases, status: 'running' });
        if (seed !== undefined) set({ sampled: { n: cases, seed } });
      } catch (error) {
        set({ status: 'error', error: inAppWords((error as Error).message), errorAt: null });
      }
    },
    async simulate(options) {
      try {
        set({ plan: await engine.request('run.simulate', options), planOfDraft: false, error: null, errorAt: null });
      } catch (error) {
        set({ plan: null, error: inAppWords((error as Error).message), errorAt: null });
      }
    },
    async resolve(runSeq, overwrite) {
      if (get().resolving || busy(get().status)) return;
      set({ resolving: true, error: null, errorAt: null, notice: null });
      try {
        await engine.request('run.resolve', { run: runSeq, overwrite });
      } catch (error) {
        set({ error: inAppWords((error as Error).message), errorAt: null });
      } finally {
        set({ resolving: false });
      }
    },
    showPlan: (plan, ofDraft) => set({ plan, planOfDraft: ofDraft, error: null, errorAt: null }),
    async loadHistory() {
      try {
        set({ history: await engine.request('run.history', {}) });
      } catch {
        set({ history: [] }); // no study open (yet): nothing to list
      }
      try {
        const page = await engine.request('db.cases', { latest: true, filters: { _status: 'failed' }, limit: 50 });
        const at = (name: string) => page.columns.findIndex((c) => c.name === name);
        const params = page.columns.flatMap((c, j) => (c.kind === 'param' ? [[c.name, j] as const] : []));
        const cases = page.rows.map((row): CaseFailure => {
          const dir = row[at('_calc_dir')];
          return {
            params: Object.fromEntries(params.flatMap(([name, j]) => (row[j] === null ? [] : [[name, row[j]!]]))),
            error: String(row[at('_error')] ?? ''),
            ...(typeof dir === 'string' && dir ? { caseDir: dir } : {}),
          };
        });
        set({ failedBefore: { cases, total: page.total } });
      } catch {
        set({ failedBefore: { cases: [], total: 0 } });
      }
    },
    async cancel() {
      try {
        await engine.request('run.cancel', {});
      } catch (error) {
        set({ error: (error as Error).message, errorAt: null });
      }
    },
    async resume() {
      const progress = await engine.request('run.status', {}).catch(() => null);
      if (progress && get().runId === null) {
        set({ ...idle, status: 'running', runId: progress.runId });
        get().apply(progress);
      }
    },
    apply(event) {
      const { runId } = get();
      // A new run (started here, in another window, or from the command line's serve) always takes over.
      if (event.type !== 'run.started' && 'runId' in event && runId !== null && event.runId !== runId) return;
      switch (event.type) {
        case 'run.started':
          // The reply to run.start may come before this event or after it: the seed it said stays for its run.
          return set({
            ...idle,
            status: 'running',
            runId: event.runId,
            total: event.total,
            by: event.by ?? null,
            sampled: event.runId === runId ? get().sampled : null,
          });
        case 'run.progress':
          return set({
            total: event.total,
            done: event.done,
            failed: event.failed,
            running: event.running,
            stored: event.stored,
            rate: event.rate,
            eta: event.eta,
            current: event.current,
          });
        case 'case.failed':
          return set((s) => ({
            failures: [
              ...s.failures,
              {
                params: event.params,
                error: event.error,
                ...(event.errorAt ? { errorAt: event.errorAt } : {}),
                ...(event.caseDir ? { caseDir: event.caseDir } : {}),
              },
            ].slice(-MAX_FAILURES_SHOWN),
          }));
        case 'run.finished':
          return set({
            status: 'finished',
            summary: event.summary,
            done: event.summary.done,
            stored: event.summary.done,
            failed: event.summary.failed,
            running: 0,
            current: [],
          });
        case 'run.resolved':
          // The run's error (its values differed) is answered now; what it was says the notice, and the runs.
          return set({
            ...(busy(get().status) ? {} : idle),
            notice:
              event.overwrite === 'new'
                ? `Run ${event.run}'s values are in the dataset now; its cases are recorded done.`
                : `The stored values stay in the dataset; run ${event.run}'s cases are recorded done.`,
          });
        case 'run.error':
          return set({
            status: 'error',
            error: inAppWords(event.message),
            errorAt: event.errorAt ?? null,
            running: 0,
          });
        case 'engine.stopped':
          return set({
            status: get().status === 'idle' ? 'idle' : 'error',
            error: event.message,
            errorAt: null,
            running: 0,
          });
      }
    },
    reset() {
      set({ ...idle, history: [], failedBefore: { cases: [], total: 0 } });
    },
  }));
}

/** The unsaved draft's check as a dry run's answer: what a run with these choices would run of it. */
export function planOfCheck(
  check: { summary: { caseCount: number; dataset: string }; new: number; done_before: number; failed_before: number },
  choices: { missingOnly: boolean; retryFailed?: boolean },
): SimulateSummary {
  const all = check.summary.caseCount;
  return {
    simulate: true,
    cases: all,
    would_run: choices.retryFailed ? check.failed_before : choices.missingOnly ? all - check.done_before : all,
    new: check.new,
    done_before: check.done_before,
    failed_before: check.failed_before,
    dataset: check.summary.dataset,
  };
}
