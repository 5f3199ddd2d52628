// The one naming rule of every JSON the command line prints (--json, --events, doctor --json): keys are
// snake_case. The engine's typed API (shared/api.ts) keeps the names the renderer uses (runId, errorAt, …); they
// are renamed here, at the way out. Names that are the person's own (parameters, attrs, coords) are left alone.

/** Keys whose values are keyed by the person's names: their keys are never renamed. */
const THEIRS = new Set(['params', 'attrs', 'coords', '_params']);

export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [snakeCase(key), THEIRS.has(key) ? v : snakeKeys(v)]),
  );
}

/** One line of JSON, keys as the rule has them. */
export function toJson(value: unknown): string {
  return JSON.stringify(snakeKeys(value));
}
