// Editing study.yaml the way a person would by hand: change one parameter, its role or the cases, and leave every
// other line, comment and key order as it was. The app edits the text with these, the engine checks the result
// with the same rules as the command line (study.check) and writes it (study.save).
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import type { Scalar } from './space';

/** Where a parameter lives in study.yaml: a combo (every combination) or a constant (one value for every case). */
export type ParameterRole = 'combo' | 'constant';

/** A parameter's values as the app edits them: a list, or a generator. */
export type ParameterValues =
  | { kind: 'values'; values: Scalar[] }
  | { kind: 'range'; start: number; stop: number; step?: number | undefined }
  | { kind: 'linspace' | 'logspace'; start: number; stop: number; num: number }
  | { kind: 'constant'; value: Scalar };

export interface ParameterRow {
  name: string;
  role: ParameterRole;
  values: ParameterValues;
}

export class StudyEditError extends Error {}

function documentOf(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new StudyEditError(`study.yaml does not parse: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) throw new StudyEditError('study.yaml is not a mapping of sections');
  return doc;
}

/** The YAML value of a parameter's values, in the study file's own forms. */
function yamlValue(v: ParameterValues): unknown {
  switch (v.kind) {
    case 'values':
      return v.values;
    case 'range':
      return { range: v.step === undefined ? [v.start, v.stop] : [v.start, v.stop, v.step] };
    case 'linspace':
      return { linspace: [v.start, v.stop, v.num] };
    case 'logspace':
      return { logspace: [v.start, v.stop, v.num] };
    case 'constant':
      return v.value;
  }
}

/** Read a parameter's values back from its YAML (null for forms the app does not edit: zip, geomspace, …). */
function valuesOf(node: unknown): ParameterValues | null {
  if (Array.isArray(node)) {
    return node.every((x) => ['number', 'string', 'boolean'].includes(typeof x))
      ? { kind: 'values', values: node as Scalar[] }
      : null;
  }
  if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    const nums = (k: string) =>
      Array.isArray(o[k]) && (o[k] as unknown[]).every((x) => typeof x === 'number') ? (o[k] as number[]) : null;
    const range = nums('range');
    if (range && (range.length === 2 || range.length === 3)) {
      return { kind: 'range', start: range[0]!, stop: range[1]!, ...(range.length === 3 ? { step: range[2]! } : {}) };
    }
    for (const kind of ['linspace', 'logspace'] as const) {
      const t = nums(kind);
      if (t?.length === 3) return { kind, start: t[0]!, stop: t[1]!, num: t[2]! };
    }
    const values = o['values'];
    if (Array.isArray(values)) return valuesOf(values);
    return null;
  }
  if (['number', 'string', 'boolean'].includes(typeof node)) return { kind: 'constant', value: node as Scalar };
  return null;
}

/** The parameters the app can edit: the combos (given as a mapping) and the scalar or generator constants. */
export function readParameters(text: string): ParameterRow[] {
  const spec = documentOf(text).toJS() as Record<string, unknown>;
  const rows: ParameterRow[] = [];
  const combos = spec['combos'];
  if (combos && typeof combos === 'object' && !Array.isArray(combos)) {
    for (const [name, node] of Object.entries(combos)) {
      const values = valuesOf(node);
      if (values && values.kind !== 'constant') rows.push({ name, role: 'combo', values });
    }
  }
  const constants = spec['constants'];
  if (constants && typeof constants === 'object') {
    for (const [name, node] of Object.entries(constants as Record<string, unknown>)) {
      const values = valuesOf(node);
      if (values) rows.push({ name, role: 'constant', values });
    }
  }
  return rows;
}

/** The cases (particular settings) of the study. */
export function readCases(text: string): Record<string, Scalar>[] {
  const cases = (documentOf(text).toJS() as Record<string, unknown>)['cases'];
  return Array.isArray(cases) ? (cases as Record<string, Scalar>[]) : [];
}

/** Remove a key from a section, and the section when it is left empty. */
function removeFrom(doc: Document, section: string, name: string): boolean {
  const node = doc.get(section, true);
  if (!isMap(node) || !node.has(name)) return false;
  node.delete(name);
  if (node.items.length === 0) doc.delete(section);
  return true;
}

/**
 * Set a parameter: its values and its role. A parameter moving from combos to constants (or back) leaves the
 * other section; a parameter kept in place keeps its position and its comments.
 */
export function setParameter(text: string, row: ParameterRow, previousName = row.name): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(row.name)) {
    throw new StudyEditError(`'${row.name}': names are letters, digits and _, starting with a letter`);
  }
  const doc = documentOf(text);
  const combos = doc.get('combos', true);
  if (row.role === 'combo' && isSeq(combos)) {
    throw new StudyEditError('combos are given as [name, values] pairs in this study.yaml; edit it as text');
  }
  const section = row.role === 'combo' ? 'combos' : 'constants';
  const other = row.role === 'combo' ? 'constants' : 'combos';
  const value = doc.createNode(yamlValue(row.values), { flow: true });
  const target = doc.get(section, true);
  if (isMap(target) && target.has(previousName) && previousName === row.name) {
    target.set(row.name, value); // in place: the key keeps its position and comments
  } else {
    removeFrom(doc, section, previousName);
    if (!isMap(doc.get(section, true))) doc.set(section, doc.createNode({}));
    (doc.get(section, true) as YAMLMap).set(row.name, value);
  }
  removeFrom(doc, other, previousName);
  if (previousName !== row.name) removeFrom(doc, other, row.name);
  return doc.toString();
}

export function removeParameter(text: string, name: string): string {
  const doc = documentOf(text);
  const gone = removeFrom(doc, 'combos', name) || removeFrom(doc, 'constants', name);
  if (!gone) throw new StudyEditError(`'${name}' is neither a combo nor a constant of this study`);
  return doc.toString();
}

/** Replace the study's cases (an empty list removes the section). */
export function setCases(text: string, cases: Record<string, Scalar>[]): string {
  const doc = documentOf(text);
  if (cases.length === 0) doc.delete('cases');
  else doc.set('cases', doc.createNode(cases.map((c) => doc.createNode(c, { flow: true }))));
  return doc.toString();
}

/** An output as the app sets it: its name and its own dims. */
export interface OutputRow {
  name: string;
  dims: string[];
}

/**
 * Set the outputs section to these outputs, in this order. An output kept keeps what else it says (a `file` and
 * `path` to read it from) and its comments; dims are written only when it has some.
 */
export function setOutputs(text: string, outputs: OutputRow[]): string {
  for (const o of outputs) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(o.name)) {
      throw new StudyEditError(`output '${o.name}': names are letters, digits and _, starting with a letter`);
    }
  }
  const doc = documentOf(text);
  if (!isMap(doc.get('outputs', true))) doc.set('outputs', doc.createNode({}));
  // The section is changed in place, so the comments on its keys stay.
  const section = doc.get('outputs', true) as YAMLMap;
  const names = outputs.map((o) => o.name);
  const keyOf = (pair: { key: unknown }) => String(isScalar(pair.key) ? pair.key.value : pair.key);
  for (const pair of [...section.items]) if (!names.includes(keyOf(pair))) section.delete(pair.key);
  for (const o of outputs) {
    const kept: unknown = section.get(o.name, true);
    const node = isMap(kept) ? kept : (doc.createNode({}, { flow: true }) as YAMLMap);
    if (!isMap(kept)) section.set(o.name, node);
    if (o.dims.length > 0) node.set('dims', doc.createNode(o.dims, { flow: true }));
    else node.delete('dims');
  }
  section.items.sort((a, b) => names.indexOf(keyOf(a)) - names.indexOf(keyOf(b)));
  return doc.toString();
}

/** Take the parameters from a paramspace file (`parameter_space: FILE`) instead of combos, cases and zip. */
export function useParamSpaceFile(text: string, file: string): string {
  const doc = documentOf(text);
  for (const section of ['combos', 'cases', 'zip']) doc.delete(section);
  doc.set('parameter_space', file);
  return doc.toString();
}

/** The outputs section as rows: each output's name and its own dims. */
export function readOutputs(text: string): OutputRow[] {
  const outputs = (documentOf(text).toJS() as Record<string, unknown>)['outputs'];
  if (!outputs || typeof outputs !== 'object' || Array.isArray(outputs)) return [];
  return Object.entries(outputs as Record<string, unknown>).map(([name, spec]) => {
    const dims = (spec as { dims?: unknown } | null)?.dims;
    return { name, dims: Array.isArray(dims) ? dims.map(String) : [] };
  });
}
