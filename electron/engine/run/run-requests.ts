// The run.* requests: start a run (or a sample), say what it would do, cancel it, its progress and the history, and
// apply what a run kept when its dataset refused it (resolve.ts, as `furrow dataset resolve`).
import type { EngineState, Handlers, MethodsOf } from '../engine-state';
import { FurrowError } from '../errors';
import { runHistory } from '../db/db-query';
import { simulateRun } from './plan';
import { resolveRun } from './resolve';
import { drawStudySamples } from './sampler';

export function runRequests(engine: EngineState): Handlers<MethodsOf<'run'>> {
  return {
    'run.start': async ({ combos, sample, ...choices }) => {
      if (engine.run) throw new FurrowError('busy', 'a run of this study is already going; wait for it to finish');
      const defined = Object.fromEntries(Object.entries(choices).filter(([, v]) => v !== undefined));
      const study = await engine.studyForRun(combos);
      if (!sample) return engine.startRun(study, defined);
      const { seed, samples, design } = await drawStudySamples(study, {
        n: sample.n,
        ...(sample.seed === undefined ? {} : { seed: sample.seed }),
        ...(sample.design ? { design: sample.design } : {}),
      });
      return { ...engine.startRun(study, { ...defined, samples, ...(design ? { design } : {}) }), seed };
    },
    'run.simulate': async ({ combos, ...choices }) => {
      return simulateRun(await engine.studyForRun(combos), {
        missingOnly: choices.missingOnly ?? false,
        retryFailed: choices.retryFailed ?? false,
      });
    },
    'run.cancel': async () => {
      const run = engine.run;
      if (!run) return { cancelled: false };
      run.abort.abort();
      await run.finished;
      return { cancelled: true };
    },
    'run.status': async () => engine.run?.progress ?? engine.foreignProgress ?? null,
    'run.history': async () => engine.readDb((db) => runHistory(db)),
    'run.resolve': async ({ run, overwrite }) => {
      if (engine.run) throw new FurrowError('busy', 'a run of this study is going; resolve once it has finished');
      const result = await resolveRun(engine.study(), run, overwrite);
      engine.options.emit({ type: 'run.resolved', run, dataset: result.dataset, overwrite });
      return result;
    },
  };
}
