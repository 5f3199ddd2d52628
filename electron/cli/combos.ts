// `--combo name=v1,v2,...` (run, crop sow): the values of combos given on the command line.
import { parse as parseYamlScalar } from 'yaml';
import type { Scalar } from '../../shared/space';
import { isScalar } from '../../shared/space';
import { STORED_VALUES } from '../engine/study/study';
import { UsageError } from './args';

/** `--combo a=1,2,3`: values are YAML scalars, so numbers stay numbers and `x,y` stay strings. */
export function parseCombos(specs: string[]): Record<string, Scalar[]> | undefined {
  if (specs.length === 0) return undefined;
  const combos: Record<string, Scalar[]> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--combo ${spec}: write --combo name=v1,v2,...`);
    const name = spec.slice(0, eq);
    // `a=` would be read as one YAML null: nobody types an empty list to mean that.
    if (eq === spec.length - 1)
      throw new UsageError(
        `--combo ${spec}: no values after '='; give them as --combo ${name}=v1,v2,... (null for a missing value)`,
      );
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
