// Which parameters matter, for a study (or a library Sampler's table): the cases its run database records, analysed
// by the method their design allows. A Saltelli design (`furrow sample --design saltelli`) gives Sobol's S1, ST (and S2); a Morris design gives
// μ, μ*, σ; a full grid of combos its exact main effects; any other cases first-order indices from given data.
// A study whose cases cannot answer says what to run.
import type { ParamIndices, SensitivityMethod, SensitivityReport } from '../../../shared/sensitivity';
import type { Scalar } from '../../../shared/space';
import type { RunDb } from '../db/run-db';
import { FurrowError } from '../errors';
import type { Study } from '../study/study';
import type { BootstrapOptions } from './analyze';
import { givenDataIndices, gridMainEffects, morrisIndices, sobolIndices } from './analyze';
import type { DesignName, DesignRecord } from './designs';
import { designSize, unitDesign } from './designs';

export interface SensitivityRequest extends BootstrapOptions {
  /** The outputs to analyse (default: every scalar output of the study). */
  outputs?: string[];
  /** Default: what the latest design allows (sobol, morris), else grid for a full grid, else given-data. */
  method?: SensitivityMethod;
}

/** Fewest complete base rows (Saltelli), trajectories (Morris) and cases (given data) an analysis takes. */
export const FEWEST = { sobol: 64, morris: 4, givenData: 100 } as const;

/**
 * What is analysed: a study, or the table of the library's Sampler. `label` names it in messages, `whatToRun` says
 * how to make the cases a method needs, and `grid` is the full grid of combos when it is one.
 */
export interface Subject {
  label: string;
  /** Every output and its own dims. */
  outputs: { name: string; dims: string[] }[];
  /** Names that are fixed (constants), never analysed as parameters. */
  constants: Set<string>;
  grid: { name: string; values: Scalar[] }[] | null;
  whatToRun(method: SensitivityMethod): string;
}

/** A study as the analysis sees it. */
export function studySubject(study: Study): Subject {
  const dir = study.dir;
  const dims = study.space.dims;
  return {
    label: study.file,
    outputs: Object.entries(study.spec.outputs).map(([name, o]) => ({ name, dims: o.dims })),
    constants: new Set(Object.keys(study.constants)),
    grid: dims.length > 0 && dims.every((d) => d.role === 'combo') ? dims : null,
    whatToRun: (method) => {
      switch (method) {
        case 'sobol':
          return `run a Saltelli design of N ≥ 512: furrow sample ${dir} --design saltelli -n 512`;
        case 'morris':
          return `run a Morris design of R ≥ 10 trajectories: furrow sample ${dir} --design morris -n 10`;
        case 'given-data':
          return `run ≥ ${FEWEST.givenData * 10} samples: furrow sample ${dir} --design lhs -n ${FEWEST.givenData * 10}`;
        case 'grid':
          return `run the rest of the grid: furrow run ${dir} --missing-only`;
      }
    },
  };
}

/** The outputs asked for, each a scalar output. */
function outputsOf(subject: Subject, asked: string[] | undefined): string[] {
  const declared = subject.outputs;
  if (!asked || asked.length === 0) {
    const scalar = declared.filter((o) => o.dims.length === 0).map((o) => o.name);
    if (scalar.length === 0) {
      throw new FurrowError(
        'bad-input',
        `${subject.label}: no output is a scalar (a single number per case); sensitivity indices are of scalar outputs`,
      );
    }
    return scalar;
  }
  for (const name of asked) {
    const found = declared.find((o) => o.name === name);
    if (!found) {
      throw new FurrowError(
        'bad-input',
        `output '${name}': ${subject.label} has no output '${name}' (outputs: ${declared.map((o) => o.name).join(', ') || 'none'})`,
      );
    }
    if (found.dims.length > 0) {
      throw new FurrowError(
        'bad-input',
        `output '${name}' has dims [${found.dims.join(', ')}]; the analysis takes scalar outputs (reduce it in the model to a number per case)`,
      );
    }
  }
  return asked;
}

const numberOf = (v: Scalar | null | undefined): number =>
  typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;

/**
 * The latest design (of this kind, when given): its record and its cases, those of every run of the same design (a
 * later record of a row winning).
 */
function latestDesign(
  db: RunDb,
  kind?: DesignName,
): { design: DesignRecord; cases: ReturnType<RunDb['designCases']> } | null {
  const runs = db.designRuns().map((r) => ({ ...r, record: JSON.parse(r.design) as DesignRecord }));
  const latest = runs.find((r) => kind === undefined || r.record.design === kind);
  if (!latest) return null;
  const same = runs.filter((r) => r.design === latest.design).map((r) => r.runId);
  return { design: latest.record, cases: db.designCases(same) };
}

/** The design's outputs in its row order, NaN where a row has no done case. */
function byRow(design: DesignRecord, cases: ReturnType<RunDb['designCases']>, output: string): Float64Array {
  const y = new Float64Array(designSize(design, design.params.length)).fill(NaN);
  for (const c of cases) if (c.row >= 0 && c.row < y.length) y[c.row] = numberOf(c.outputs[output]);
  return y;
}

/** The outputs over the grid (C order), and how many of its cells have no done case. */
function gridOf(subject: Subject, db: RunDb): { values: (output: string) => Float64Array; missing: number } | null {
  const dims = subject.grid;
  if (!dims) return null;
  const shape = dims.map((d) => d.values.length);
  const cells = shape.reduce((a, b) => a * b, 1);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const indexOf = dims.map((d) => new Map(d.values.map((v, i) => [JSON.stringify(v), i])));
  const cellOf = new Int32Array(cells).fill(-1);
  const rows = db.doneRows();
  rows.forEach((r, at) => {
    let cell = 0;
    for (let i = 0; i < dims.length; i++) {
      const level = indexOf[i]!.get(JSON.stringify(r.params[dims[i]!.name]));
      if (level === undefined) return;
      cell += level * strides[i]!;
    }
    cellOf[cell] = at;
  });
  const missing = cellOf.reduce((n, at) => n + (at < 0 ? 1 : 0), 0);
  return {
    missing,
    values: (output) => Float64Array.from(cellOf, (at) => (at < 0 ? NaN : numberOf(rows[at]!.columns[output]))),
  };
}

export function studySensitivity(study: Study, db: RunDb | null, request: SensitivityRequest = {}): SensitivityReport {
  return sensitivityOf(studySubject(study), db, request);
}

export function sensitivityOf(subject: Subject, db: RunDb | null, request: SensitivityRequest = {}): SensitivityReport {
  const outputs = outputsOf(subject, request.outputs);
  const kind = request.method === 'sobol' ? 'saltelli' : request.method === 'morris' ? 'morris' : undefined;
  const design = db ? latestDesign(db, kind) : null;
  const grid = db && !design ? gridOf(subject, db) : null;
  const method: SensitivityMethod =
    request.method ??
    (design?.design.design === 'saltelli'
      ? 'sobol'
      : design?.design.design === 'morris'
        ? 'morris'
        : grid && grid.missing === 0
          ? 'grid'
          : 'given-data');
  // Nothing run yet and no method asked for: a Saltelli design answers the most.
  const hint: SensitivityMethod = request.method ?? (db?.hasRuns() ? method : 'sobol');
  const none = (what: string): never => {
    throw new FurrowError('bad-input', `${subject.label}: ${what}; ${subject.whatToRun(hint)}`);
  };
  if (!db) none('nothing has run yet (no run database)');
  const boot: BootstrapOptions = {
    ...(request.resamples === undefined ? {} : { resamples: request.resamples }),
    ...(request.confidence === undefined ? {} : { confidence: request.confidence }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
  };
  const report = (params: string[], evaluations: number, of: (output: string) => Record<string, ParamIndices>) => ({
    method,
    params,
    evaluations,
    design:
      design && (method === 'sobol' || method === 'morris')
        ? { name: design.design.design, n: design.design.n, seed: design.design.seed }
        : null,
    outputs: Object.fromEntries(outputs.map((o) => [o, of(o)])),
  });

  if (method === 'sobol' || method === 'morris') {
    const wanted = method === 'sobol' ? 'saltelli' : 'morris';
    if (!design || design.design.design !== wanted) {
      none(`no ${wanted} design has run`);
    }
    const { design: spec, cases } = design!;
    const k = spec.params.length;
    if (method === 'sobol') {
      const second = spec.secondOrder ?? false;
      const results = outputs.map((o) => [o, sobolIndices(byRow(spec, cases, o), spec.n, k, second, boot)] as const);
      const used = Math.min(...results.map(([, r]) => r.n));
      if (used < FEWEST.sobol) none(`only ${used} of the design's ${spec.n} base rows have every evaluation done`);
      const found = new Map(results);
      return report(spec.params, cases.length, (o) => {
        const r = found.get(o)!;
        return Object.fromEntries(
          spec.params.map((p, i) => {
            const entry: ParamIndices = {
              S1: r.S1[i]!.value,
              S1_conf: r.S1[i]!.conf,
              ST: r.ST[i]!.value,
              ST_conf: r.ST[i]!.conf,
            };
            if (r.S2) {
              entry.S2 = Object.fromEntries(
                spec.params.flatMap((q, j) => {
                  const s = i < j ? r.S2![i]![j] : j < i ? r.S2![j]![i] : null;
                  return s ? [[q, { value: s.value, conf: s.conf }]] : [];
                }),
              );
            }
            return [p, entry];
          }),
        );
      });
    }
    const x = unitDesign(spec, k).points;
    const results = new Map(outputs.map((o) => [o, morrisIndices(x, byRow(spec, cases, o), spec.n, k, boot)]));
    const used = Math.min(...[...results.values()].map((r) => r.r));
    if (used < FEWEST.morris) none(`only ${used} of the design's ${spec.n} trajectories have every evaluation done`);
    return report(spec.params, cases.length, (o) => {
      const r = results.get(o)!;
      return Object.fromEntries(
        spec.params.map((p, i) => [
          p,
          { mu: r.mu[i]!, mu_star: r.muStar[i]!.value, mu_star_conf: r.muStar[i]!.conf, sigma: r.sigma[i]! },
        ]),
      );
    });
  }

  if (method === 'grid') {
    const full = gridOf(subject, db!);
    if (!full) none('a grid analysis needs every parameter to be a combo');
    if (full!.missing > 0) none(`${full!.missing} cells of the grid have no done case`);
    const dims = subject.grid!;
    const shape = dims.map((d) => d.values.length);
    const cells = shape.reduce((a, b) => a * b, 1);
    return report(
      dims.map((d) => d.name),
      cells,
      (o) => {
        const values = full!.values(o);
        if (values.some((v) => !Number.isFinite(v))) none(`output '${o}' is not a number in every cell of the grid`);
        const effects = gridMainEffects(values, shape);
        return Object.fromEntries(
          dims.map((d, i) => [
            d.name,
            { S1: effects[i]!.S1, main_effect: { levels: d.values, mean: effects[i]!.mean, std: effects[i]!.std } },
          ]),
        );
      },
    );
  }

  // Given data: every done case, each parameter that holds numbers.
  const rows = db!.doneRows();
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.params)))].filter(
    (n) => !subject.constants.has(n) && rows.every((r) => Number.isFinite(numberOf(r.params[n]))),
  );
  if (names.length === 0) none('no parameter holds numbers in every done case');
  if (rows.length < FEWEST.givenData) none(`only ${rows.length} cases are done`);
  const columns = names.map((n) => Float64Array.from(rows, (r) => numberOf(r.params[n])));
  return report(names, rows.length, (o) => {
    const y = Float64Array.from(rows, (r) => numberOf(r.columns[o]));
    const { S1 } = givenDataIndices(columns, y, boot);
    return Object.fromEntries(names.map((n, i) => [n, { S1: S1[i]!.value, S1_conf: S1[i]!.conf }]));
  });
}
