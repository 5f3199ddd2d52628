// Reading the command line's arguments, shared by its commands. A UsageError is printed with the usage text.
import { parse as parseYamlScalar } from 'yaml';
import type { Scalar } from '../../shared/space';
import { isScalar } from '../../shared/space';
import { FurrowError } from '../engine/errors';
import { STORED_VALUES } from '../engine/study/study';

/** The command line was used wrongly: the message, then the usage. */
export class UsageError extends FurrowError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

/** `--combo a=1,2,3`: values are YAML scalars, so numbers stay numbers and `x,y` stay strings. */
export function parseCombos(specs: string[]): Record<string, Scalar[]> | undefined {
  if (specs.length === 0) return undefined;
  const combos: Record<string, Scalar[]> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--combo ${spec}: write --combo name=v1,v2,...`);
    const name = spec.slice(0, eq);
    combos[name] = spec
      .slice(eq + 1)
      .split(',')
      .map((text) => {
        if (text === STORED_VALUES) return STORED_VALUES; // resolved from the dataset by withStoredValues
        const value: unknown = parseYamlScalar(text);
        if (!isScalar(value)) throw new UsageError(`--combo ${spec}: '${text}' is not a number, string or boolean`);
        return value;
      });
  }
  return combos;
}

export function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${text}: give a whole number ≥ 1`);
  return n;
}

/** A number of seconds ≥ 0, as milliseconds. */
export function seconds(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag} ${text}: give a number of seconds ≥ 0`);
  return n * 1000;
}
