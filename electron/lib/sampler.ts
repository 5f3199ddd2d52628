// xyzpy's Sampler: a Runner's function on n parameter sets drawn at random (or a sensitivity design's rows), each
// set a row of one table. The rows
// are kept in a run database (the schema of a study's runs.sqlite, run-db.ts): a run per call of sampleCombos, a
// row per sample with psweep's columns, the parameters and the scalar outputs. Values given as a list are drawn
// uniformly from it; a function is a distribution, called with the seeded generator (or ignoring it).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Draw } from '../../shared/sampling';
import type { DistributionSpec } from '../../shared/sampling';
import { drawSamples, Rng } from '../../shared/sampling';
import type { Scalar } from '../../shared/space';
import { isScalar } from '../../shared/space';
import { psetHash } from '../engine/run/pset-hash';
import type { CaseRecord } from '../engine/db/run-db';
import { RunDb } from '../engine/db/run-db';
import { callableClass, callingInstance } from './calling-instance';
import { shown } from './harvester';
import type { DesignOptions } from '../engine/sensitivity/designs';
import { DESIGNS, designSamples } from '../engine/sensitivity/designs';
import { failedCalls, runInWorkers } from './in-workers';
import { moduleOf } from './module-function';
import { checkOptions, kinds } from './options';
import type { Runner, RunOptions } from './runner';
import { checkRunnerGiven, RUN_OPTIONS } from './runner';
import { callable, checkWorkers } from './runners';
import { librarySync, RunnerError } from './runner-error';

/** What a parameter is drawn from: a list (uniformly) or a function of the generator. */
export type Distribution = Scalar[] | ((rng: Rng) => Scalar);
export type SampleCombos = Record<string, Distribution>;
/** What a design maps its points through: a list (a uniform choice) or {uniform|loguniform|normal|randint: [a, b]}. */
export type DesignDistribution = Exclude<DistributionSpec, { module: string }>;
/** One row: the parameters drawn, then the outputs (null where SQLite keeps no value, as for NaN). */
export type Row = Record<string, Scalar | null>;

/** One sample's outcome: its named outputs, or why it failed. */
type Outcome = { outputs: Row; seconds: number } | { error: string };

export interface SampleOptions extends RunOptions {
  /** The generator's seed: the same seed draws the same samples (default: a random one, kept with the run). */
  seed?: number;
}

export class Sampler {
  declare readonly dataName: string;
  declare readonly defaultCombos: SampleCombos;
  declare readonly runner: Runner;
  /** The rows of the last call, as run. */
  declare lastTable: Row[] | null;

  constructor(runner: Runner, options: { dataName: string; defaultCombos?: SampleCombos }) {
    const where = 'new Sampler(runner, options)';
    checkRunnerGiven(where, runner);
    checkOptions(where, options, { dataName: kinds.string, defaultCombos: kinds.record });
    if (options?.dataName === undefined) throw new RunnerError(`${where}: give dataName, the file of its table`);
    const inner = Object.entries(runner.options.varDims ?? {}).find(([, dims]) => dims.length > 0);
    if (inner) {
      throw new RunnerError(
        `a Sampler keeps a row per sample, so its outputs are scalars: '${inner[0]}' has dims [${inner[1].join(', ')}]; harvest it over combos instead`,
      );
    }
    const self = callingInstance<Sampler>(runner.fn, new.target.prototype);
    Object.defineProperties(self, {
      runner: { value: runner },
      dataName: { value: path.resolve(options.dataName) },
      defaultCombos: { value: options.defaultCombos ?? {} },
    });
    self.lastTable = null;
    return self;
  }

  /** Its Runner, what it draws from and its table's file, as xyzpy's repr of a Sampler. */
  toString(): string {
    const names = Object.keys(this.defaultCombos);
    const file = fs.existsSync(this.dataName) ? 'SQLite run database' : 'SQLite run database, not written yet';
    return [
      '<furrow.Sampler>',
      `Runner: ${String(this.runner)}`,
      ...(names.length ? [`Default combos: ${names.join(', ')}`] : []),
      'Sync file -->',
      `    ${shown(this.dataName)}    [${file}]`,
    ].join('\n');
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Draw `n` samples of `combos` (over the default combos), run the function on each, and keep the rows. */
  async sampleCombos(n: number, combos: SampleCombos = {}, options: SampleOptions = {}): Promise<Row[]> {
    checkOptions('sampleCombos(n, combos, options)', options, { ...RUN_OPTIONS, seed: kinds.integer });
    if (!Number.isInteger(n) || n < 1) throw new RunnerError(`sampleCombos(${n}): give a whole number ≥ 1`);
    const all = { ...this.defaultCombos, ...combos };
    if (Object.keys(all).length === 0) throw new RunnerError('sampleCombos: nothing to draw; give combos');
    const draws: [string, Draw][] = Object.entries(all).map(([name, d]) => {
      if (Array.isArray(d)) {
        if (d.length === 0) throw new RunnerError(`sampleCombos: '${name}' has no values to draw from`);
        return [name, (rng) => rng.choice(d)];
      }
      if (typeof d !== 'function') throw new RunnerError(`sampleCombos: '${name}' is neither a list nor a function`);
      return [name, d];
    });
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    let samples: Record<string, Scalar>[];
    try {
      samples = drawSamples(n, draws, seed);
    } catch (error) {
      throw new RunnerError(`sampleCombos: ${(error as Error).message}`);
    }
    const described = Object.fromEntries(
      Object.entries(all).map(([k, d]) => [k, Array.isArray(d) ? d : `<${d.name || 'function'}>`]),
    );
    return this.runSamples(samples, { combos: described, n, seed }, options);
  }

  /**
   * Run a sensitivity design (SALib's samplers): `saltelli` (n·(k+2) rows, n·(2k+2) with `secondOrder`), `morris`
   * (n trajectories of k+1 rows on `levels` levels), `sobol` or `lhs` (n rows), each parameter's points through
   * its distribution's inverse CDF (a list is a uniform choice). The table records the design, so
   * sensitivity(sampler) knows which row is which.
   */
  async sampleDesign(
    design: DesignOptions & { n: number },
    distributions: Record<string, DesignDistribution>,
    options: SampleOptions = {},
  ): Promise<Row[]> {
    checkOptions('sampleDesign(design, distributions, options)', options, { ...RUN_OPTIONS, seed: kinds.integer });
    checkOptions('sampleDesign(design, ...)', design, {
      design: kinds.string,
      n: kinds.count,
      secondOrder: kinds.boolean,
      levels: kinds.count,
    });
    const { n, ...chosen } = design;
    if (!Number.isInteger(n) || n < 1) throw new RunnerError(`sampleDesign: n ${n}: give a whole number ≥ 1`);
    if (!DESIGNS.includes(chosen.design)) {
      throw new RunnerError(`sampleDesign: design '${String(chosen.design)}': give one of ${DESIGNS.join(', ')}`);
    }
    const params = Object.entries(distributions).map(([name, distribution]) => ({
      name,
      distribution,
      where: `sampleDesign: '${name}'`,
    }));
    if (params.length === 0) throw new RunnerError('sampleDesign: nothing to vary; give distributions');
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    const spec = { ...chosen, n, seed };
    let samples: Record<string, Scalar>[];
    try {
      samples = designSamples(spec, params);
    } catch (error) {
      throw new RunnerError((error as Error).message);
    }
    const record = JSON.stringify({ ...spec, params: params.map((p) => p.name) });
    return this.runSamples(samples, { design: spec, distributions }, options, record);
  }

  /** Run the function on the samples and keep a row each: one run of the table (of a design, when given). */
  private async runSamples(
    samples: Record<string, Scalar>[],
    described: object,
    options: SampleOptions,
    design?: string,
  ): Promise<Row[]> {
    const n = samples.length;
    const model = moduleOf(this.runner.fn);
    if (!model) checkWorkers(options.workers);
    const { constants = {} } = this.runner.options;
    const fixed = Object.fromEntries(Object.entries(constants).filter(([, v]) => isScalar(v))) as Record<
      string,
      Scalar
    >;
    // The table is opened (and checked) before anything runs; the run's row says it is running meanwhile.
    const db = this.openTable();
    let failed: RunnerError | null = null;
    let records: CaseRecord[];
    try {
      const runId = randomUUID();
      const runSeq = db.startRun({
        runId,
        studyYaml: JSON.stringify({ sampler: this.runner.fn.name || 'function', ...described }),
        cases: n,
        skipped: 0,
        ...(design === undefined ? {} : { design }),
      });
      const outcomes = await this.call(samples, options);
      const failures = outcomes.flatMap((o, index) => ('error' in o ? [{ index, message: o.error }] : []));
      if (failures.length > 0) failed = failedCalls(failures, outcomes.length, (i) => samples[i]!);
      records = outcomes.map((outcome, i) => {
        const params = { ...fixed, ...samples[i]! };
        return {
          psetId: randomUUID(),
          psetHash: psetHash(params),
          params,
          calcDir: null,
          timeUtc: new Date().toISOString(),
          ...(design === undefined ? {} : { designRow: i }),
          ...('error' in outcome
            ? { status: 'failed' as const, error: outcome.error }
            : { status: 'done' as const, runtimeS: outcome.seconds, outputs: outcome.outputs }),
        };
      });
      db.recordCases({ runId, runSeq }, records);
      const done = records.filter((r) => r.status === 'done').length;
      // Samples never called (after an inline function threw) count as cancelled: they have no row.
      const counts = { done, failed: records.length - done, cancelled: n - records.length };
      db.finishRun(runId, done === n ? 'done' : 'failed', counts);
    } finally {
      db.close();
    }
    this.lastTable = records.flatMap((r) => (r.status === 'done' ? [{ ...r.params, ...r.outputs }] : []));
    if (failed) throw failed;
    return this.lastTable;
  }

  /** Call the function on each sample: on workers for a module function, else here, stopping at the first throw. */
  private async call(samples: Record<string, Scalar>[], options: SampleOptions): Promise<Outcome[]> {
    const { constants = {}, resources = {} } = this.runner.options;
    const paramsOf = (i: number) => ({ ...constants, ...resources, ...samples[i]! });
    const n = samples.length;
    const outcomes: Outcome[] = [];
    /** Name a call's outputs; a result of the wrong form fails that sample. */
    const outcomeOf = (value: unknown, seconds: number): Outcome => {
      try {
        return { outputs: this.named(value), seconds };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    const model = moduleOf(this.runner.fn);
    if (model) {
      const { outputs, failures } = await runInWorkers(model, n, paramsOf, options);
      const failedAt = new Map(failures.map((f) => [f.index, f.message]));
      for (let i = 0; i < n; i++)
        outcomes.push(failedAt.has(i) ? { error: failedAt.get(i)! } : outcomeOf(outputs[i], 0));
      return outcomes;
    }
    // As xyzpy: the first call that throws stops the round; the samples done before it are kept all the same.
    const fn = callable(this.runner.fn);
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      let value: unknown;
      try {
        value = fn(paramsOf(i));
      } catch (error) {
        outcomes.push({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
        break;
      }
      outcomes.push(outcomeOf(value, (performance.now() - start) / 1000));
      if ('error' in outcomes[i]!) break;
    }
    return outcomes;
  }

  /** The run database, opened and checked: a damaged one says so before anything runs. */
  private openTable(): RunDb {
    const db = librarySync(() => RunDb.openFile(this.dataName));
    try {
      db.quickCheck();
    } catch (error) {
      db.close();
      throw new RunnerError(`${this.dataName}: the run database is damaged (${(error as Error).message})`);
    }
    return db;
  }

  /** Every row done so far, in the order they were drawn: parameters, then outputs. */
  get fullTable(): Row[] {
    if (!fs.existsSync(this.dataName)) return [];
    const db = librarySync(() => RunDb.openFile(this.dataName));
    try {
      const rows = db.doneRows();
      const paramNames = new Set(rows.flatMap((r) => Object.keys(r.params)));
      return rows.map(({ params, columns }) => {
        const row: Row = { ...params };
        for (const [k, v] of Object.entries(columns)) if (!paramNames.has(k)) row[k] = v;
        return row;
      });
    } finally {
      db.close();
    }
  }

  /** A call's result as named scalar outputs, as the Runner names them. */
  private named(value: unknown): Row {
    const names = this.runner.options.varNames;
    let out: Record<string, unknown>;
    if (names === null) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new RunnerError(`varNames: null needs the function to return an object of named outputs`);
      }
      out = value as Record<string, unknown>;
    } else if (typeof names === 'string' || names.length === 1) {
      out = { [typeof names === 'string' ? names : names[0]!]: value };
    } else {
      if (!Array.isArray(value) || value.length !== names.length) {
        throw new RunnerError(`expected ${names.length} outputs (${names.join(', ')}), got ${JSON.stringify(value)}`);
      }
      out = Object.fromEntries(names.map((n, k) => [n, value[k]]));
    }
    for (const [k, v] of Object.entries(out)) {
      if (v !== null && !isScalar(v)) {
        throw new RunnerError(`output '${k}' is ${JSON.stringify(v)}; a Sampler's outputs are scalars`);
      }
    }
    return out as Row;
  }
}

callableClass(Sampler);

export { Rng };
