// The parameter space: value generators and the expansion of combos into cases.
// Pure functions, shared by the engine (to run) and the renderer (to count and preview).

export type Scalar = number | string | boolean;

/** A generator as written in study.yaml, or a plain list of values. */
export type ValueSpec =
  | Scalar[]
  | { values: Scalar[] }
  | { range: [number, number] | [number, number, number]; as?: 'int' | 'float' }
  | { linspace: [number, number, number]; as?: 'int' | 'float' }
  | { logspace: [number, number, number]; as?: 'int' | 'float' }
  | { geomspace: [number, number, number]; as?: 'int' | 'float' };

/** The mapping keys that make a value a generator rather than a literal. */
export const GENERATORS = ['values', 'range', 'linspace', 'logspace', 'geomspace'] as const;

export function isScalar(value: unknown): value is Scalar {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
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
  return as === 'int' ? values.map((v) => Math.round(v)) : values;
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
  if ('values' in spec) return spec.values;
  if ('range' in spec) {
    // numpy.arange: [stop] is not allowed here (two numbers mean start, stop), step defaults to 1.
    const [start, stop, step = 1] = spec.range;
    if (step === 0) throw new SpaceError('range step must not be 0', [...path, 'range']);
    const n = Math.max(0, Math.ceil((stop - start) / step));
    checkCount(n, [...path, 'range']);
    return cast(
      Array.from({ length: n }, (_, i) => start + i * step),
      spec.as,
    );
  }
  if ('linspace' in spec) {
    const [start, stop, n] = spec.linspace;
    checkCount(n, [...path, 'linspace']);
    return cast(linspace(start, stop, n), spec.as);
  }
  if ('logspace' in spec) {
    const [start, stop, n] = spec.logspace;
    checkCount(n, [...path, 'logspace']);
    return cast(
      linspace(start, stop, n).map((e) => 10 ** e),
      spec.as,
    );
  }
  const [start, stop, n] = spec.geomspace;
  checkCount(n, [...path, 'geomspace']);
  if (start <= 0 || stop <= 0) {
    throw new SpaceError('geomspace needs start and stop > 0', [...path, 'geomspace']);
  }
  return cast(
    linspace(Math.log(start), Math.log(stop), n).map((e, i) => (i === 0 ? start : i === n - 1 ? stop : Math.exp(e))),
    spec.as,
  );
}

/** The combo dims of a study, in the order written, each with its expanded values. */
export function comboDims(combos: Record<string, ValueSpec>): Dim[] {
  return Object.entries(combos).map(([name, spec]) => {
    const values = expandValues(spec, ['combos', name]);
    const seen = new Set<Scalar>();
    for (const v of values) {
      if (seen.has(v)) {
        throw new SpaceError(`combo '${name}' lists the value ${JSON.stringify(v)} twice; each value may appear once`, [
          'combos',
          name,
        ]);
      }
      seen.add(v);
    }
    return { name, values };
  });
}

export function caseCount(dims: Dim[]): number {
  return dims.reduce((n, d) => n * d.values.length, 1);
}

/** The parameters of case `index` (row-major: the last dim varies fastest, as itertools.product). */
export function caseAt(dims: Dim[], index: number): Record<string, Scalar> {
  const params: Record<string, Scalar> = {};
  let rest = index;
  for (let d = dims.length - 1; d >= 0; d--) {
    const dim = dims[d]!;
    const n = dim.values.length;
    params[dim.name] = dim.values[rest % n]!;
    rest = Math.floor(rest / n);
  }
  // Keep the keys in dim order, which is what a person reads.
  return Object.fromEntries(dims.map((d) => [d.name, params[d.name]!]));
}
