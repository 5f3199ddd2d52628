// Errors at the field that caused them, in the person's words. Two sources: what the form sees in a field as it is
// typed ("points must be a whole number of at least 2"), and the engine's check of the whole study.yaml, which
// gives the line, the field's path (['combos', 'x', 'linspace', 2]) and what is wrong there. The path is turned
// into the form's field (its key) and the words into plain ones; the line stays for the study.yaml text view.
import type { StudyRows } from '../../shared/api';
import type { ParameterRole } from '../../shared/study-rows';
import { FIELD_NAMES } from './parameter-fields';
import type { Kind } from './parameter-fields';

/** A form field: `param:<role>:<name>[:<i>]`, `model:<part>`, `output:<name>:<name|dims>`, `coord:<name>[:<i>]`. */
export type FieldKey = string;

export const paramKey = (role: ParameterRole, name: string, i?: number): FieldKey =>
  `param:${role}:${name}${i === undefined ? '' : `:${i}`}`;
export const coordKey = (name: string, i?: number): FieldKey => `coord:${name}${i === undefined ? '' : `:${i}`}`;
export const outputKey = (name: string, part: 'name' | 'dims'): FieldKey => `output:${name}:${part}`;
export const modelKey = (part: 'module' | 'export' | 'command' | 'timeout' | 'kind'): FieldKey => `model:${part}`;
/** The id of the element holding a field's message (what `aria-describedby` points at). */
export const errorIdOf = (key: FieldKey) => `error-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export interface CheckError {
  line: number | null;
  /** The field path, e.g. ['combos', 'x', 'linspace', 2]; null when the message names none. */
  path: (string | number)[] | null;
  detail: string;
}

/** What study.check says of a draft with an error, as the form reads it. */
export function checkErrorOf(check: {
  line: number | null;
  field: (string | number)[] | null;
  detail: string;
}): CheckError {
  return { line: check.line, path: check.field, detail: check.detail };
}

const ROLE_OF_SECTION: Record<string, ParameterRole> = { combos: 'combo', constants: 'constant', zip: 'zip' };

const fieldWord = (kind: Kind, i: number) => (FIELD_NAMES[kind][i] ?? 'value').toLowerCase();

/** An engine's words about a field, as a person would say them. */
export function plainDetail(detail: string, field: string, kind?: Kind): string {
  const said = detail.replace(/^zip group: /, '').replace(/^'[A-Za-z0-9_]+': /, '');
  if (/is required but missing/.test(said)) return `${field} is missing`;
  if (/expected int/.test(said)) return `${field} must be a whole number`;
  if (/expected number, received/.test(said)) return `${field} must be a number`;
  const few = /expected array to have >=(\d+) items/.exec(said);
  if (few) return kind ? `give ${FIELD_NAMES[kind].join(', ').toLowerCase()}` : `give at least ${few[1]} values`;
  if (/range step must not be 0/.test(said)) return 'step must not be 0';
  if (/Invalid key in record/.test(said)) return `${field}: names are letters, digits and _, starting with a letter`;
  return said;
}

/**
 * The form field an engine error is about, and its message in plain words; null when the form has no field for
 * it (then it is said with the text view's line).
 */
export function fieldOfCheck(error: CheckError, rows: StudyRows | null): { key: FieldKey; message: string } | null {
  const p = error.path;
  if (!p || !rows) return null;
  const [section, a, b, c] = p;
  const param = (role: ParameterRole, name: unknown, rest: (string | number | undefined)[]) => {
    const row = rows.parameters.find((r) => r.name === name && r.role === role);
    if (!row) return null;
    const kind = row.values.kind;
    const index = rest.find((x): x is number => typeof x === 'number');
    if (index !== undefined && FIELD_NAMES[kind][index] !== undefined)
      return {
        key: paramKey(role, row.name, index),
        message: plainDetail(error.detail, fieldWord(kind, index), kind),
      };
    return { key: paramKey(role, row.name), message: plainDetail(error.detail, `the values of ${row.name}`, kind) };
  };
  if (section === 'combos' || section === 'constants') return param(ROLE_OF_SECTION[section]!, a, [b, c]);
  if (section === 'zip' && typeof b === 'string') return param('zip', b, [c, p[4]]);
  if (section === 'sample' && a === 'distributions') return param('sample', b, [c, p[4]]);
  if (section === 'model') {
    const part = a === 'module' || a === 'export' || a === 'command' || a === 'timeout' ? a : 'kind';
    return { key: modelKey(part), message: plainDetail(error.detail, part === 'kind' ? 'the model' : part) };
  }
  if (section === 'outputs' && typeof a === 'string') {
    const known = rows.outputs.some((o) => o.name === a);
    if (!known) return null;
    return { key: outputKey(a, b === 'dims' ? 'dims' : 'name'), message: plainDetail(error.detail, a) };
  }
  if (section === 'coords' && typeof a === 'string') {
    const row = rows.coords.find((r) => r.name === a);
    if (!row) return null;
    const index = typeof c === 'number' ? c : undefined;
    const kind = row.values?.kind;
    return {
      key: coordKey(a, kind && index !== undefined ? index : undefined),
      message: plainDetail(
        error.detail,
        kind && index !== undefined ? fieldWord(kind, index) : `the coords of ${a}`,
        kind,
      ),
    };
  }
  return null;
}

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

/**
 * What is wrong with each text field of a row as typed (null: nothing), before anything is written: a field that
 * is not a number, points that are not a whole number of at least 2, a step of 0 or one that never reaches stop.
 */
export function fieldProblems(kind: Kind, fields: string[]): (string | null)[] {
  const names = FIELD_NAMES[kind].map((n) => n.toLowerCase());
  const out: (string | null)[] = names.map(() => null);
  const text = (i: number) => fields[i] ?? '';
  const needNumber = (i: number, optional = false) => {
    if (text(i).trim() === '') out[i] = optional ? null : `${names[i]} is missing`;
    else if (!isNumber(text(i))) out[i] = `${names[i]} must be a number`;
  };
  switch (kind) {
    case 'values': {
      const parts = text(0)
        .split(',')
        .map((s) => s.trim());
      if (text(0).trim() === '') out[0] = 'give at least one value';
      else if (parts.some((s) => s === '')) out[0] = 'a value is missing between two commas';
      return out;
    }
    case 'constant':
      if (text(0).trim() === '') out[0] = 'give a value';
      return out;
    case 'module':
      if (text(0).trim() === '') out[0] = 'give the module file, e.g. ./draw.mjs';
      return out;
    case 'range': {
      [0, 1].forEach((i) => needNumber(i));
      needNumber(2, true);
      if (out.some(Boolean)) return out;
      const [start, stop] = [Number(text(0)), Number(text(1))];
      const step = text(2).trim() === '' ? 1 : Number(text(2));
      if (step === 0) out[2] = 'step must not be 0';
      else if ((stop - start) / step <= 0)
        out[text(2).trim() === '' ? 1 : 2] =
          text(2).trim() === ''
            ? 'stop must be more than start (or give a negative step)'
            : `a step of ${step} never goes from ${start} to ${stop}`;
      return out;
    }
    case 'linspace':
    case 'logspace': {
      [0, 1].forEach((i) => needNumber(i));
      const n = Number(text(2));
      if (!(Number.isInteger(n) && n >= 2) || text(2).trim() === '')
        out[2] = 'points must be a whole number of at least 2';
      return out;
    }
    default: {
      [0, 1].forEach((i) => needNumber(i));
      if (out.some(Boolean)) return out;
      const [a, b] = [Number(text(0)), Number(text(1))];
      if (kind === 'normal') {
        if (b <= 0) out[1] = 'deviation must be more than 0';
      } else if (kind === 'randint' && !(Number.isInteger(a) && Number.isInteger(b))) {
        out[Number.isInteger(a) ? 1 : 0] = `${names[Number.isInteger(a) ? 1 : 0]} must be a whole number`;
      } else if (b <= a) out[1] = `${names[1]} must be more than ${names[0]}`;
      else if (kind === 'loguniform' && a <= 0) out[0] = 'low must be more than 0 (a log scale)';
      return out;
    }
  }
}
