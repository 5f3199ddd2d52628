// The db.* requests: the cases table a page at a time, as CSV, and its numeric columns (the Cases tab), each read
// with the person's SQL condition in the condition process (condition-reader.ts).
import type { Study } from '../study/study';
import type { EngineState, Handlers, MethodsOf } from '../engine-state';

const outputsOf = (study: Study) => Object.keys(study.spec.outputs);
/** The most cases the parallel coordinates' columns hold, unless asked for fewer or more. */
const MAX = 20_000;

export function casesRequests(engine: EngineState): Handlers<MethodsOf<'db'>> {
  return {
    'db.cases': async (query) => {
      const study = engine.study();
      return engine.conditions.read(study.dir, { kind: 'page', outputs: outputsOf(study), query });
    },
    'db.export': async (query) => engine.conditions.read(engine.study().dir, { kind: 'csv', query }),
    'db.lines': async ({ max, ...query }) => {
      const study = engine.study();
      const read = { kind: 'lines' as const, outputs: outputsOf(study), query: { ...query, max: max ?? MAX } };
      return engine.conditions.read(study.dir, read);
    },
    'db.numeric': async ({ max, ...query }) => {
      const study = engine.study();
      const read = { kind: 'numeric' as const, outputs: outputsOf(study), query: { ...query, max: max ?? MAX } };
      return engine.conditions.read(study.dir, read);
    },
  };
}
