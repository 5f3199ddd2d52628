// paramspace's parameter spaces (dantro's run configs): a nested mapping whose leaves are plain values
// (constants) or !pdim / !coupled-pdim dims. The YAML tags arrive as single-key objects, {'!pdim': {...}}.
// Dims are ordered as paramspace orders them, by (order, key path), the last varying fastest; nested keys
// become dotted names unless a dim gives its own `name`.
import type { Scalar, SpaceSpec } from './space';
import { linspace, SpaceError } from './space';

export const PDIM = '!pdim';
export const COUPLED_PDIM = '!coupled-pdim';

type Tree = { [key: string]: unknown };

interface DimArgs {
  default?: unknown;
  values?: Scalar[];
  range?: number[];
  linspace?: [number, number, number];
  logspace?: [number, number, number];
  as_type?: 'int' | 'float' | 'str' | 'bool';
  order?: number;
  name?: string;
}

interface CoupledArgs {
  target_name: string | string[];
  values?: Scalar[];
  default?: unknown;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function values(args: DimArgs, at: string[]): Scalar[] {
  const where = ['parameter_space', ...at];
  let out: Scalar[];
  if (args.values) out = args.values;
  else if (args.range) {
    // Python's range(stop), range(start, stop) or range(start, stop, step)
    const [start, stop, step = 1] = args.range.length === 1 ? [0, args.range[0]!] : args.range;
    if (step === 0 || start === undefined || stop === undefined)
      throw new SpaceError('range needs [stop], [start, stop] or [start, stop, step] with step ≠ 0', where);
    out = Array.from({ length: Math.max(0, Math.ceil((stop - start) / step)) }, (_, i) => start + i * step);
  } else if (args.linspace) out = linspace(...args.linspace);
  else if (args.logspace) out = linspace(...args.logspace).map((e) => 10 ** e);
  else throw new SpaceError('a !pdim needs values, range, linspace or logspace', where);
  switch (args.as_type) {
    case 'int':
      return out.map((v) => Math.trunc(Number(v)));
    case 'float':
      return out.map(Number);
    case 'str':
      return out.map(String);
    case 'bool':
      return out.map(Boolean);
    default:
      return out;
  }
}

/** Compare key paths as paramspace does: element by element, a shorter prefix first. */
function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

export interface ParamSpaceParts {
  space: SpaceSpec;
  /** The plain leaves: passed to every case. */
  constants: Record<string, unknown>;
}

export function fromParamSpace(tree: unknown): ParamSpaceParts {
  if (!isTree(tree)) throw new SpaceError('a parameter space is a mapping (a !pspace)', ['parameter_space']);
  const dims: { path: string[]; name: string; order: number; values: Scalar[] }[] = [];
  const coupled: { path: string[]; name: string; args: CoupledArgs }[] = [];
  const constants: Record<string, unknown> = {};
  const walk = (node: Tree, at: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const path = [...at, key];
      if (isTree(value) && PDIM in value) {
        const args = value[PDIM] as DimArgs;
        dims.push({
          path,
          name: args.name ?? path.join('.'),
          order: args.order ?? Infinity,
          values: values(args, path),
        });
      } else if (isTree(value) && COUPLED_PDIM in value) {
        const args = value[COUPLED_PDIM] as CoupledArgs;
        coupled.push({ path, name: path.join('.'), args });
      } else if (isTree(value)) walk(value, path);
      else constants[path.join('.')] = value;
    }
  };
  walk(tree, []);
  dims.sort((a, b) => (a.order !== b.order ? a.order - b.order : comparePaths(a.path, b.path)));
  const resolved = coupled.map(({ path, name, args }) => {
    // A name alone is a sibling of the coupled dim; a list is the full key path.
    const targetPath = Array.isArray(args.target_name) ? args.target_name : [...path.slice(0, -1), args.target_name];
    const target =
      dims.find((d) => d.path.join('.') === targetPath.join('.')) ??
      dims.find((d) => d.name === String(args.target_name));
    if (!target) {
      throw new SpaceError(`coupled dim '${name}': no !pdim at ${targetPath.join('.')}`, ['parameter_space', ...path]);
    }
    return { name, target: target.name, values: args.values ?? target.values };
  });
  return {
    space: { combos: dims.map((d) => [d.name, d.values] as [string, Scalar[]]), coupled: resolved },
    constants,
  };
}
