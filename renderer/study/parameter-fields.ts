// A parameter row of the Setup form as text fields: which kinds of values each role takes, the fields of each
// kind, what the typed fields say, and what a row's values become when its role changes (a combo's range becomes
// a uniform distribution for sampling, and back to five points between its ends).
import type { ParameterRole, ParameterValues } from '../../shared/study-rows';
import { scalarOf } from '../../shared/cases-paste';

export type Kind = ParameterValues['kind'];

const GRID: Kind[] = ['values', 'range', 'linspace', 'logspace'];
const DRAWS: Kind[] = ['values', 'uniform', 'loguniform', 'normal', 'randint', 'module'];

/** The kinds of values a role takes, in the order the kind menu lists them. */
export function kindsFor(role: ParameterRole): Kind[] {
  if (role === 'constant') return ['constant', ...GRID];
  if (role === 'sample') return DRAWS;
  return GRID;
}

export function kindLabel(kind: Kind, role: ParameterRole): string {
  if (kind === 'constant') return 'one value';
  if (kind === 'values') return role === 'sample' ? 'choice of values' : 'values';
  if (kind === 'module') return 'module function';
  return kind;
}

/** The names of a kind's fields, which are also their accessible names (with "of <parameter>"). */
export const FIELD_NAMES: Record<Kind, string[]> = {
  values: ['Values'],
  range: ['Start', 'Stop', 'Step'],
  linspace: ['Start', 'Stop', 'Points'],
  logspace: ['Start exponent', 'Stop exponent', 'Points'],
  constant: ['Value'],
  uniform: ['Low', 'High'],
  loguniform: ['Low', 'High'],
  randint: ['Low', 'High (excluded)'],
  normal: ['Mean', 'Deviation'],
  module: ['Module', 'Export'],
};

/** The text fields of a row's values, as they would be typed. */
export function fieldsOf(v: ParameterValues): string[] {
  switch (v.kind) {
    case 'values':
      return [v.values.map(String).join(', ')];
    case 'range':
      return [String(v.start), String(v.stop), v.step === undefined ? '' : String(v.step)];
    case 'linspace':
    case 'logspace':
      return [String(v.start), String(v.stop), String(v.num)];
    case 'constant':
      return [String(v.value)];
    case 'module':
      return [v.module, v.export ?? ''];
    default:
      return [String(v.a), String(v.b)];
  }
}

const num = (s: string | undefined) =>
  s !== undefined && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : null;

/** The values the fields say, or null while they do not say anything whole yet. */
export function valuesOf(kind: Kind, fields: string[]): ParameterValues | null {
  switch (kind) {
    case 'values': {
      const parts = (fields[0] ?? '').split(',').map((s) => s.trim());
      return parts.some((p) => p === '') ? null : { kind, values: parts.map(scalarOf) };
    }
    case 'range': {
      const [start, stop, step] = [num(fields[0]), num(fields[1]), num(fields[2])];
      if (start === null || stop === null) return null;
      return { kind, start, stop, ...(step === null ? {} : { step }) };
    }
    case 'linspace':
    case 'logspace': {
      const [start, stop, n] = [num(fields[0]), num(fields[1]), num(fields[2])];
      return start === null || stop === null || n === null ? null : { kind, start, stop, num: n };
    }
    case 'constant':
      return (fields[0] ?? '').trim() === '' ? null : { kind, value: scalarOf(fields[0]!) };
    case 'module': {
      const [module, name] = [(fields[0] ?? '').trim(), (fields[1] ?? '').trim()];
      return module === '' ? null : { kind, module, ...(name === '' ? {} : { export: name }) };
    }
    default: {
      const [a, b] = [num(fields[0]), num(fields[1])];
      return a === null || b === null ? null : { kind, a, b };
    }
  }
}

/** The fields a kind starts with when it is picked in place of another (kept where they still make sense). */
export function fieldsForKind(kind: Kind, from: Kind, fields: string[]): string[] {
  if (kind === from) return fields;
  const oneField = (k: Kind) => k === 'values' || k === 'constant';
  if (oneField(kind) && oneField(from)) return [fields[0] ?? ''];
  if (oneField(kind)) return [''];
  const pair = !GRID.includes(from) && !oneField(from) && from !== 'module';
  if (kind === 'module') return ['./draw.mjs', ''];
  if (GRID.includes(kind)) return ['0', '1', kind === 'range' ? '' : '5'];
  return pair ? fields.slice(0, 2) : ['0', '1'];
}

/**
 * What a row's values become when its role changes, so the row stays whole: a list stays a list, one value
 * becomes a list of it (and a list its first value), a generator becomes a distribution over its ends, and a
 * distribution becomes five points between its ends (a normal one: mean ± 2 deviations).
 */
export function valuesForRole(v: ParameterValues, role: ParameterRole): ParameterValues | null {
  const kinds = kindsFor(role);
  if (kinds.includes(v.kind)) {
    // A list kept as a constant is a list constant; one value reads better.
    if (role === 'constant' && v.kind === 'values' && v.values.length > 0)
      return { kind: 'constant', value: v.values[0]! };
    return v;
  }
  switch (v.kind) {
    case 'constant':
      return { kind: 'values', values: [v.value] };
    case 'range':
    case 'linspace':
      return { kind: 'uniform', a: Math.min(v.start, v.stop), b: Math.max(v.start, v.stop) };
    case 'logspace':
      return { kind: 'loguniform', a: 10 ** Math.min(v.start, v.stop), b: 10 ** Math.max(v.start, v.stop) };
    case 'uniform':
    case 'loguniform':
      return v.kind === 'uniform'
        ? { kind: 'linspace', start: v.a, stop: v.b, num: 5 }
        : { kind: 'logspace', start: Math.log10(v.a), stop: Math.log10(v.b), num: 5 };
    case 'randint':
      return { kind: 'range', start: v.a, stop: v.b };
    case 'normal':
      return { kind: 'linspace', start: v.a - 2 * v.b, stop: v.a + 2 * v.b, num: 5 };
    default:
      return null; // a module's draws have no values to list
  }
}

/** A short description of a distribution, for the preview column. */
export function describeDraw(v: ParameterValues): string {
  switch (v.kind) {
    case 'values':
      return `one of ${v.values.map(String).join(', ')}, equally likely`;
    case 'uniform':
      return `uniform between ${v.a} and ${v.b}`;
    case 'loguniform':
      return `log-uniform between ${v.a} and ${v.b}`;
    case 'normal':
      return `normal around ${v.a}, deviation ${v.b}`;
    case 'randint':
      return `an integer from ${v.a} to ${v.b - 1}`;
    case 'module':
      return `drawn by ${v.export ?? 'default'}(rng) in ${v.module}`;
    default:
      return '';
  }
}
