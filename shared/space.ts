// The parameter space: value generators and the expansion of combos into cases.
// Pure functions, shared by the engine (to run) and the renderer (to count and preview).
import { z } from 'zod';

export type Scalar = number | string | boolean | null;

/** A parameter value: what one cell of a dim's coords can hold. The one schema of it, wherever one is checked. */
export const scalarSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** A generator as written in study.yaml, or a plain list of values. */
export type ValueSpec =
  | Scalar[]
  | { values: Scalar[]; as?: 'int' | 'float' }
  | { range: [number, number] | [number, number, number]; as?: 'int' | 'float' }
  | { linspace: [number, number, number]; as?: 'int' | 'float' }
  | { logspace: [number, number, number]; as?: 'int' | 'float' }
  | { geomspace: [number, number, number]; as?: 'int' | 'float' };

/** The mapping keys that make a value a generator rather than a literal. */
export const GENERATORS = ['values', 'range', 'linspace', 'logspace', 'geomspace'] as const;

export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

export interface Dim {
  name: string;
  values: Scalar[];
}

/** Refused before anything is allocated: more points than this in one generator. */
export const MAX_GENERATED_VALUES = 10_000_000;

export class SpaceError extends Error {
  constructor(
    message: string,
    /** Path of the offending field inside the study file, e.g. ["combos", "a"]. */
    readonly path: (string | number)[],
  ) {
    super(message);
    this.name = 'SpaceError';
  }
}

function cast(values: number[], as: 'int' | 'float' | undefined): number[] {
  // as numpy's astype(int): toward zero
  return as === 'int' ? values.map((v) => Math.trunc(v) || 0) : values;
}

function checkCount(n: number, path: (string | number)[]): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new SpaceError(`the number of points must be a whole number ≥ 0, not ${n}`, path);
  }
  if (n > MAX_GENERATED_VALUES) {
    throw new SpaceError(`${n} points is more than the limit of ${MAX_GENERATED_VALUES}; use fewer points`, path);
  }
}

/** numpy.linspace(start, stop, n): n evenly spaced points, both ends included. */
export function linspace(start: number, stop: number, n: number): number[] {
  if (n === 1) return [start];
  const step = (stop - start) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? stop : start + i * step));
}

/** Expand one ValueSpec into its list of values. `path` names the field for error messages. */
export function expandValues(spec: ValueSpec, path: (string | number)[] = []): Scalar[] {
  if (Array.isArray(spec)) return spec;
  if ('values' in spec) {
    if (!spec.as) return spec.values;
    const numbers = spec.values.map(Number);
    if (numbers.some(Number.isNaN))
      throw new SpaceError(`values with as: ${spec.as} must all be numbers`, [...path, 'values']);
    return cast(numbers, spec.as);
  }
  const kind = GENERATORS.find((k) => k in spec) as Exclude<(typeof GENERATORS)[number], 'values'>;
  const generated = generate(spec, [...path, kind]);
  // A value past the largest double (10^400, say) would be stored as an Infinity coordinate; .inf written out is
  // refused, so is a generated one.
  const infinite = generated.find((v) => !Number.isFinite(v));
  if (infinite !== undefined) {
    throw new SpaceError(
      `gives ${infinite > 0 ? '' : '-'}infinity (a number beyond ±1.8e308); give bounds whose values are finite`,
      [...path, kind],
    );
  }
  return cast(generated, spec.as);
}

function generate(spec: Exclude<ValueSpec, Scalar[] | { values: Scalar[] }>, path: (string | number)[]): number[] {
  if ('range' in spec) {
    // numpy.arange: [stop] is not allowed here (two numbers mean start, stop), step defaults to 1.
    const [start, stop, step = 1] = spec.range;
    if (step === 0) throw new SpaceError('range step must not be 0', path);
    const n = Math.max(0, Math.ceil((stop - start) / step));
    checkCount(n, path);
    return Array.from({ length: n }, (_, i) => start + i * step);
  }
  if ('linspace' in spec) {
    const [start, stop, n] = spec.linspace;
    checkCount(n, path);
    return linspace(start, stop, n);
  }
  if ('logspace' in spec) {
    const [start, stop, n] = spec.logspace;
    checkCount(n, path);
    return linspace(start, stop, n).map((e) => 10 ** e);
  }
  const [start, stop, n] = spec.geomspace;
  checkCount(n, path);
  if (start <= 0 || stop <= 0) throw new SpaceError('geomspace needs start and stop > 0', path);
  return linspace(Math.log(start), Math.log(stop), n).map((e, i) =>
    i === 0 ? start : i === n - 1 ? stop : Math.exp(e),
  );
}

/** Combos as written: a mapping, or a list of [name, values] pairs that fixes the order. */
export type CombosSpec = Record<string, ValueSpec> | [string, ValueSpec][];

function entriesOf(combos: CombosSpec): [string, ValueSpec][] {
  return Array.isArray(combos) ? combos : Object.entries(combos);
}

function checkUnique(values: Scalar[], what: string, path: (string | number)[]): void {
  const seen = new Set<Scalar>();
  for (const v of values) {
    if (seen.has(v))
      throw new SpaceError(`${what} lists the value ${JSON.stringify(v)} twice; each value may appear once`, path);
    seen.add(v);
  }
}

/** The combo dims of a study, in the order written, each with its expanded values. */
export function comboDims(combos: CombosSpec): Dim[] {
  return entriesOf(combos).map(([name, spec], i) => {
    const path = Array.isArray(combos) ? ['combos', i] : ['combos', name];
    const values = expandValues(spec, path);
    checkUnique(values, `combo '${name}'`, path);
    return { name, values };
  });
}

export function caseCount(dims: Dim[]): number {
  return dims.reduce((n, d) => n * d.values.length, 1);
}

/** The parameters at `index` of a product of dims (row-major: the last varies fastest, as itertools.product). */
export function caseAt(dims: Dim[], index: number): Record<string, Scalar> {
  const params: Record<string, Scalar> = {};
  const at = positionsAt(dims, index);
  // The keys in dim order, which is what a person reads.
  for (let d = 0; d < dims.length; d++) params[dims[d]!.name] = dims[d]!.values[at[d]!]!;
  return params;
}

/** The position along each dim of item `index` of their product (row-major). */
function positionsAt(dims: Dim[], index: number): number[] {
  const at = new Array<number>(dims.length);
  let rest = index;
  for (let d = dims.length - 1; d >= 0; d--) {
    const n = dims[d]!.values.length;
    at[d] = rest % n;
    rest = Math.floor(rest / n);
  }
  return at;
}

/** The whole parameter space of a study as written. */
export interface SpaceSpec {
  combos: CombosSpec;
  /** Particular settings; for each, every combination of the combos runs. */
  cases?: Record<string, Scalar>[];
  /** Groups of parameters that vary together: one dim per group, named after its first parameter. */
  zip?: Record<string, ValueSpec>[];
  /** Parameters that vary with another one's dim (paramspace's coupled dims): no dim of their own. */
  coupled?: { name: string; target: string; values: Scalar[] }[];
}

/** A parameter dim of the dataset, and where it comes from. */
export interface SpaceDim extends Dim {
  role: 'case' | 'combo' | 'zip';
  /** For a zip dim: the other parameters of its group, with their values along the dim. */
  coupled?: Dim[];
}

/** Refused before anything runs: a space of more cases than this (study key `max_cases` to change it). */
export const DEFAULT_MAX_CASES = 10_000_000;

/**
 * The parameter space expanded: which cases run, and where each lands in the dataset. The dataset's
 * parameter dims are the case dims, then the combo dims, then one dim per zip group (xyzpy's layout); a case
 * dim's coords are the union of the values the cases give it, sorted where they sort.
 */
export class Space {
  readonly dims: SpaceDim[];
  /** How many cases run: the particular cases (or one, if none) times every combination. */
  readonly count: number;
  private readonly cases: Record<string, Scalar>[];
  private readonly caseDims: SpaceDim[];
  private readonly productDims: SpaceDim[];
  private readonly productCount: number;
  private readonly caseCells: number[];
  private readonly strides: number[];

  constructor(spec: SpaceSpec, maxCases = DEFAULT_MAX_CASES) {
    const combos = comboDims(spec.combos).map((d): SpaceDim => ({ ...d, role: 'combo' }));
    const zips = (spec.zip ?? []).map((group, g): SpaceDim => {
      const members = Object.entries(group).map(([name, values]) => ({
        name,
        values: expandValues(values, ['zip', g, name]),
      }));
      const [first, ...rest] = members;
      if (!first) throw new SpaceError('a zip group needs at least one parameter', ['zip', g]);
      for (const m of rest) {
        if (m.values.length !== first.values.length) {
          throw new SpaceError(
            `zip group: '${m.name}' has ${m.values.length} values but '${first.name}' has ${first.values.length}; parameters that vary together need as many values each`,
            ['zip', g, m.name],
          );
        }
      }
      checkUnique(first.values, `zip parameter '${first.name}'`, ['zip', g, first.name]);
      return { ...first, role: 'zip', coupled: rest };
    });
    this.productDims = [...combos, ...zips];
    // Every case runs with each combination, so a dim with no values makes no case at all, whatever the cases say.
    for (const d of this.productDims) {
      if (d.values.length === 0)
        throw new SpaceError(
          `'${d.name}' has no values; give at least one`,
          d.role === 'zip' ? ['zip'] : ['combos', d.name],
        );
    }
    for (const c of spec.coupled ?? []) {
      const target = this.productDims.find((d) => d.name === c.target);
      if (!target)
        throw new SpaceError(`'${c.name}' is coupled to '${c.target}', which is no varied parameter`, [
          'parameter_space',
        ]);
      if (c.values.length !== target.values.length) {
        throw new SpaceError(
          `'${c.name}' has ${c.values.length} values but '${c.target}', to which it is coupled, has ${target.values.length}`,
          ['parameter_space'],
        );
      }
      target.coupled = [...(target.coupled ?? []), { name: c.name, values: c.values }];
    }

    this.cases = spec.cases ?? [];
    const keys = this.cases[0] ? Object.keys(this.cases[0]) : [];
    this.cases.forEach((c, i) => {
      let count = 0;
      for (const k in c) if (Object.hasOwn(c, k)) count++;
      if (count !== keys.length || !keys.every((k) => Object.hasOwn(c, k))) {
        throw new SpaceError(
          `case ${i + 1} sets ${Object.keys(c).join(', ') || 'nothing'} but the first case sets ${keys.join(', ')}; every case sets the same parameters`,
          ['cases', i],
        );
      }
    });
    this.caseDims = keys.map((name): SpaceDim => ({
      name,
      role: 'case',
      values: unionOf(this.cases.map((c) => c[name]!)),
    }));

    const names = new Map<string, string>();
    for (const d of [...this.caseDims, ...this.productDims]) {
      for (const name of [d.name, ...(d.coupled ?? []).map((c) => c.name)]) {
        const other = names.get(name);
        if (other)
          throw new SpaceError(`'${name}' is both a ${other} parameter and a ${d.role} parameter; give it one role`, [
            d.role === 'case' ? 'cases' : d.role === 'zip' ? 'zip' : 'combos',
          ]);
        names.set(name, d.role);
      }
    }

    this.dims = [...this.caseDims, ...this.productDims];
    this.productCount = caseCount(this.productDims);
    this.count = Math.max(1, this.cases.length) * this.productCount;
    if (this.count > maxCases) {
      throw new SpaceError(
        `${this.count} cases is more than the limit of ${maxCases} (max_cases); narrow the space or raise the limit`,
        ['combos'],
      );
    }
    // Particular cases are laid out on dense dims: 2,000 cases with distinct values of three parameters would
    // make 8·10⁹ cells. That is refused like a space of too many cases.
    if (this.cells > maxCases) {
      throw new SpaceError(
        `the particular cases span ${this.cells} cells (every combination of their values), more than the limit of ${maxCases} (max_cases); give the cases fewer distinct values per parameter`,
        ['cases'],
      );
    }
    // Row-major strides over all parameter dims, and the cell of each particular case in the case dims.
    this.strides = this.dims.map((_, i) => caseCount(this.dims.slice(i + 1)));
    // A position per value looked up, not searched for: a search per case made a long list of cases quadratic.
    const positions = this.caseDims.map((d) => new Map(d.values.map((v, i) => [v, i])));
    const cells = new Array<number>(this.cases.length).fill(0);
    this.caseDims.forEach((d, i) => {
      const [at, stride] = [positions[i]!, this.strides[i]!];
      this.cases.forEach((c, k) => (cells[k] = cells[k]! + at.get(c[d.name]!)! * stride));
    });
    this.caseCells = cells;
    // Two cases that set the same values land in the same cell.
    const caseAtCell = new Map<number, number>();
    this.caseCells.forEach((cell, i) => {
      const earlier = caseAtCell.get(cell);
      if (earlier !== undefined) throw new SpaceError(`case ${i + 1} repeats case ${earlier + 1}`, ['cases', i]);
      caseAtCell.set(cell, i);
    });
  }

  /** Number of cells in the dataset's parameter dims (cases that were not given stay missing). */
  get cells(): number {
    return caseCount(this.dims);
  }

  /** The parameters of run item `index` (constants and resources not included). */
  paramsAt(index: number): Record<string, Scalar> {
    const c = this.cases[Math.floor(index / this.productCount)];
    const params: Record<string, Scalar> = c ? { ...c } : {};
    const dims = this.productDims;
    const at = positionsAt(dims, index % this.productCount);
    for (let d = 0; d < dims.length; d++) params[dims[d]!.name] = dims[d]!.values[at[d]!]!;
    // Coupled parameters come last, each at the position of the dim it follows (the last dim's first).
    for (let d = dims.length - 1; d >= 0; d--) {
      for (const coupled of dims[d]!.coupled ?? []) params[coupled.name] = coupled.values[at[d]!]!;
    }
    return params;
  }

  /** The flat row-major cell of run item `index` in the dataset's parameter dims. */
  cellOf(index: number): number {
    const caseCell = this.caseCells[Math.floor(index / this.productCount)] ?? 0;
    return caseCell + (index % this.productCount);
  }
}

/** The values a case dim takes: sorted when all are numbers, strings or booleans, else in first-seen order. */
export function unionOf(values: Scalar[]): Scalar[] {
  const unique = [...new Set(values)];
  if (unique.every((v) => typeof v === 'number')) return (unique as number[]).sort((a, b) => a - b);
  if (unique.every((v) => typeof v === 'string')) return (unique as string[]).sort();
  if (unique.every((v) => typeof v === 'boolean')) return (unique as boolean[]).sort((a, b) => Number(a) - Number(b));
  return unique;
}
