// Editing study.yaml the way a person would by hand: change one parameter, its role or the cases, and leave every
// other line, comment and key order as it was. The app asks for each change (shared/study-rows.ts says what it may
// ask); the engine makes it here, checks the result with the same rules as the command line (study.check) and
// writes it (study.save). YAML stays on this side of the seam.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLMap, YAMLSeq } from 'yaml';
import { expandValues, isScalar as isValue } from '../../../shared/space';
import type { Scalar, ValueSpec } from '../../../shared/space';
import { isName, NAME_RULE } from '../../../shared/study';
import { MAX_CASE_ROWS } from '../../../shared/study-rows';
import type {
  CoordRow,
  ModelRow,
  OutputRow,
  ParameterPlace,
  ParameterRole,
  ParameterRow,
  ParameterValues,
  StudyEdit,
  StudyRows,
} from '../../../shared/study-rows';

export class StudyEditError extends Error {}

function documentOf(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new StudyEditError(`study.yaml does not parse: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) throw new StudyEditError('study.yaml is not a mapping of sections');
  return doc;
}

const DISTRIBUTIONS = ['uniform', 'loguniform', 'normal', 'randint'] as const;

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
    case 'module':
      return v.export === undefined ? { module: v.module } : { module: v.module, export: v.export };
    default:
      return { [v.kind]: [v.a, v.b] };
  }
}

/** The list of values a row stands for (a case column holds them one per case). */
function listOf(row: ParameterRow): Scalar[] {
  const v = row.values;
  if (v.kind === 'constant') return [v.value];
  if (v.kind === 'values') return v.values;
  if (v.kind === 'range' || v.kind === 'linspace' || v.kind === 'logspace') {
    try {
      return expandValues(yamlValue(v) as ValueSpec);
    } catch (error) {
      throw new StudyEditError(`'${row.name}': ${(error as Error).message}`);
    }
  }
  throw new StudyEditError(`'${row.name}': a ${v.kind} distribution is for sampling; give values for a case column`);
}

/** Read a parameter's values back from its YAML (null for forms the app does not edit: geomspace, `as`, …). */
function valuesOf(node: unknown): ParameterValues | null {
  if (Array.isArray(node)) {
    return node.every(isValue) ? { kind: 'values', values: node } : null;
  }
  if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    const keys = Object.keys(o);
    const nums = (k: string) =>
      Array.isArray(o[k]) && (o[k] as unknown[]).every((x) => typeof x === 'number') ? (o[k] as number[]) : null;
    if (keys.length !== 1 && !(keys.length === 2 && keys.includes('module') && keys.includes('export'))) return null;
    const range = nums('range');
    if (range && (range.length === 2 || range.length === 3)) {
      return { kind: 'range', start: range[0]!, stop: range[1]!, ...(range.length === 3 ? { step: range[2]! } : {}) };
    }
    for (const kind of ['linspace', 'logspace'] as const) {
      const t = nums(kind);
      if (t?.length === 3) return { kind, start: t[0]!, stop: t[1]!, num: t[2]! };
    }
    for (const kind of DISTRIBUTIONS) {
      const t = nums(kind);
      if (t?.length === 2) return { kind, a: t[0]!, b: t[1]! };
    }
    if (typeof o['module'] === 'string') {
      return {
        kind: 'module',
        module: o['module'],
        ...(typeof o['export'] === 'string' ? { export: o['export'] } : {}),
      };
    }
    if (Array.isArray(o['values'])) return valuesOf(o['values']);
    return null;
  }
  if (isValue(node)) return { kind: 'constant', value: node };
  return null;
}

const mapping = (node: unknown): Record<string, unknown> =>
  node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : {};

/**
 * The parameters the app can edit, in the order of the dataset's dims: the case columns, the combos (given as a
 * mapping), the zip groups, then the constants and the sampling distributions.
 */
export function readParameters(text: string): ParameterRow[] {
  const spec = documentOf(text).toJS() as Record<string, unknown>;
  const rows: ParameterRow[] = [];
  const cases = Array.isArray(spec['cases']) ? (spec['cases'] as Record<string, Scalar>[]) : [];
  for (const name of [...new Set(cases.flatMap((c) => Object.keys(mapping(c))))]) {
    const values = [...new Set(cases.map((c) => c[name]).filter((v) => v !== undefined))];
    rows.push({ name, role: 'case', values: { kind: 'values', values } });
  }
  for (const [name, node] of Object.entries(mapping(spec['combos']))) {
    const values = valuesOf(node);
    if (values && values.kind !== 'constant') rows.push({ name, role: 'combo', values });
  }
  (Array.isArray(spec['zip']) ? spec['zip'] : []).forEach((group: unknown, g) => {
    for (const [name, node] of Object.entries(mapping(group))) {
      const values = valuesOf(node);
      if (values && values.kind !== 'constant') rows.push({ name, role: 'zip', group: g, values });
    }
  });
  for (const [name, node] of Object.entries(mapping(spec['constants']))) {
    const values = valuesOf(node);
    if (values) rows.push({ name, role: 'constant', values });
  }
  for (const [name, node] of Object.entries(mapping(mapping(spec['sample'])['distributions']))) {
    const values = valuesOf(node);
    if (values) rows.push({ name, role: 'sample', values });
  }
  return rows;
}

/** The cases (particular settings) of the study. */
export function readCases(text: string): Record<string, Scalar>[] {
  const cases = (documentOf(text).toJS() as Record<string, unknown>)['cases'];
  return Array.isArray(cases) ? (cases as Record<string, Scalar>[]) : [];
}

/** Remove a key from a mapping section (a path such as ['sample', 'distributions']), and the section if emptied. */
function removeFrom(doc: Document, section: string[], name: string): boolean {
  const node = doc.getIn(section, true);
  if (!isMap(node) || !node.has(name)) return false;
  node.delete(name);
  if (node.items.length === 0) {
    doc.deleteIn(section);
    if (section.length > 1) {
      const parent = doc.getIn(section.slice(0, -1), true);
      if (isMap(parent) && parent.items.length === 0) doc.deleteIn(section.slice(0, -1));
    }
  }
  return true;
}

/** Remove a parameter from the zip group that holds it (and the group, and `zip`, when emptied, unless kept). */
function removeFromZip(doc: Document, name: string, keepEmpty = false): boolean {
  const zip = doc.get('zip', true);
  if (!isSeq(zip)) return false;
  const index = zip.items.findIndex((g) => isMap(g) && g.has(name));
  if (index < 0) return false;
  const group = zip.items[index] as YAMLMap;
  group.delete(name);
  if (keepEmpty) return true;
  if (group.items.length === 0) zip.delete(index);
  if (zip.items.length === 0) doc.delete('zip');
  return true;
}

/** Remove a column from the cases; cases left the same are kept once, and cases left empty go. */
function removeCaseColumn(doc: Document, name: string): boolean {
  const cases = (doc.toJS() as Record<string, unknown>)['cases'];
  if (!Array.isArray(cases) || !cases.some((c) => name in mapping(c))) return false;
  const seen = new Set<string>();
  const kept: Record<string, Scalar>[] = [];
  for (const c of cases as Record<string, Scalar>[]) {
    const rest = Object.fromEntries(Object.entries(c).filter(([k]) => k !== name));
    const key = JSON.stringify(rest);
    if (Object.keys(rest).length === 0 || seen.has(key)) continue;
    seen.add(key);
    kept.push(rest);
  }
  writeCases(doc, kept);
  return true;
}

function writeCases(doc: Document, cases: Record<string, Scalar>[]): void {
  if (cases.length === 0) doc.delete('cases');
  else doc.set('cases', doc.createNode(cases.map((c) => doc.createNode(c, { flow: true }))));
}

/** Remove a parameter from one place, or (without a role) from wherever it is a combo, zip or constant. */
function removeFromPlace(doc: Document, name: string, role: ParameterRole | undefined): boolean {
  switch (role) {
    case 'combo':
      return removeFrom(doc, ['combos'], name);
    case 'zip':
      return removeFromZip(doc, name);
    case 'constant':
      return removeFrom(doc, ['constants'], name);
    case 'case':
      return removeCaseColumn(doc, name);
    case 'sample':
      return removeFrom(doc, ['sample', 'distributions'], name);
    default: {
      const gone = [removeFrom(doc, ['combos'], name), removeFromZip(doc, name), removeFrom(doc, ['constants'], name)];
      return gone.some(Boolean);
    }
  }
}

/** Which kinds of values each role takes. */
function checkKind(row: ParameterRow): void {
  const kind = row.values.kind;
  const sampling = (DISTRIBUTIONS as readonly string[]).includes(kind) || kind === 'module';
  if (row.role === 'sample' ? !sampling && kind !== 'values' : sampling) {
    throw new StudyEditError(
      row.role === 'sample'
        ? `'${row.name}': a distribution for sampling is a list of choices, uniform, loguniform, normal, randint or a module`
        : `'${row.name}': a ${kind} distribution is only for sampling; give values, a range, linspace or logspace`,
    );
  }
  if ((row.role === 'combo' || row.role === 'zip') && kind === 'constant') {
    throw new StudyEditError(`'${row.name}': a ${row.role} needs a list of values; one value is a constant`);
  }
}

/**
 * Set a parameter: its values and its role. A parameter moved to another role (or renamed) leaves its previous
 * place; one kept in place keeps its position and its comments. A parameter has one place among combos, zip,
 * constants and cases, so setting one of these takes it out of the others; a distribution for sampling may
 * stand beside it.
 * - A case column holds the parameter's values as a column of the cases: each existing case is repeated for each
 *   value (so the same cases run as before). A case column moved elsewhere leaves the cases, and cases left the
 *   same are kept once.
 */
export function setParameter(text: string, row: ParameterRow, previous: ParameterPlace = { name: row.name }): string {
  if (!isName(row.name)) {
    throw new StudyEditError(`'${row.name}': ${NAME_RULE}`);
  }
  checkKind(row);
  const doc = documentOf(text);
  if (row.role === 'combo' && isSeq(doc.get('combos', true))) {
    throw new StudyEditError('combos are given as [name, values] pairs in this study.yaml; edit it as text');
  }
  const value = doc.createNode(yamlValue(row.values), { flow: true });
  const sameName = previous.name === row.name;
  // In place: the key keeps its position and comments.
  const inPlace = (section: string[]) => {
    const node = doc.getIn(section, true);
    if (!(sameName && (previous.role ?? row.role) === row.role && isMap(node) && node.has(row.name))) return false;
    node.set(row.name, value);
    return true;
  };
  const addTo = (section: string[]) => {
    if (!isMap(doc.getIn(section, true))) doc.setIn(section, doc.createNode({}));
    (doc.getIn(section, true) as YAMLMap).set(row.name, value);
  };
  const others = (['combo', 'zip', 'constant', 'case'] as const).filter((r) => r !== row.role);
  switch (row.role) {
    case 'combo':
    case 'constant':
    case 'sample': {
      const section =
        row.role === 'combo' ? ['combos'] : row.role === 'constant' ? ['constants'] : ['sample', 'distributions'];
      if (!inPlace(section)) {
        removeFromPlace(doc, previous.name, previous.role ?? row.role);
        addTo(section);
      }
      break;
    }
    case 'zip': {
      const zip = doc.get('zip', true);
      const groups = isSeq(zip) ? zip.items.length : 0;
      const group = row.group ?? 0;
      if (group > groups)
        throw new StudyEditError(`'${row.name}': there are ${groups} zip groups; give 0 to ${groups}`);
      const holder = isSeq(zip) ? zip.items.findIndex((g) => isMap(g) && g.has(previous.name)) : -1;
      if (sameName && holder === group && (previous.role ?? 'zip') === 'zip') {
        ((zip as YAMLSeq).items[group] as YAMLMap).set(row.name, value);
        break;
      }
      // Groups emptied on the way stay until the parameter is in its group, so the group numbers hold.
      if ((previous.role ?? 'zip') === 'zip') removeFromZip(doc, previous.name, true);
      else removeFromPlace(doc, previous.name, previous.role);
      if (!isSeq(doc.get('zip', true))) doc.set('zip', doc.createNode([]));
      const seq = doc.get('zip', true) as YAMLSeq;
      if (group === seq.items.length) seq.add(doc.createNode({}));
      (seq.items[group] as YAMLMap).set(row.name, value);
      seq.items = seq.items.filter((g) => !isMap(g) || g.items.length > 0);
      break;
    }
    case 'case': {
      const values = listOf(row);
      if (!sameName || previous.role !== 'case') removeFromPlace(doc, previous.name, previous.role);
      else removeCaseColumn(doc, row.name);
      const cases = readCases(doc.toString());
      const next =
        cases.length === 0
          ? values.map((v) => ({ [row.name]: v }))
          : cases.flatMap((c) => values.map((v) => ({ ...c, [row.name]: v })));
      if (next.length > MAX_CASE_ROWS) {
        throw new StudyEditError(
          `'${row.name}' as a case column would make ${next.length} cases in study.yaml (at most ${MAX_CASE_ROWS}); keep it a combo`,
        );
      }
      writeCases(doc, next);
      break;
    }
  }
  if (row.role !== 'sample') for (const r of others) removeFromPlace(doc, row.name, r);
  return doc.toString();
}

/** Remove a parameter: from the place given, or from wherever it is a combo, zip or constant. */
export function removeParameter(text: string, name: string, role?: ParameterRole): string {
  const doc = documentOf(text);
  if (!removeFromPlace(doc, name, role)) {
    throw new StudyEditError(
      `'${name}' is not ${role ? `a ${role} parameter` : 'a combo, zip or constant'} of this study`,
    );
  }
  return doc.toString();
}

/** Replace the study's cases (an empty list removes the section). */
export function setCases(text: string, cases: Record<string, Scalar>[]): string {
  const doc = documentOf(text);
  writeCases(doc, cases);
  return doc.toString();
}

/** The model section as the app edits it. */
export function readModel(text: string): ModelRow {
  const model = mapping((documentOf(text).toJS() as Record<string, unknown>)['model']);
  const row: ModelRow = {};
  if (typeof model['module'] === 'string') row.module = model['module'];
  if (typeof model['export'] === 'string') row.export = model['export'];
  if (Array.isArray(model['command'])) row.command = model['command'].map(String);
  if (typeof model['timeout'] === 'number') row.timeout = model['timeout'];
  return row;
}

/**
 * Set the model: a module (with its export, `default` left unsaid) or a command, and the timeout. What else the
 * section says (load_timeout) and its comments stay.
 */
export function setModel(text: string, model: ModelRow): string {
  if ((model.module === undefined) === (model.command === undefined)) {
    throw new StudyEditError('the model is a module (a JS file) or a command (a program and its arguments)');
  }
  if (model.module !== undefined && model.module.trim() === '') throw new StudyEditError('give the model module file');
  if (model.command !== undefined && (model.command.length === 0 || model.command[0]!.trim() === '')) {
    throw new StudyEditError('give the program the command runs first, then its arguments');
  }
  if (model.timeout !== undefined && !(model.timeout > 0)) {
    throw new StudyEditError('the timeout is a number of seconds above 0');
  }
  const doc = documentOf(text);
  if (!isMap(doc.get('model', true))) doc.set('model', doc.createNode({}));
  const section = doc.get('model', true) as YAMLMap;
  const put = (key: string, value: unknown) =>
    value === undefined ? section.delete(key) : section.set(key, doc.createNode(value, { flow: true }));
  put('module', model.module);
  put('export', model.module !== undefined && model.export && model.export !== 'default' ? model.export : undefined);
  put('command', model.command);
  put('timeout', model.timeout);
  return doc.toString();
}

/**
 * Set the outputs section to these outputs, in this order. An output kept keeps what else it says (a `file` and
 * `path` to read it from) and its comments; dims are written only when it has some.
 */
export function setOutputs(text: string, outputs: OutputRow[]): string {
  for (const o of outputs) {
    if (!isName(o.name)) {
      throw new StudyEditError(`output '${o.name}': ${NAME_RULE}`);
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

/**
 * The coords rows: one per dim of the outputs (in their order), then any other dim the coords section names.
 * A dim without coords (or with a form the app does not edit, such as geomspace) has null values.
 */
export function readCoords(text: string): CoordRow[] {
  const spec = documentOf(text).toJS() as Record<string, unknown>;
  const coords = mapping(spec['coords']);
  const dims = [...new Set([...readOutputs(text).flatMap((o) => o.dims), ...Object.keys(coords)])];
  return dims.map((name) => {
    const values = name in coords ? valuesOf(coords[name]) : null;
    return { name, values: values && values.kind !== 'constant' ? values : null };
  });
}

/** Set the coords of one dim (null: its positions 0..n-1, so the section loses the dim). */
export function setCoord(text: string, name: string, values: ParameterValues | null): string {
  if (!isName(name)) {
    throw new StudyEditError(`dim '${name}': ${NAME_RULE}`);
  }
  if (values && !['values', 'range', 'linspace', 'logspace'].includes(values.kind)) {
    throw new StudyEditError(`coords of '${name}': give values, a range, linspace or logspace`);
  }
  const doc = documentOf(text);
  if (values === null) removeFrom(doc, ['coords'], name);
  else {
    const section = doc.get('coords', true);
    const value = doc.createNode(yamlValue(values), { flow: true });
    if (isMap(section)) section.set(name, value);
    else doc.set('coords', doc.createNode({ [name]: value }));
  }
  return doc.toString();
}

/** The rows of a study.yaml's text, or null while it does not parse as YAML. */
export function rowsOf(text: string): StudyRows | null {
  try {
    return {
      model: readModel(text),
      parameters: readParameters(text),
      cases: readCases(text),
      outputs: readOutputs(text),
      coords: readCoords(text),
    };
  } catch {
    return null;
  }
}

/** Make one change to study.yaml's text; a change that cannot be made throws a StudyEditError saying why. */
export function applyEdit(text: string, edit: StudyEdit): string {
  switch (edit.op) {
    case 'set-parameter':
      return setParameter(text, edit.row, edit.previous);
    case 'remove-parameter':
      return removeParameter(text, edit.name, edit.role);
    case 'set-model':
      return setModel(text, edit.model);
    case 'set-coord':
      return setCoord(text, edit.name, edit.values);
    case 'set-cases':
      return setCases(text, edit.cases);
    case 'set-outputs':
      return setOutputs(text, edit.outputs);
  }
}
