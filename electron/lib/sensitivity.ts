// The library's sensitivity(): which parameters matter, from a Sampler's table (after sampleDesign) or a study's
// run database, by the same analysis as `furrow sensitivity` (electron/engine/sensitivity/).
import fs from 'node:fs';
import path from 'node:path';
import type { Reducer } from '../../shared/plot-spec';
import { REDUCERS } from '../../shared/plot-spec';
import type { SensitivityMethod, SensitivityReport } from '../../shared/sensitivity';
import { RunDb } from '../engine/db/run-db';
import type { Subject } from '../engine/sensitivity/study-sensitivity';
import { h5ForSensitivity, sensitivityOf, studySensitivity } from '../engine/sensitivity/study-sensitivity';
import { openStudy } from '../engine/study/study';
import { checkOptions, kinds } from './options';
import { library, librarySync, RunnerError } from './runner-error';
import type { Sampler } from './sampler';

export interface SensitivityOptions {
  /** The outputs to analyse (default: every output whose values are kept; one with dims of its own per coordinate). */
  outputs?: string[];
  /** sobol (a saltelli design), morris (a morris design), given-data (any rows), grid (a study's full grid). */
  method?: SensitivityMethod;
  /** Reductions of outputs' own dims first, as plots reduce (`{ time: 'mean' }`); the dims left go per coordinate. */
  reduce?: Record<string, Reducer>;
  /** Bootstrap resamples for the intervals (default 1000), their confidence (0.95) and seed (1). */
  resamples?: number;
  confidence?: number;
  seed?: number;
}

/** A Sampler's table as the analysis sees it: its outputs are the columns that are not parameters. */
function samplerSubject(sampler: Sampler, db: RunDb): Subject {
  const rows = db.doneRows();
  const params = new Set(rows.flatMap((r) => Object.keys(r.params)));
  const outputs = [...new Set(rows.flatMap((r) => Object.keys(r.columns)))].filter((c) => !params.has(c));
  return {
    label: sampler.dataName,
    outputs: outputs.map((name) => ({ name, dims: [] })),
    coords: {},
    constants: new Set(Object.keys(sampler.runner.options.constants ?? {})),
    grid: null,
    whatToRun: (method) =>
      method === 'morris'
        ? "run a Morris design: sampler.sampleDesign({ design: 'morris', n: 10 }, distributions)"
        : method === 'sobol'
          ? "run a Saltelli design of N ≥ 512: sampler.sampleDesign({ design: 'saltelli', n: 512 }, distributions)"
          : "run ≥ 1000 rows: sampler.sampleDesign({ design: 'lhs', n: 1000 }, distributions)",
  };
}

/**
 * Sensitivity indices of the outputs: of a Sampler's table (at once), or of the study in the folder `study` (a
 * Promise: a full grid's outputs with dims of their own are read from its dataset, as Dataset.open reads). The method
 * is what the latest design allows unless given: Sobol's S1, ST (S2) for a Saltelli design, Morris's μ, μ*, σ for a
 * Morris design, first-order indices from given data otherwise (a study's full grid: its exact main effects).
 * Each index comes with `*_conf`, half its 95 % bootstrap interval.
 */
export function sensitivity(of: Sampler, options?: SensitivityOptions): SensitivityReport;
export function sensitivity(study: string, options?: SensitivityOptions): Promise<SensitivityReport>;
export function sensitivity(
  of: Sampler | string,
  options: SensitivityOptions = {},
): SensitivityReport | Promise<SensitivityReport> {
  const check = () =>
    checkOptions('sensitivity(of, options)', options, {
      outputs: kinds.strings,
      reduce: {
        test: (v: unknown) =>
          typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          Object.values(v).every((op) => REDUCERS.includes(op as Reducer)),
        says: `an object of dim → reducer (${REDUCERS.join(', ')})`,
      },
      method: kinds.string,
      resamples: kinds.count,
      confidence: { test: (v: unknown) => typeof v === 'number' && v > 0 && v < 1, says: 'a number between 0 and 1' },
      seed: kinds.integer,
    });
  if (typeof of === 'string') {
    return library(async () => {
      check();
      const study = openStudy(of);
      const h5 = await h5ForSensitivity(study);
      const db = RunDb.openReadOnly(path.resolve(of));
      try {
        return studySensitivity(study, db, options, h5);
      } finally {
        db?.close();
      }
    });
  }
  return librarySync(() => {
    check();
    if (!fs.existsSync(of.dataName)) {
      throw new RunnerError(`${of.dataName}: nothing has run yet; run a design first (sampler.sampleDesign)`);
    }
    const db = RunDb.openFile(of.dataName);
    try {
      return sensitivityOf(samplerSubject(of, db), db, options);
    } finally {
      db.close();
    }
  });
}
