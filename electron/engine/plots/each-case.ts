// Per-case plots (dantro's universe plots): a plot with `each: case` is drawn once per done case of the study,
// its parameter dims fixed at that case's values, each figure named <plot>/<pset_id> (so an export writes
// eval/<ts>/<plot>/<pset_id>.pdf). The plot's own sel, or each.sel (a value or a list of values per dim), chooses
// the cases; a case done more than once is drawn once, at its latest record.
import type { PlotSpec } from '../../../shared/plot-spec';
import { PlotSpecError } from '../../../shared/plot-spec';
import type { Scalar } from '../../../shared/space';
import { isScalar } from '../../../shared/space';
import { RunDb } from '../db/run-db';
import { FurrowError } from '../errors';
import type { Study } from '../study/study';

export interface CasePlot {
  name: string;
  spec: PlotSpec;
}

/** The figures a plot draws: itself, or with `each` one per chosen done case. */
export function casePlots(study: Study, name: string, spec: PlotSpec): CasePlot[] {
  if (spec.each === undefined) return [{ name, spec }];
  const dims = study.space.dims.map((d) => d.name);
  const chosen: Record<string, Scalar[]> = {};
  for (const [dim, value] of Object.entries(spec.sel)) if (dims.includes(dim)) chosen[dim] = [value];
  if (spec.each !== 'case') {
    for (const [dim, value] of Object.entries(spec.each.sel)) {
      if (!dims.includes(dim)) {
        throw new PlotSpecError(
          `plot '${name}': each.sel: '${dim}' is not a parameter dim of the study (its dims: ${dims.join(', ')})`,
        );
      }
      chosen[dim] = Array.isArray(value) ? value : [value];
    }
  }
  const db = RunDb.openReadOnly(study.dir);
  const latest = new Map<string, { psetId: string; sel: Record<string, Scalar> }>();
  try {
    for (const { psetId, params } of db?.donePsets() ?? []) {
      if (!dims.every((d) => isScalar(params[d]))) continue; // a sample, off the dims
      const sel = Object.fromEntries(dims.map((d) => [d, params[d] as Scalar]));
      if (!Object.entries(chosen).every(([d, values]) => values.some((v) => v === sel[d]))) continue;
      const key = JSON.stringify(dims.map((d) => sel[d]));
      latest.delete(key); // its latest record, in the order of its latest
      latest.set(key, { psetId, sel });
    }
  } finally {
    db?.close();
  }
  if (latest.size === 0) {
    const which = Object.keys(chosen).length
      ? ` with ${Object.entries(chosen)
          .map(([d, v]) => `${d} in [${v.join(', ')}]`)
          .join(' and ')}`
      : '';
    throw new FurrowError(
      'not-found',
      `plot '${name}' is drawn for each case, and no case${which} is done in ${study.dir}'s run database; run the study first`,
    );
  }
  const { each: _each, ...rest } = spec;
  return [...latest.values()].map(({ psetId, sel }) => ({
    name: `${name}/${psetId}`,
    spec: { ...rest, sel: { ...spec.sel, ...sel } },
  }));
}
