// psweep's `_pset_hash`: the same parameter values give the same hash, in any key order, on every machine.
// Canonical JSON (keys sorted; numbers in JavaScript's shortest round-trip form, so 1 and 1.0 agree), then SHA-1.
import { createHash } from 'node:crypto';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
  return JSON.stringify(value) ?? 'null';
}

export function psetHash(params: Record<string, unknown>): string {
  return createHash('sha1').update(canonical(params)).digest('hex');
}
