// Which parameters matter, for a study (or a library Sampler's table): the cases its run database records, analysed
// by the method their design allows. A Saltelli design (`furrow sample --design saltelli`) gives Sobol's S1, ST (and S2); a Morris design gives
// μ, μ*, σ; a full grid of combos its exact main effects; any other cases first-order indices from given data.
// An output with dims of its own (over time, say) is analysed at each of its coordinates, after the reductions of its
// dims asked for (`--reduce time=mean`, as the plot builder reduces); a sample keeps its values in the run database.
// A full grid's output with dims of its own is read from the study's dataset (grid-dataset.ts), where a run of the grid
// keeps it. A study whose cases cannot answer says what to run.
import fs from 'node:fs';
import type { NdArray } from '../../../shared/nd';
import { reduce as reduceDim } from '../../../shared/nd';
import type { Reducer } from '../../../shared/plot-spec';
import type {
  IndicesAlong,
  ParamIndices,
  ParamIndicesAlong,
  SensitivityMethod,
  SensitivityReport,
} from '../../../shared/sensitivity';
import { ALONG_LISTS } from '../../../shared/sensitivity';
import type { Scalar } from '../../../shared/space';
import type { H5 } from '../dataset/h5';
import { loadH5 } from '../dataset/h5';
import { withLoadedFile } from '../dataset/netcdf-read';
import type { OwnDimsValues, RunDb } from '../db/run-db';
import { FurrowError } from '../errors';
import type { Study } from '../study/study';
import type { BootstrapOptions } from './analyze';
import { givenDataIndices, gridMainEffects, morrisIndices, sobolIndices } from './analyze';
import type { DesignName, DesignRecord } from './designs';
import { designSize, unitDesign } from './designs';
import { gridAlongFromDataset } from './grid-dataset';

export interface SensitivityRequest extends BootstrapOptions {
  /** The outputs to analyse (default: every scalar output of the study). */
  outputs?: string[];
  /** Default: what the latest design allows (sobol, morris), else grid for a full grid, else given-data. */
  method?: SensitivityMethod;
  /** Reductions of outputs' own dims before the analysis (dim → reducer); the dims left are analysed per coordinate. */
  reduce?: Record<string, Reducer>;
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
  /** The coordinates of outputs' own dims that the study names (`coords:`); other dims count 0, 1, … */
  coords: Record<string, Scalar[]>;
  /** Names that are fixed (constants), never analysed as parameters. */
  constants: Set<string>;
  grid: { name: string; values: Scalar[] }[] | null;
  /** A study's folder and dataset file, where a run of its grid keeps the outputs with dims of their own. */
  study?: { dir: string; dataset: string };
  whatToRun(method: SensitivityMethod): string;
}

/** A study as the analysis sees it. */
export function studySubject(study: Study): Subject {
  const dir = study.dir;
  const dims = study.space.dims;
  return {
    label: study.file,
    outputs: Object.entries(study.spec.outputs).map(([name, o]) => ({ name, dims: o.dims })),
    coords: study.coords,
    constants: new Set(Object.keys(study.constants)),
    grid: dims.length > 0 && dims.every((d) => d.role === 'combo') ? dims : null,
    study: { dir, dataset: study.datasetPath },
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

/**
 * The outputs asked for (default: every scalar output, and those with dims of their own whose values are kept:
 * `kept`), and the reductions checked: each reduced dim is a dim of an output analysed.
 */
function outputsOf(
  subject: Subject,
  asked: string[] | undefined,
  reduce: Record<string, Reducer>,
  kept: Set<string>,
): { name: string; dims: string[] }[] {
  const declared = subject.outputs;
  let chosen: { name: string; dims: string[] }[];
  if (!asked || asked.length === 0) {
    chosen = declared.filter((o) => o.dims.length === 0 || kept.has(o.name));
  } else {
    chosen = asked.map((name) => {
      const found = declared.find((o) => o.name === name);
      if (!found) {
        throw new FurrowError(
          'bad-input',
          `output '${name}': ${subject.label} has no output '${name}' (outputs: ${declared.map((o) => o.name).join(', ') || 'none'})`,
        );
      }
      return found;
    });
  }
  for (const dim of Object.keys(reduce)) {
    if (!chosen.some((o) => o.dims.includes(dim))) {
      const withDims = chosen.filter((o) => o.dims.length > 0);
      const others = declared.filter((o) => !chosen.includes(o) && o.dims.includes(dim)).map((o) => o.name);
      const instead = withDims[0]?.dims[0];
      const todo =
        others.length > 0
          ? `${others.join(', ')} ${others.length > 1 ? 'have' : 'has'} it: add --output ${others[0]}`
          : instead
            ? `reduce a dim they have, e.g. --reduce ${instead}=${reduce[dim]}`
            : `drop --reduce ${dim}=${reduce[dim]}`;
      throw new FurrowError(
        'bad-input',
        `--reduce ${dim}=${reduce[dim]}: no output analysed has a dim '${dim}' (${
          withDims.map((o) => `${o.name}: [${o.dims.join(', ')}]`).join('; ') || 'every output is a scalar'
        }); ${todo}`,
      );
    }
  }
  return chosen;
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

/** A done case as the analysis reads its outputs: its _pset_seq and its scalar columns. */
interface CaseOutputs {
  seq: number;
  outputs: Record<string, Scalar | null>;
}

/**
 * An output's values over the cases, a column per coordinate of its own dims left after `reduce` (one column for a
 * scalar output, or one whose dims were all reduced): columns[c][i] is case i's value at coordinate c, NaN where
 * case i has none. `cases[i]` undefined: no done case there (a design's row not run).
 */
interface OutputValues {
  dims: { name: string; values: Scalar[] }[];
  columns: Float64Array[];
}

function valuesOf(
  subject: Subject,
  db: RunDb,
  output: { name: string; dims: string[] },
  cases: (CaseOutputs | undefined)[],
  reduce: Record<string, Reducer>,
): OutputValues {
  const n = cases.length;
  if (output.dims.length === 0) {
    const y = new Float64Array(n).fill(NaN);
    cases.forEach((c, i) => c && (y[i] = numberOf(c.outputs[output.name])));
    return { dims: [], columns: [y] };
  }
  const stored = db.ownDimsValues(output.name);
  let shape: number[] | null = null;
  for (const c of cases) {
    const v = c && stored.get(c.seq);
    if (v) {
      shape = v.shape;
      break;
    }
  }
  if (!shape) {
    const which = `${subject.label}: output '${output.name}' has dims [${output.dims.join(', ')}]`;
    if (subject.grid && subject.study) {
      // A grid not yet complete: its values are in the dataset, which answers once every cell is there.
      throw new FurrowError(
        'bad-input',
        `${which}: a run of the grid keeps its values in ${subject.study.dataset}, read once the grid is complete; ${subject.whatToRun('grid')}`,
      );
    }
    throw new FurrowError(
      'bad-input',
      `${which}, and none of these cases kept its values: a sample keeps them in the run database up to its ` +
        `--keep-arrays budget (1GiB unless given; past it the sample said so). Sample again with room for them ` +
        `(furrow sample --keep-arrays SIZE, or all), or have the model return what you need of '${output.name}' as a ` +
        `scalar output`,
    );
  }
  const coords = output.dims.map((d, i) => {
    const named = subject.coords[d];
    return named && named.length === shape![i] ? named : Array.from({ length: shape![i]! }, (_, at) => at);
  });
  const reduced = (v: OwnDimsValues): NdArray => {
    let a: NdArray = { dims: output.dims, shape: v.shape, coords, data: v.values };
    for (const [dim, op] of Object.entries(reduce)) if (a.dims.includes(dim)) a = reduceDim(a, dim, op);
    return a;
  };
  const template = reduced({ shape: shape!, values: new Float64Array(shape!.reduce((a, b) => a * b, 1)) });
  const size = template.data.length;
  const columns = Array.from({ length: size }, () => new Float64Array(n).fill(NaN));
  const same = (a: number[]) => a.length === shape!.length && a.every((s, i) => s === shape![i]);
  cases.forEach((c, i) => {
    const v = c && stored.get(c.seq);
    // A case of another shape (the model changed between runs) is left out, as a missing one is.
    if (!v || !same(v.shape)) return;
    const data = Object.keys(reduce).length > 0 ? reduced(v).data : v.values;
    for (let at = 0; at < size; at++) columns[at]![i] = data[at]!;
  });
  return { dims: template.dims.map((name, i) => ({ name, values: template.coords[i]! })), columns };
}

/** The outputs with dims of their own that the study's dataset holds (a run of its grid keeps them there). */
function storedInDataset(subject: Subject, h5: H5 | null): Set<string> {
  const withDims = subject.outputs.filter((o) => o.dims.length > 0).map((o) => o.name);
  const file = subject.study?.dataset;
  if (!h5 || !file || withDims.length === 0 || !fs.existsSync(file)) return new Set();
  try {
    const names = new Set(withLoadedFile(h5, file, (f) => f.keys()));
    return new Set(withDims.filter((n) => names.has(n)));
  } catch (error) {
    // A dataset that cannot be read: the first output read from it says so, and what to do.
    if (error instanceof FurrowError) return new Set(withDims);
    throw error;
  }
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

/**
 * The study's analysis. `h5`: h5wasm, loaded (h5ForSensitivity) when a run of the study's grid keeps outputs with
 * dims of their own in its dataset.
 */
export function studySensitivity(
  study: Study,
  db: RunDb | null,
  request: SensitivityRequest = {},
  h5: H5 | null = null,
): SensitivityReport {
  return sensitivityOf(studySubject(study), db, request, h5);
}

/** h5wasm, loaded, when the analysis may read the study's dataset: a full grid with outputs that have dims. */
export async function h5ForSensitivity(study: Study): Promise<H5 | null> {
  const dims = study.space.dims;
  const grid = dims.length > 0 && dims.every((d) => d.role === 'combo');
  const withDims = Object.values(study.spec.outputs).some((o) => o.dims.length > 0);
  return grid && withDims && fs.existsSync(study.datasetPath) ? loadH5() : null;
}

/**
 * A full grid's output with dims of its own, from the study's dataset: its exact main effects and S1 at each
 * coordinate left after `reduce` (or, all its dims reduced, as a scalar output's).
 */
function gridAlong(
  subject: Subject,
  output: { name: string; dims: string[] },
  reduce: Record<string, Reducer>,
  h5: H5 | null,
): ReturnType<typeof place> {
  const grid = subject.grid!;
  const study = subject.study;
  if (!study) throw new Error(`${subject.label}: a grid's outputs with dims are read from a study's dataset`);
  const where = `output '${output.name}' has dims [${output.dims.join(', ')}]: a run of the grid keeps its values in ${study.dataset}`;
  if (!fs.existsSync(study.dataset)) {
    throw new FurrowError('bad-input', `${where}, which is missing; run the grid again: furrow run ${study.dir}`);
  }
  if (!h5) throw new Error('h5wasm is not loaded: call h5ForSensitivity(study) first');
  const along = gridAlongFromDataset(h5, study.dataset, study.dir, output, grid, reduce);
  const levelsOf = (g: number) => grid[g]!.values;
  if (along.dims.length === 0) {
    // Reduced to one number per cell: as a scalar output of the grid, which every cell must have.
    if (along.effects[0]!.mean.some((m) => !Number.isFinite(m[0]!))) {
      throw new FurrowError(
        'bad-input',
        `${where}: reduced, it is not a number in every cell of the grid; run the rest of the grid: furrow run ${study.dir} --missing-only`,
      );
    }
    return {
      scalar: Object.fromEntries(
        grid.map((d, g) => {
          const e = along.effects[g]!;
          const S1 = e.S1[0]!;
          return [
            d.name,
            {
              S1: Number.isNaN(S1) ? 0 : S1,
              main_effect: { levels: levelsOf(g), mean: e.mean.map((m) => m[0]!), std: e.std.map((x) => x[0]!) },
            },
          ];
        }),
      ),
    };
  }
  return {
    along: {
      dims: along.dims,
      params: Object.fromEntries(
        grid.map((d, g) => {
          const e = along.effects[g]!;
          const entry: ParamIndicesAlong = {
            S1: list(Array.from(e.S1)),
            main_effect: {
              levels: levelsOf(g),
              mean: e.mean.map((m) => list(Array.from(m))),
              std: e.std.map((x) => list(Array.from(x))),
            },
          };
          return [d.name, entry];
        }),
      ),
    },
  };
}

/** A list over coordinates as the report holds it: null where an index is not a number (a constant output there). */
const list = (xs: number[]) => xs.map((x) => (Number.isFinite(x) ? x : null));

/**
 * The report's two places for an output's indices: `outputs` (a column: the output is a scalar here) or `along`
 * (a column per coordinate). `per(c)` gives the indices of column c.
 */
function place(
  values: OutputValues,
  params: string[],
  per: (column: Float64Array) => Record<string, ParamIndices>,
): { scalar: Record<string, ParamIndices> } | { along: IndicesAlong } {
  if (values.dims.length === 0) return { scalar: per(values.columns[0]!) };
  const each = values.columns.map(per);
  return {
    along: {
      dims: values.dims,
      params: Object.fromEntries(
        params.map((p) => {
          const entry: ParamIndicesAlong = {};
          for (const key of ALONG_LISTS) {
            if (each[0]![p]![key] !== undefined) entry[key] = list(each.map((e) => e[p]![key] as number));
          }
          const pairs = each[0]![p]!.S2;
          if (pairs) {
            entry.S2 = Object.fromEntries(
              Object.keys(pairs).map((q) => [
                q,
                {
                  value: list(each.map((e) => e[p]!.S2![q]!.value)),
                  conf: list(each.map((e) => e[p]!.S2![q]!.conf)),
                },
              ]),
            );
          }
          return [p, entry];
        }),
      ),
    },
  };
}

export function sensitivityOf(
  subject: Subject,
  db: RunDb | null,
  request: SensitivityRequest = {},
  h5: H5 | null = null,
): SensitivityReport {
  const reduce = request.reduce ?? {};
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
  // By default, outputs with dims of their own whose values are kept nowhere are left out: a sample keeps them in
  // the run database, a run of the grid in the dataset.
  const kept = method === 'grid' ? storedInDataset(subject, h5) : (db?.ownDimsOutputs() ?? new Set<string>());
  const outputs = outputsOf(subject, request.outputs, reduce, kept);
  // Nothing run yet and no method asked for: a Saltelli design answers the most.
  const hint: SensitivityMethod = request.method ?? (db?.hasRuns() ? method : 'sobol');
  const none = (what: string): never => {
    throw new FurrowError('bad-input', `${subject.label}: ${what}; ${subject.whatToRun(hint)}`);
  };
  if (!db) none('nothing has run yet (no run database)');
  if (outputs.length === 0) {
    none(
      method === 'grid'
        ? `no output is a scalar, and the dataset keeps none of those with dims of their own`
        : 'no output is a scalar, and no case kept the values of those with dims of their own',
    );
  }
  const boot: BootstrapOptions = {
    ...(request.resamples === undefined ? {} : { resamples: request.resamples }),
    ...(request.confidence === undefined ? {} : { confidence: request.confidence }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
  };
  const report = (
    params: string[],
    evaluations: number,
    of: (output: { name: string; dims: string[] }) => ReturnType<typeof place>,
  ): SensitivityReport => {
    const placed = outputs.map((o) => [o.name, of(o)] as const);
    return {
      method,
      params,
      evaluations,
      design:
        design && (method === 'sobol' || method === 'morris')
          ? { name: design.design.design, n: design.design.n, seed: design.design.seed }
          : null,
      reduce,
      outputs: Object.fromEntries(placed.flatMap(([o, r]) => ('scalar' in r ? [[o, r.scalar]] : []))),
      along: Object.fromEntries(placed.flatMap(([o, r]) => ('along' in r ? [[o, r.along]] : []))),
    };
  };

  if (method === 'sobol' || method === 'morris') {
    const wanted = method === 'sobol' ? 'saltelli' : 'morris';
    if (!design || design.design.design !== wanted) {
      none(`no ${wanted} design has run`);
    }
    const { design: spec, cases } = design!;
    const k = spec.params.length;
    // The design's cases in its row order (a later record of a row winning).
    const byRow: (CaseOutputs | undefined)[] = new Array(designSize(spec, k));
    for (const c of cases) if (c.row >= 0 && c.row < byRow.length) byRow[c.row] = c;
    const values = new Map(outputs.map((o) => [o.name, valuesOf(subject, db!, o, byRow, reduce)]));
    if (method === 'sobol') {
      const second = spec.secondOrder ?? false;
      let used = Infinity;
      const indicesOf = (y: Float64Array): Record<string, ParamIndices> => {
        const r = sobolIndices(y, spec.n, k, second, boot);
        used = Math.min(used, r.n);
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
      };
      // The fewest complete base rows over every output and coordinate decide whether the design can answer.
      const placed = new Map(outputs.map((o) => [o.name, place(values.get(o.name)!, spec.params, indicesOf)]));
      if (used < FEWEST.sobol) none(`only ${used} of the design's ${spec.n} base rows have every evaluation done`);
      return report(spec.params, cases.length, (o) => placed.get(o.name)!);
    }
    const x = unitDesign(spec, k).points;
    let used = Infinity;
    const indicesOf = (y: Float64Array): Record<string, ParamIndices> => {
      const r = morrisIndices(x, y, spec.n, k, boot);
      used = Math.min(used, r.r);
      return Object.fromEntries(
        spec.params.map((p, i) => [
          p,
          { mu: r.mu[i]!, mu_star: r.muStar[i]!.value, mu_star_conf: r.muStar[i]!.conf, sigma: r.sigma[i]! },
        ]),
      );
    };
    const placed = new Map(outputs.map((o) => [o.name, place(values.get(o.name)!, spec.params, indicesOf)]));
    if (used < FEWEST.morris) none(`only ${used} of the design's ${spec.n} trajectories have every evaluation done`);
    return report(spec.params, cases.length, (o) => placed.get(o.name)!);
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
        if (o.dims.length > 0) return gridAlong(subject, o, reduce, h5);
        const values = full!.values(o.name);
        if (values.some((v) => !Number.isFinite(v))) {
          none(`output '${o.name}' is not a number in every cell of the grid`);
        }
        const effects = gridMainEffects(values, shape);
        return {
          scalar: Object.fromEntries(
            dims.map((d, i) => [
              d.name,
              { S1: effects[i]!.S1, main_effect: { levels: d.values, mean: effects[i]!.mean, std: effects[i]!.std } },
            ]),
          ),
        };
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
  const cases = rows.map((r) => ({ seq: r.seq, outputs: r.columns }));
  return report(names, rows.length, (o) =>
    place(valuesOf(subject, db!, o, cases, reduce), names, (y) => {
      const { S1 } = givenDataIndices(columns, y, boot);
      return Object.fromEntries(names.map((n, i) => [n, { S1: S1[i]!.value, S1_conf: S1[i]!.conf }]));
    }),
  );
}
