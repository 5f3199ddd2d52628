// paramspace's parameter spaces (dantro's run configs): a nested mapping whose leaves are plain values
// (constants) or !pdim / !coupled-pdim dims. The YAML tags arrive as single-key objects, {'!pdim': {...}}.
// Dims are ordered as paramspace orders them, by (order, key path), the last varying fastest; a dim is named by its
// own `name` or its dotted key path, and the model receives the nested mapping (nestParams), as dantro's do.
import { z } from 'zod';
import type { Scalar, SpaceSpec } from './space';
import { expandValues, SpaceError } from './space';
import { scalarSchema } from './space';
import { issueDetail } from './study';

export const PDIM = '!pdim';
export const COUPLED_PDIM = '!coupled-pdim';

type Tree = { [key: string]: unknown };

const number = z.number();
const dimArgsSchema = z
  .object({
    default: z.unknown().optional(),
    values: z.array(scalarSchema).optional(),
    range: z.array(number).min(1).max(3).optional(),
    linspace: z.tuple([number, number, number]).optional(),
    logspace: z.tuple([number, number, number]).optional(),
    as_type: z.enum(['int', 'float', 'str', 'bool']).optional(),
    order: number.optional(),
    name: z.string().optional(),
  })
  .strict();
type DimArgs = z.infer<typeof dimArgsSchema>;

const coupledArgsSchema = dimArgsSchema
  .omit({ order: true, name: true })
  .extend({ target_name: z.union([z.string(), z.array(z.string())]) })
  .strict();
type CoupledArgs = z.infer<typeof coupledArgsSchema>;

const DIM_KEYS = Object.keys(dimArgsSchema.shape);
const COUPLED_KEYS = Object.keys(coupledArgsSchema.shape);

/** A dim's arguments, checked as study.yaml's generators are: an unknown key by name, then each value. */
function argsOf<T>(raw: unknown, schema: z.ZodType<T>, allowed: string[], tag: string, at: string[]): T {
  const where = ['parameter_space', ...at];
  const unknown = typeof raw === 'object' && raw !== null ? Object.keys(raw).filter((k) => !allowed.includes(k)) : [];
  if (unknown.length) {
    throw new SpaceError(
      `${tag} does not take ${unknown.map((k) => `'${k}'`).join(', ')} (it takes ${allowed.join(', ')})`,
      where,
    );
  }
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new SpaceError(issueDetail(issue), [
    ...where,
    ...issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
  ]);
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A dim's values: its own, or generated as study.yaml generates them (the same limits, finite values only). */
function values(args: Omit<DimArgs, 'order' | 'name'>, at: string[]): Scalar[] {
  const where = ['parameter_space', ...at];
  let out: Scalar[];
  if (args.values) out = args.values;
  else if (args.range) {
    // Python's range(stop), range(start, stop) or range(start, stop, step)
    const [start, stop, step = 1] = args.range.length === 1 ? [0, args.range[0]!] : args.range;
    out = expandValues({ range: [start!, stop!, step] }, where);
  } else if (args.linspace) out = expandValues({ linspace: args.linspace }, where);
  else if (args.logspace) out = expandValues({ logspace: args.logspace }, where);
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
  /** Where each dim and coupled dim is written: its key path in the space, by its name. */
  paths: Map<string, string[]>;
  /** Where each parameter and constant sits in the nested mapping the model receives, by its flat name. */
  keys: Map<string, string[]>;
}

/**
 * The parameters as a model of a parameter space receives them: each at its key path in one nested mapping
 * (`params.random_walk.max_step_size`); a name `keys` does not hold (a study.yaml constant, a resource) stays at
 * the top.
 */
export function nestParams(flat: Record<string, unknown>, keys: Map<string, string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    const at = keys.get(name) ?? [name];
    let node = out;
    for (const key of at.slice(0, -1)) {
      const next = node[key];
      node = (Object.hasOwn(node, key) && isTree(next) ? next : (node[key] = {})) as Record<string, unknown>;
    }
    node[at.at(-1)!] = value;
  }
  return out;
}

export function fromParamSpace(tree: unknown): ParamSpaceParts {
  if (!isTree(tree)) throw new SpaceError('a parameter space is a mapping (a !pspace)', ['parameter_space']);
  const dims: { path: string[]; name: string; order: number; values: Scalar[] }[] = [];
  const coupled: { path: string[]; name: string; args: CoupledArgs }[] = [];
  const constants: Record<string, unknown> = {};
  const constantPaths: [string, string[]][] = [];
  const walk = (node: Tree, at: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const path = [...at, key];
      if (isTree(value) && PDIM in value) {
        const args = argsOf(value[PDIM], dimArgsSchema, DIM_KEYS, PDIM, path);
        dims.push({
          path,
          name: args.name ?? path.join('.'),
          order: args.order ?? Infinity,
          values: values(args, path),
        });
      } else if (isTree(value) && COUPLED_PDIM in value) {
        const args = argsOf(value[COUPLED_PDIM], coupledArgsSchema, COUPLED_KEYS, COUPLED_PDIM, path);
        coupled.push({ path, name: path.join('.'), args });
      } else if (isTree(value)) walk(value, path);
      else {
        constants[path.join('.')] = value;
        constantPaths.push([path.join('.'), path]);
      }
    }
  };
  walk(tree, []);
  dims.sort((a, b) => (a.order !== b.order ? a.order - b.order : comparePaths(a.path, b.path)));
  const resolved = coupled.map(({ path, name, args }) => {
    // As paramspace: a name is a dim's own `name` or the last key of its path; a list is the end of a key path
    // (the whole path when it starts with '').
    const t = args.target_name;
    const matches = Array.isArray(t)
      ? dims.filter((d) =>
          t[0] === '' ? d.path.join('.') === t.slice(1).join('.') : d.path.slice(-t.length).join('.') === t.join('.'),
        )
      : dims.filter((d) => d.name === t || d.path.at(-1) === t);
    if (matches.length !== 1) {
      const target = Array.isArray(t) ? t.join('.') : t;
      throw new SpaceError(
        `coupled dim '${name}': ${matches.length === 0 ? `no !pdim named ${target}` : `${target} names ${matches.length} dims; give more of its key path`}`,
        ['parameter_space', ...path],
      );
    }
    const target = matches[0]!;
    const own = args.values || args.range || args.linspace || args.logspace ? values(args, path) : target.values;
    return { name, target: target.name, values: own };
  });
  return {
    space: { combos: dims.map((d) => [d.name, d.values] as [string, Scalar[]]), coupled: resolved },
    constants,
    paths: new Map([...dims, ...coupled].map((d) => [d.name, d.path])),
    keys: new Map([...constantPaths, ...[...dims, ...coupled].map((d): [string, string[]] => [d.name, d.path])]),
  };
}
