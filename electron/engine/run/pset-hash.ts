// psweep's `_pset_hash`: the same parameter values give the same hash, in any key order, on every machine.
// Canonical JSON (keys sorted; numbers in JavaScript's shortest round-trip form, so 1 and 1.0 agree), then SHA-1.
import { hash } from 'node:crypto';
// The model workers hash too (worker-protocol.ts): nothing here imports more than Node's crypto.
import type { Scalar } from '../../../shared/space';

function canonical(value: unknown): string {
  // Numbers first (most values are): a finite number's JSON is its shortest round-trip form, as String gives it.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    // sort() orders the keys by their UTF-16 code units, as `<` compares strings.
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object)
      .sort()
      .filter((k) => object[k] !== undefined);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function psetHash(params: Record<string, unknown>): string {
  return hash('sha1', canonical(params));
}

/**
 * psetHash({ ...fixed, ...params }) for the many cases of one run, which share their fixed values (the constants)
 * and their keys: the key order is sorted once per set of keys, and the fixed values are written once.
 */
export function psetHasher(fixed: Record<string, unknown>): (params: Record<string, unknown>) => string {
  type Part = { param: string; prefix: string } | { fixed: string };
  const layouts = new Map<string, Part[]>();
  const layoutOf = (params: Record<string, unknown>, signature: string): Part[] => {
    let layout = layouts.get(signature);
    if (!layout) {
      const keys = [...new Set([...Object.keys(fixed), ...Object.keys(params)])].sort();
      layout = keys.flatMap((k): Part[] => {
        if (k in params) return [{ param: k, prefix: `${JSON.stringify(k)}:` }];
        return fixed[k] === undefined ? [] : [{ fixed: `${JSON.stringify(k)}:${canonical(fixed[k])}` }];
      });
      layouts.set(signature, layout);
    }
    return layout;
  };
  return (params) => {
    const layout = layoutOf(params, Object.keys(params).join('\u0000'));
    let text = '';
    for (const part of layout) {
      let entry: string;
      if ('fixed' in part) entry = part.fixed;
      else {
        const value = params[part.param];
        if (value === undefined) continue;
        entry = part.prefix + canonical(value);
      }
      text += text === '' ? entry : `,${entry}`;
    }
    return hash('sha1', `{${text}}`);
  };
}

/**
 * With `repeats:`, the seed a case's model receives: the first 8 hex digits of its pset hash as a whole number
 * (0 to 2^32 - 1, as numpy's seeds). The same parameters (their `repeat` too) and constants give the same seed.
 */
export function seedOf(psetHash: string): number {
  return Number.parseInt(psetHash.slice(0, 8), 16);
}

/** What a run's cases are handed besides their own parameters, and what their rows hold besides them. */
export interface PsetRecipe {
  /** Every constant: part of each case's pset hash. */
  constants: Record<string, unknown>;
  /** The scalar constants: columns of each case's row, and in its _params, before its parameters. */
  columns: Record<string, Scalar>;
  /** The constants and resources, handed to the model before the case's parameters. */
  fixed: Record<string, unknown>;
  /** With `repeats:`, the name the case's seed is handed as; null without. */
  seed: string | null;
}

/**
 * What a case's model receives, as a function of its parameters (and its pset hash, when known): the constants and
 * resources, the parameters, and with `repeats:` the case's seed (seedOf its pset hash). A run (in its workers), a
 * crop's grower and a try all make it here (execute.ts's modelParamsOf).
 */
export function handedWith(
  recipe: PsetRecipe,
): (params: Record<string, unknown>, hash?: string) => Record<string, unknown> {
  const { fixed, seed } = recipe;
  if (seed === null) return (params) => ({ ...fixed, ...params });
  const hashOf = psetHasher(recipe.constants);
  return (params, hash = hashOf(params)) => ({ ...fixed, ...params, [seed]: seedOf(hash) });
}
