// The library's options, checked where they are given: plain JavaScript has no types to catch `var_names` or
// `overwrite: 'yes'`, and an option silently ignored is worse than one refused. An unknown name or a value of the
// wrong type is a RunnerError naming the option, what it must be, and (for xyzpy's spelling of a name) Furrow's.
import type { Overwrite } from '../engine/dataset/harvest';
import { isScalar } from '../../shared/space';
import { RunnerError } from './runner-error';

/** What an option must be: a test, and the words for it in a message. */
export interface Kind {
  test: (value: unknown) => boolean;
  says: string;
}

const plain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const recordOf = (test: (v: unknown) => boolean) => (v: unknown) => plain(v) && Object.values(v).every(test);
const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
const scalars = (v: unknown) => Array.isArray(v) && v.every(isScalar);

export const kinds = {
  boolean: { test: (v) => typeof v === 'boolean', says: 'true or false' },
  string: { test: (v) => typeof v === 'string' && v !== '', says: 'a non-empty string' },
  count: { test: (v) => Number.isInteger(v) && (v as number) >= 1, says: 'a whole number ≥ 1' },
  integer: { test: Number.isInteger, says: 'a whole number' },
  seconds: { test: (v) => typeof v === 'number' && v > 0, says: 'a number of seconds > 0' },
  record: { test: plain, says: 'an object of named values' },
  strings: { test: strings, says: 'a list of names' },
  varNames: {
    test: (v) => v === null || (typeof v === 'string' && v !== '') || strings(v),
    says: 'a name, a list of names, or null (the function returns an object of named outputs)',
  },
  varDims: { test: recordOf(strings), says: "an object of each output's dim names, e.g. { B: ['x'] }" },
  varCoords: { test: recordOf(scalars), says: "an object of each dim's coordinates, e.g. { x: [10, 20, 30] }" },
  attrs: {
    test: recordOf((v) => isScalar(v) || scalars(v)),
    says: 'an object of numbers, strings, booleans or lists of them',
  },
  cases: { test: (v) => Array.isArray(v) && v.every(plain), says: 'a list of objects, each a case' },
  combos: {
    test: (v) => plain(v) || (Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2)),
    says: 'an object of values per parameter, or a list of [name, values] pairs',
  },
  overwrite: {
    test: (v) => v === null || typeof v === 'boolean' || v === 'error' || v === 'new' || v === 'old',
    says: "'error' (or null), 'new' (or true) or 'old' (or false)",
  },
} satisfies Record<string, Kind>;

/**
 * xyzpy's options that Furrow has no use for or spells otherwise, with what to do instead. Looked up before the
 * camelCase suggestion, so `num_workers` is sent to `workers` rather than to nothing.
 */
const XYZPY: Record<string, string> = {
  engine:
    "Furrow has no engine to choose: a Harvester's file is NetCDF4 (HDF5) and a Sampler's table a run database (SQLite); leave it out",
  chunks: 'Furrow reads and writes the file itself (in place where it can); leave it out',
  parallel: 'give workers: N for a function from fromModule(file, name) (an inline function runs in this process)',
  num_workers: 'give workers: N for a function from fromModule(file, name)',
  executor: 'Furrow runs a module function on its own worker processes (workers: N); or grow a crop on a cluster',
  fn_args:
    'the function takes one object of named parameters (({ a, b }) => ...), so there is no argument order to give',
  sync: 'a Harvester writes each round to its file; there is no unsynced mode',
  progbar: 'there is no progress bar in the library; `furrow run` shows one',
  verbosity: 'there is no progress bar in the library; `furrow run` shows one',
};

const squash = (name: string) => name.replace(/_/g, '').toLowerCase();

/**
 * Check `options` (given as `where`, e.g. "new Runner(fn, options)") against `spec`: every name known, every value
 * of its kind. Undefined counts as not given.
 */
export function checkOptions(where: string, options: unknown, spec: Record<string, Kind>): void {
  if (options === undefined) return;
  if (!plain(options)) throw new RunnerError(`${where}: the options must be an object, not ${describe(options)}`);
  const known = Object.keys(spec);
  for (const [name, value] of Object.entries(options)) {
    const kind = spec[name];
    if (!kind) {
      const camel = known.find((k) => squash(k) === squash(name));
      const hint = XYZPY[name] ?? (camel ? `did you mean ${camel}?` : null);
      throw new RunnerError(
        `${where}: unknown option '${name}'${hint ? `: ${hint}` : ''} (its options: ${known.join(', ')})`,
      );
    }
    if (value !== undefined && !kind.test(value)) {
      throw new RunnerError(`${where}: option '${name}' is ${describe(value)}; give ${kind.says}`);
    }
  }
}

/** A value as a message shows it: short, and its type when that is the trouble. */
export function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    // a cycle, a BigInt: said by its type below
  }
  return String(value);
}

/** xyzpy's overwrite (true: new wins, false: old wins, null: refuse) in Furrow's words; undefined: refuse. */
export function overwritePolicy(value: Overwrite | boolean | null | undefined): Overwrite {
  if (value === true) return 'new';
  if (value === false) return 'old';
  return value ?? 'error';
}
