// xyzpy's combo_runner and case_runner for TypeScript: a function over every combination of some values (or over
// a list of cases), with the results nested as xyzpy nests them. An inline function runs in this process and
// returns at once; a function loaded with `fromModule` runs on worker processes and returns a promise.
import { comboDims, GENERATORS, isScalar, unionOf } from '../../shared/space';
import type { CombosSpec, Dim, Scalar } from '../../shared/space';
import { STORED_VALUES } from '../engine/study/study';
import type { WorkerOptions } from './in-workers';
import { failedCalls, runInWorkers } from './in-workers';
import type { ModuleFunction } from './module-function';
import { moduleOf } from './module-function';
import { checkOptions, describe, kinds } from './options';
import { RunnerError } from './runner-error';

export type Params = Record<string, Scalar>;
/**
 * A function run over parameter sets: it takes one object of named parameters (with the constants and resources).
 * Its parameter type is the caller's to declare (`({ a, b }: Params) => ...`, or an interface of its own).
 */
export type Model<R = unknown> = (params: never) => R;
/** How the library calls a Model. */
export const callable = <R>(fn: Model<R>) => fn as unknown as (params: Record<string, unknown>) => R;
/** Results nested one array per dim: case dims first, then combo dims. */
export type Nested<T> = T | Nested<T>[];

export interface ComboOptions {
  /** Particular cases: each fixes some parameters; their values become dims before the combos'. */
  cases?: Params[];
  /** Passed to every call, not varied. */
  constants?: Params;
  /**
   * How many processes run the calls. An inline function runs in this process only: a closure cannot be sent to
   * another process (it may use variables of this one), so more than 1 is refused. A function from `fromModule`
   * runs on this many worker processes (default: one per core).
   */
  workers?: number;
  /** Seconds one call of a module function may take before it fails (default: no limit). */
  timeout?: number;
}

const COMBO_OPTIONS = {
  cases: kinds.cases,
  constants: kinds.record,
  workers: kinds.count,
  timeout: kinds.seconds,
};

/** A combo given as `'...'` (or `['...']`, as `--combo name=...`): the values its dim has in a stored dataset. */
export function isStoredValues(spec: unknown): boolean {
  return spec === STORED_VALUES || (Array.isArray(spec) && spec.length === 1 && spec[0] === STORED_VALUES);
}

/**
 * Refuse combos that are not a list of values or a generator for each parameter, naming the parameter. `'...'`
 * (the values stored) is resolved by a Harvester before this; anywhere else `noStored` says why it cannot be.
 */
export function checkCombos(where: string, combos: unknown, noStored: string): void {
  if (!kinds.combos.test(combos)) {
    throw new RunnerError(`${where}: combos is ${describe(combos)}; give ${kinds.combos.says}, e.g. { a: [1, 2, 3] }`);
  }
  const entries = Array.isArray(combos) ? (combos as [unknown, unknown][]) : Object.entries(combos as object);
  for (const [name, spec] of entries) {
    if (typeof name !== 'string') throw new RunnerError(`${where}: a combo's name is ${describe(name)}; give a string`);
    if (isStoredValues(spec)) {
      throw new RunnerError(`${where}: '${name}' is '...', the values a dataset file holds for it: ${noStored}`);
    }
    if (Array.isArray(spec)) {
      const bad = spec.find((v) => !isScalar(v));
      if (bad === undefined) continue;
      throw new RunnerError(
        `${where}: '${name}' has the value ${describe(bad)}; a parameter's values are numbers, strings or booleans`,
      );
    }
    if (typeof spec === 'object' && spec !== null && GENERATORS.some((k) => k in spec)) continue;
    throw new RunnerError(
      `${where}: '${name}' is ${describe(spec)}; give a list of values (e.g. [${describe(spec)}]), or a generator such as { range: [0, 10] } or { linspace: [0, 1, 11] }`,
    );
  }
}

/** Refuse more than one worker for an inline function, saying why and what to do instead. */
export function checkWorkers(workers: number | undefined): void {
  if (workers !== undefined && workers !== 1) {
    throw new RunnerError(
      `workers: ${workers}: an inline function runs in this process only (a closure cannot be sent to a worker process, it may use this process's variables); run it with workers: 1, or load it with fromModule(file, name) so that each worker imports it`,
    );
  }
}

/** The case dims: each parameter the cases set, with its values sorted as a Runner's are (as xyzpy's). */
function caseDims(cases: Params[]): Dim[] {
  const dims = new Map<string, Scalar[]>();
  for (const c of cases) {
    for (const [name, value] of Object.entries(c)) {
      const values = dims.get(name) ?? [];
      if (!values.includes(value)) values.push(value);
      dims.set(name, values);
    }
  }
  const keys = [...dims.keys()];
  for (const [i, c] of cases.entries()) {
    const missing = keys.filter((k) => !(k in c));
    if (missing.length) {
      throw new RunnerError(
        `cases[${i}] sets no ${missing.map((m) => `'${m}'`).join(', ')}; every case sets the same parameters`,
      );
    }
  }
  return keys.map((name) => ({ name, values: unionOf(dims.get(name)!) }));
}

/** Nested arrays of `shape`, every leaf `fill` (a copy of it, for an array or object). */
function nestedOf(shape: number[], fill: unknown, axis = 0): Nested<unknown> {
  if (axis === shape.length) return typeof fill === 'object' && fill !== null ? structuredClone(fill) : fill;
  return Array.from({ length: shape[axis]! }, () => nestedOf(shape, fill, axis + 1));
}

/**
 * Call `fn` with every combination of `combos` (and each of `cases`, if given), with `constants`. Returns the results
 * nested as xyzpy's combo_runner: one array level per dim, case dims first, then the combo dims in order; where no
 * case ran, NaN (or null, when the function's results are strings or booleans). A function from `fromModule` runs
 * on worker processes, and the results come as a promise.
 */
export function comboRunner<R>(
  fn: ModuleFunction<Model<R>>,
  combos: CombosSpec,
  options?: ComboOptions,
): Promise<Nested<R | number | null>>;
export function comboRunner<R>(fn: Model<R>, combos: CombosSpec, options?: ComboOptions): Nested<R | number | null>;
export function comboRunner<R>(
  fn: Model<R>,
  combos: CombosSpec,
  options: ComboOptions = {},
): Nested<R | number | null> | Promise<Nested<R | number | null>> {
  if (typeof fn !== 'function') throw new RunnerError(`comboRunner: fn is ${describe(fn)}; give the function to run`);
  checkOptions('comboRunner(fn, combos, options)', options, COMBO_OPTIONS);
  checkCombos('comboRunner', combos, 'comboRunner keeps no file; give the values, or harvest with a Harvester');
  const model = moduleOf(fn);
  if (!model) {
    checkWorkers(options.workers);
    return combosHere(callable(fn), combos, options);
  }
  const calls: Params[] = [];
  const indices = combosHere(
    (params) => {
      calls.push(params);
      return calls.length - 1;
    },
    combos,
    options,
  );
  const depth = (options.cases ? caseDims(options.cases).length : 0) + comboDims(combos).length;
  return callsInWorkers<R>(fn, calls, options).then((outputs) => {
    const missing = missingOf(outputs, 0);
    return mapLeaves(indices, depth, (i) => (Number.isNaN(i) ? nestedOf([], missing) : outputs[i]!)) as Nested<
      R | number | null
    >;
  });
}

/** Run the recorded calls on worker processes; their outputs in order, or an error naming the first failure. */
async function callsInWorkers<R>(fn: Model<R>, calls: Params[], options: ComboOptions): Promise<R[]> {
  const constants = options.constants ?? {};
  const workerOptions: WorkerOptions = { workers: options.workers, timeout: options.timeout };
  const { outputs, failures } = await runInWorkers(moduleOf(fn)!, calls.length, (i) => calls[i]!, workerOptions);
  if (failures.length > 0) {
    throw failedCalls(failures, calls.length, (i) =>
      Object.fromEntries(Object.entries(calls[i]!).filter(([k]) => !(k in constants))),
    );
  }
  return outputs as R[];
}

/** `node` with each leaf at `depth` replaced by f(leaf). */
function mapLeaves(node: Nested<unknown>, depth: number, f: (leaf: number) => unknown): Nested<unknown> {
  return depth === 0 ? f(node as number) : (node as Nested<unknown>[]).map((child) => mapLeaves(child, depth - 1, f));
}

/** comboRunner in this process. */
function combosHere<R>(
  fn: (params: Params) => R,
  combos: CombosSpec,
  options: ComboOptions,
): Nested<R | number | null> {
  const combo = comboDims(combos);
  const cases = options.cases ? caseDims(options.cases) : [];
  const clash = combo.find((d) => cases.some((c) => c.name === d.name));
  if (clash) throw new RunnerError(`'${clash.name}' is both a combo and set by the cases; give it in one of them`);
  const constants = options.constants ?? {};
  const comboShape = combo.map((d) => d.values.length);
  const names = combo.map((d) => d.name);
  const rank = combo.length;

  /** fn's results over the combo dims, for one case's parameters. */
  const runCombos = (base: Params): Nested<R> => {
    const out = nestedOf(comboShape, undefined) as Nested<R>;
    if (rank === 0) return fn({ ...constants, ...base });
    const at = new Array<number>(rank).fill(0);
    const total = comboShape.reduce((a, b) => a * b, 1);
    // The innermost arrays, found once per row rather than per call.
    let row = out as Nested<R>[];
    const rowOf = () => {
      let r = out as Nested<R>[];
      for (let d = 0; d < rank - 1; d++) r = r[at[d]!] as Nested<R>[];
      return r;
    };
    if (total > 0) row = rowOf();
    for (let i = 0; i < total; i++) {
      const params: Params = { ...constants, ...base };
      for (let d = 0; d < rank; d++) params[names[d]!] = combo[d]!.values[at[d]!]!;
      row[at[rank - 1]!] = fn(params);
      // The odometer: the last dim fastest (itertools.product's order).
      let d = rank - 1;
      while (d >= 0 && ++at[d]! === comboShape[d]!) at[d--] = 0;
      if (d < rank - 1 && d >= 0) row = rowOf();
    }
    return out;
  };

  if (cases.length === 0) return runCombos({}) as Nested<R | number | null>;
  // Case dims: a cell per combination of their values; the cells no case names stay missing.
  const caseShape = cases.map((d) => d.values.length);
  const result = nestedOf(caseShape, undefined) as Nested<unknown>[];
  const ran: Nested<R>[] = [];
  const place = (c: Params, value: Nested<R>) => {
    let r = result;
    for (let d = 0; d < cases.length - 1; d++) r = r[cases[d]!.values.indexOf(c[cases[d]!.name]!)] as Nested<unknown>[];
    const lastDim = cases[cases.length - 1]!;
    r[lastDim.values.indexOf(c[lastDim.name]!)] = value;
  };
  for (const c of options.cases!) {
    const value = runCombos(c);
    ran.push(value);
    place(c, value);
  }
  const missing = missingOf(ran, rank);
  const fillHoles = (node: Nested<unknown>, axis: number): Nested<unknown> => {
    if (axis === cases.length) return node === undefined ? nestedOf(comboShape, missing) : node;
    return (node as Nested<unknown>[]).map((child) => fillHoles(child, axis + 1));
  };
  return fillHoles(result, 0) as Nested<R | number | null>;
}

/**
 * What stands where nothing ran, as xyzpy fills it: for a function of several outputs (an array or an object of
 * them) the same form with NaN for each output; for one output NaN, or null beside strings and booleans.
 */
function missingOf(ran: unknown[], depth: number): unknown {
  const leaves = (node: unknown, d: number): unknown[] =>
    d === 0 ? [node] : Array.isArray(node) ? node.flatMap((child) => leaves(child, d - 1)) : [];
  const sample = ran.flatMap((node) => leaves(node, depth)).find((x) => x !== undefined);
  if (Array.isArray(sample)) return sample.map(() => NaN);
  if (typeof sample === 'object' && sample !== null)
    return Object.fromEntries(Object.keys(sample).map((k) => [k, NaN]));
  return typeof sample === 'string' || typeof sample === 'boolean' ? null : NaN;
}

/**
 * Call `fn` once per case: each case gives the values of `fnArgs` in order (an array), or by name (an object).
 * Returns the results in the order of the cases, as xyzpy's case_runner (a promise, for a function from `fromModule`,
 * which runs on worker processes).
 */
export function caseRunner<R>(
  fn: ModuleFunction<Model<R>>,
  fnArgs: string[],
  cases: (Scalar[] | Params)[],
  options?: CaseOptions,
): Promise<R[]>;
export function caseRunner<R>(fn: Model<R>, fnArgs: string[], cases: (Scalar[] | Params)[], options?: CaseOptions): R[];
export function caseRunner<R>(
  fn: Model<R>,
  fnArgs: string[],
  cases: (Scalar[] | Params)[],
  options: CaseOptions = {},
): R[] | Promise<R[]> {
  if (typeof fn !== 'function') throw new RunnerError(`caseRunner: fn is ${describe(fn)}; give the function to run`);
  const { cases: _, ...caseOptions } = COMBO_OPTIONS;
  checkOptions('caseRunner(fn, fnArgs, cases, options)', options, caseOptions);
  if (!moduleOf(fn)) {
    checkWorkers(options.workers);
    return casesHere(callable(fn), fnArgs, cases, options);
  }
  const calls = casesHere((params) => params, fnArgs, cases, options);
  return callsInWorkers(fn, calls, options);
}

export type CaseOptions = Pick<ComboOptions, 'constants' | 'workers' | 'timeout'>;

function casesHere<R>(
  fn: (params: Params) => R,
  fnArgs: string[],
  cases: (Scalar[] | Params)[],
  options: CaseOptions,
): R[] {
  const constants = options.constants ?? {};
  return cases.map((c, i) => {
    if (Array.isArray(c)) {
      if (c.length !== fnArgs.length) {
        throw new RunnerError(
          `cases[${i}] has ${c.length} values for ${fnArgs.length} arguments (${fnArgs.join(', ')})`,
        );
      }
      const params: Params = { ...constants };
      fnArgs.forEach((name, k) => (params[name] = c[k]!));
      return fn(params);
    }
    const missing = fnArgs.filter((a) => !(a in c));
    if (missing.length) throw new RunnerError(`cases[${i}] has no ${missing.map((m) => `'${m}'`).join(', ')}`);
    return fn({ ...constants, ...c });
  });
}
