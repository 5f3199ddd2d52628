// The adapt.* requests: adaptive sampling of the open study (the app's Adapt mode), the same run as `furrow adapt`.
// An adaptive run is the engine's run while it goes (a grid run waits for it; run.cancel stops it too).
import type { AdaptPoint, AdaptProgress } from '../../../shared/adaptive';
import type { CurrentRun, EngineState, Handlers, MethodsOf } from '../engine-state';
import { FurrowError } from '../errors';
import type { AdaptSettings } from './adaptive-plan';
import { retold } from './adaptive-plan';
import { adaptStudy } from './adaptive-run';

export function adaptiveRequests(engine: EngineState): Handlers<MethodsOf<'adapt'>> {
  /** The adaptive run going here: its latest progress, and every point so far. */
  let current: { runId: string; progress: AdaptProgress | null; points: AdaptPoint[] } | null = null;
  return {
    'adapt.start': async (request) => {
      if (engine.run) throw new FurrowError('busy', 'a run of this study is already going; wait for it to finish');
      const study = engine.study();
      let started!: (s: { runId: string; resumed: number }) => void;
      let refused!: (error: unknown) => void;
      const ready = new Promise<{ runId: string; resumed: number }>((resolve, reject) => {
        started = resolve;
        refused = reject;
      });
      let going = false;
      engine.startRun(study, {}, async (study, run) => {
        const emit = run.onEvent!;
        const mine = { runId: run.runId!, progress: null as AdaptProgress | null, points: [] as AdaptPoint[] };
        try {
          const summary = await adaptStudy(
            study,
            { ...request, loss: request.loss ?? 'default' },
            {
              spawner: run.spawner,
              workerEntry: run.workerEntry,
              ...(run.h5Kit ? { h5Kit: run.h5Kit } : {}),
              ...(run.signal ? { signal: run.signal } : {}),
              runId: mine.runId,
              onStarted: (s) => {
                going = true;
                current = mine;
                started(s);
              },
              onEvent: (event) => {
                if (event.type === 'adapt.progress') {
                  mine.points.push(...event.added);
                  mine.progress = event;
                }
                emit(event);
              },
            },
          );
          emit({ type: 'adapt.finished', runId: mine.runId, summary });
        } catch (error) {
          // Refused before it started (bad input): the request says why, no run ended.
          if (!going) return refused(error);
          throw error;
        } finally {
          if (current === mine) current = null;
        }
      });
      // Not a grid run: run.status says nothing of it (the Adapt page follows adapt.status and its events).
      const mine = engine.run as CurrentRun | null; // (the check above narrowed it to null)
      if (mine) mine.progress = null;
      return ready;
    },
    'adapt.stop': async () => {
      const run = engine.run;
      if (!run || !current) return { stopped: false };
      run.abort.abort();
      await run.finished;
      return { stopped: true };
    },
    'adapt.status': async () => {
      if (current?.progress) return { ...current.progress, added: current.points, running: true };
      return engine.readDb((db, study) => {
        const latest = db?.adaptiveRuns().at(-1);
        if (!db || !latest) return null;
        const settings = JSON.parse(latest.settings) as AdaptSettings;
        let plan;
        try {
          plan = retold(study, db, settings, 'default');
        } catch {
          return null; // the study changed since: its parameters or output are no longer there to learn
        }
        const losses = plan.balancer.losses();
        const worst = plan.balancer.loss();
        return {
          type: 'adapt.progress' as const,
          runId: latest.runId,
          params: settings.params,
          output: settings.output,
          points: plan.stored.length,
          failed: plan.stored.filter((p) => p.y === null).length,
          pending: 0,
          loss: Number.isFinite(worst) ? worst : null,
          learners: plan.balancer.learners.map((l, i) => ({
            combo: plan.combos[i]!,
            points: l.npoints,
            loss: Number.isFinite(losses[i]!) ? losses[i]! : null,
          })),
          added: plan.stored.map(({ learner, x, y }) => ({ learner, x, y })),
          seconds: 0,
          running: false,
        };
      });
    },
  };
}
