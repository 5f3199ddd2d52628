// Opening a study folder: read study.yaml, validate it, and say exactly where it is wrong.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isNode, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import type { StudySpec, StudySummary } from '../../shared/study';
import { loadEntrySchema, studySpecSchema, valueSpecSchema } from '../../shared/study';
import type { Scalar } from '../../shared/space';
import { expandValues, GENERATORS, isScalar, Space, SpaceError } from '../../shared/space';
import type { CombosSpec, ValueSpec } from '../../shared/space';
import { FurrowError } from './errors';
import { describeDataset } from './netcdf-read';
import { loadParamSpaceFile, PARAMSPACE_TAGS, taggedTree } from './paramspace-yaml';
import type { ParamSpaceParts } from '../../shared/paramspace';
import { fromParamSpace } from '../../shared/paramspace';

export const STUDY_FILE = 'study.yaml';

export interface Study {
  dir: string;
  file: string;
  spec: StudySpec;
  /** study.yaml's text, as the study was read (a crop keeps it, so it grows what was sown). */
  text: string;
  /** The parameter space: which cases run and where each lands in the dataset. */
  space: Space;
  /** Values of internal dims, from `coords:` or from a constant of the same name. */
  coords: Record<string, Scalar[]>;
  /** Constants as the model receives them (generators expanded). */
  constants: Record<string, unknown>;
  datasetPath: string;
  model: ModuleModel | CommandModel;
}

export interface ModuleModel {
  kind: 'module';
  path: string;
  exportName: string;
}

export interface CommandModel {
  kind: 'command';
  /** argv with {name} placeholders, filled per case. */
  argv: string[];
}

const PLACEHOLDER = /\{\{|\}\}|\{([^{}]*)\}/g;

/** Fill an argv element's {name} placeholders; {{ and }} stand for literal braces. */
export function fillPlaceholders(text: string, values: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (match, name: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const value = values[name!];
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].flatMap((m) => (m[1] === undefined ? [] : [m[1]]));
}

/** An error in a study file: `file:line:col: field: what is wrong`. */
export class StudyFileError extends FurrowError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    detail: string,
  ) {
    super('bad-input', `${file}${line ? `:${line}` : ''}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'StudyFileError';
  }
}

function lineOf(doc: Document, counter: LineCounter, fieldPath: (string | number)[]): number | null {
  // Walk down as far as the path exists: a missing key points at its parent mapping.
  for (let n = fieldPath.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(fieldPath.slice(0, n), true);
    if (isNode(node) && node.range) {
      // Point at the key when there is one, which is what a person looks for.
      if (n > 0 && n === fieldPath.length) {
        const parent = n === 1 ? doc.contents : doc.getIn(fieldPath.slice(0, n - 1), true);
        if (isMap(parent)) {
          const pair = parent.items.find(
            (p) => isNode(p.key) && (p.key as { value?: unknown }).value === fieldPath[n - 1],
          );
          if (pair && isNode(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
        }
      }
      return counter.linePos(node.range[0]).line;
    }
  }
  return null;
}

type Issue = z.core.$ZodIssue;

const pathOf = (issue: Issue) => issue.path.filter((p): p is string | number => typeof p !== 'symbol');

/**
 * The issue to report: a misspelt key first (it also makes the right key look missing), and inside a union
 * (a generator, say) the branch that got furthest, since that is the one the person meant.
 */
function mostSpecific(issues: readonly Issue[]): Issue {
  const unknownKey = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknownKey) return unknownKey;
  const first = issues[0]!;
  if (first.code !== 'invalid_union' || first.errors.length === 0) return first;
  const branches = first.errors.map((branch) =>
    branch.map((i) => ({ ...i, path: [...first.path, ...i.path] }) as Issue),
  );
  const deepest = branches.map((branch) => mostSpecific(branch)).sort((a, b) => pathOf(b).length - pathOf(a).length)[0];
  return deepest && pathOf(deepest).length > pathOf(first).length ? deepest : first;
}

/** The keys a mapping at `path` may have, where the schema says. */
function knownKeys(path: (string | number)[]): string[] {
  if (path.length === 0) return Object.keys(studySpecSchema.shape);
  if (path.length === 1 && path[0] === 'model') return Object.keys(studySpecSchema.shape.model.shape);
  if (path.length === 2 && path[0] === 'load') return Object.keys(loadEntrySchema.shape);
  return [];
}

/** The known key a misspelt one most likely meant (edit distance ≤ 2, or one a prefix of the other). */
function closest(key: string, known: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = row[j]!;
        row[j] = next;
      }
    }
    return row[b.length]!;
  };
  return known
    .map((k) => ({ k, d: k.startsWith(key) || key.startsWith(k) ? 1 : distance(key, k) }))
    .filter(({ d }) => d <= 2)
    .sort((a, b) => a.d - b.d)[0]?.k;
}

export interface ParsedStudy {
  spec: StudySpec;
  /** The line of a field in the file, for messages about values that parse but do not make sense. */
  lineOf: (fieldPath: (string | number)[]) => number | null;
}

export function parseStudy(file: string, text: string): ParsedStudy {
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
    customTags: PARAMSPACE_TAGS,
  });
  const first = doc.errors[0];
  if (first) {
    const line = counter.linePos(first.pos[0]).line;
    throw new StudyFileError(file, line, null, `YAML does not parse: ${first.message.split('\n')[0]}`);
  }
  let js: unknown;
  try {
    // An alias of an anchor that is not there (`*nowhere`), or aliases that would make a huge tree, fail here.
    js = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new StudyFileError(file, null, null, `YAML does not parse: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof js === 'object' && js !== null && 'parameter_space' in js) {
    (js as Record<string, unknown>)['parameter_space'] = taggedTree(doc.get('parameter_space', true));
  }
  // With the input in each issue, a value of the wrong type is told apart from a missing one.
  const parsed = studySpecSchema.safeParse(js, { reportInput: true });
  if (!parsed.success) {
    // A misspelt key also makes the right one "missing": report the misspelling, which is the cause.
    const issue = mostSpecific(parsed.error.issues);
    let fieldPath = pathOf(issue);
    let detail = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const guess = closest(key, knownKeys(fieldPath));
      fieldPath = [...fieldPath, key];
      detail = `unknown key '${key}'${guess ? `; did you mean '${guess}'?` : '; check the spelling'}`;
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      detail = 'is required but missing';
    } else if (fieldPath[0] === 'sample' && fieldPath[1] === 'distributions' && fieldPath.length === 3) {
      detail = `not a distribution; give a list of values, {uniform|loguniform|normal|randint: [a, b]} or {module: file.mjs, export: name}`;
    }
    const field = fieldPath.length ? fieldPath.join('.') : null;
    throw new StudyFileError(file, lineOf(doc, counter, fieldPath), field, detail);
  }
  return { spec: parsed.data, lineOf: (p) => lineOf(doc, counter, p) };
}

/** What a run may change of a study without editing its file: `--combo` values, a file of cases. */
export interface StudyOverrides {
  combos?: Record<string, Scalar[]>;
  /** Replace the study's `cases:` with these (`--cases FILE`). */
  cases?: Record<string, Scalar>[];
}

/** Open a study folder. Bad input throws a StudyFileError naming the file, line and field. */
export function openStudy(dir: string, overrides: StudyOverrides = {}): Study {
  const abs = path.resolve(dir);
  const file = path.join(abs, STUDY_FILE);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new StudyFileError(
      abs,
      null,
      null,
      'is not a study folder (no such directory); create one with `furrow init`',
    );
  }
  if (!fs.existsSync(file)) {
    throw new StudyFileError(
      file,
      null,
      null,
      `missing: a study folder holds a ${STUDY_FILE}; create one with \`furrow init ${dir}\``,
    );
  }
  return studyFromText(abs, fs.readFileSync(file, 'utf8'), overrides);
}

/** A study from its folder and the text of its study.yaml (which may be a copy kept by a crop). */
export function studyFromText(dir: string, text: string, overrides: StudyOverrides = {}): Study {
  const abs = path.resolve(dir);
  const file = path.join(abs, STUDY_FILE);
  const { spec, lineOf: lineOfField } = parseStudy(file, text);
  const where = (p: (string | number)[], message: string): FurrowError =>
    // Combos given on the command line are wrong there, not in the file.
    overrides.combos && p[0] === 'combos'
      ? new FurrowError('bad-input', `--combo ${String(p[1] ?? '')}: ${message}`)
      : overrides.cases && p[0] === 'cases'
        ? new FurrowError('bad-input', `--cases: ${message}`)
        : new StudyFileError(file, lineOfField(p), p.join('.'), message);
  try {
    const pspace = paramSpaceOf(spec, abs, where);
    const space = new Space(
      {
        combos: withOverrides((pspace?.space.combos ?? spec.combos) as CombosSpec, overrides.combos),
        cases: overrides.cases ?? spec.cases,
        zip: spec.zip as Record<string, ValueSpec>[],
        ...(pspace?.space.coupled ? { coupled: pspace.space.coupled } : {}),
      },
      spec.max_cases,
    );
    const paramNames = new Set(space.dims.flatMap((d) => [d.name, ...(d.coupled ?? []).map((c) => c.name)]));
    const isParam = (name: string) => paramNames.has(name);
    const sampled = Object.keys(spec.sample?.distributions ?? {});
    if (space.dims.length === 0 && sampled.length === 0) {
      throw where(['combos'], 'the study varies nothing: give combos, cases, zip or sample distributions');
    }
    for (const dim of space.dims) {
      const at = dim.role === 'combo' ? ['combos', dim.name] : dim.role === 'zip' ? ['zip'] : ['cases'];
      if (dim.values.length === 0) throw where(at, `'${dim.name}' has no values; give at least one`);
      if (dim.name in spec.outputs) throw where(at, `'${dim.name}' is also the name of an output; rename one of them`);
    }
    const constants: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(pspace?.constants ?? {})) {
      if (name in spec.constants)
        throw where(['constants', name], 'is also set in parameter_space; set it in one place');
      constants[name] = value;
    }
    for (const [name, value] of Object.entries(spec.constants)) {
      if (isParam(name))
        throw where(['constants', name], 'is also a varied parameter; a parameter is either varied or constant');
      const generator = valueSpecSchema.safeParse(value);
      const looksLikeGenerator =
        typeof value === 'object' && value !== null && !Array.isArray(value) && GENERATORS.some((k) => k in value);
      if (looksLikeGenerator && !generator.success) {
        throw where(
          ['constants', name],
          `is not a valid generator (${generator.error.issues[0]?.message ?? 'see DESIGN.md'})`,
        );
      }
      constants[name] = looksLikeGenerator ? expandValues(value as ValueSpec, ['constants', name]) : value;
    }
    const coords: Record<string, Scalar[]> = {};
    for (const [name, value] of Object.entries(spec.coords)) {
      if (isParam(name)) throw where(['coords', name], "is a varied parameter; coords are for the outputs' own dims");
      coords[name] = expandValues(value as ValueSpec, ['coords', name]);
    }
    for (const [output, { dims }] of Object.entries(spec.outputs)) {
      for (const [i, dim] of dims.entries()) {
        const at = ['outputs', output, 'dims', i];
        if (isParam(dim))
          throw where(at, `'${dim}' is a varied parameter; an output's own dims must differ from those`);
        if (dim in spec.outputs) throw where(at, `'${dim}' is also the name of an output; rename one of them`);
        const constant = constants[dim];
        if (!coords[dim] && Array.isArray(constant) && constant.every(isScalar)) coords[dim] = constant;
      }
    }
    // Parameters, scalar constants and outputs become columns of the run database, where names ignore case
    // and those starting with _ are the database's own.
    const columns = new Map<string, string[]>();
    const column = (name: string, at: (string | number)[]) => {
      if (name.split('.').some((part) => part.startsWith('_'))) {
        throw where(at, `'${name}': names starting with _ are the run database's own columns; rename it`);
      }
      const key = name.toLowerCase();
      const other = columns.get(key);
      if (other) {
        throw where(
          at,
          other[0] === name
            ? `'${name}' names two things (a parameter or constant and an output); rename one`
            : `'${name}' and '${other[0]}' differ only in case; the run database cannot tell them apart`,
        );
      }
      columns.set(key, [name]);
    };
    for (const name of paramNames)
      column(name, ['parameter_space' in spec && spec.parameter_space ? 'parameter_space' : 'combos']);
    for (const [name, value] of Object.entries(constants)) if (isScalar(value)) column(name, ['constants', name]);
    for (const name of Object.keys(spec.outputs)) column(name, ['outputs', name]);
    // A sampled parameter may also be a combo (the distribution wins when sampling), not a constant or an output.
    for (const name of sampled) {
      const at = ['sample', 'distributions', name];
      if (name in constants) throw where(at, `'${name}' is also a constant; sample it or fix it, not both`);
      if (!isParam(name)) column(name, at);
    }

    let model: ModuleModel | CommandModel;
    if (spec.model.module !== undefined) {
      const modelPath = path.resolve(abs, spec.model.module);
      if (!fs.existsSync(modelPath)) throw where(['model', 'module'], `${modelPath} does not exist`);
      model = { kind: 'module', path: modelPath, exportName: spec.model.export };
    } else {
      const argv = spec.model.command!;
      // Every placeholder must name something a case has: a parameter, a constant or a resource.
      const known = new Set([
        ...paramNames,
        ...sampled,
        ...Object.keys(constants),
        ...Object.keys(spec.resources),
        'study_dir',
        'case_dir',
        'node',
      ]);
      argv.forEach((arg, i) => {
        for (const name of placeholdersOf(arg)) {
          if (!known.has(name)) {
            throw where(
              ['model', 'command', i],
              `{${name}} names no parameter, constant or resource (known: ${[...known].join(', ')})`,
            );
          }
        }
      });
      model = { kind: 'command', argv };
    }
    for (const [name, output] of Object.entries(spec.outputs)) {
      if (output.file && model.kind === 'module') {
        throw where(
          ['outputs', name, 'file'],
          'outputs read from files are for command models; a module returns its outputs',
        );
      }
    }
    return {
      dir: abs,
      file,
      spec,
      text,
      space,
      coords,
      constants,
      datasetPath: path.join(abs, 'data', `${spec.name}.nc`),
      model,
    };
  } catch (error) {
    if (error instanceof SpaceError) throw where(error.path, error.message);
    throw error;
  }
}

/** The parameter space of a study that gives one as paramspace YAML (inline, or the path of a file). */
function paramSpaceOf(
  spec: StudySpec,
  dir: string,
  where: (p: (string | number)[], message: string) => FurrowError,
): ParamSpaceParts | null {
  if (spec.parameter_space === undefined) return null;
  const given = (spec.combos && Object.keys(spec.combos).length > 0) || spec.cases.length > 0 || spec.zip.length > 0;
  if (given)
    throw where(['parameter_space'], 'give the parameters either as parameter_space or as combos/cases/zip, not both');
  const tree =
    typeof spec.parameter_space === 'string'
      ? loadParamSpaceFile(path.resolve(dir, spec.parameter_space))
      : spec.parameter_space;
  return fromParamSpace(tree);
}

/** `--combo name=...` replaces the values of that combo (or adds it); the other combos stay as written. */
function withOverrides(combos: CombosSpec, overrides: Record<string, Scalar[]> | undefined): CombosSpec {
  if (!overrides) return combos;
  if (!Array.isArray(combos)) return { ...combos, ...overrides }; // a replaced key keeps its place
  const entries = [...combos];
  for (const [name, values] of Object.entries(overrides)) {
    const at = entries.findIndex(([n]) => n === name);
    if (at >= 0) entries[at] = [name, values];
    else entries.push([name, values]);
  }
  return entries;
}

export function summarize(study: Study): StudySummary {
  return {
    dir: study.dir,
    name: study.spec.name,
    model: study.model.kind === 'module' ? path.relative(study.dir, study.model.path) : study.model.argv.join(' '),
    outputs: Object.entries(study.spec.outputs).map(([name, o]) => ({ name, dims: o.dims })),
    dims: study.space.dims,
    caseCount: study.space.count,
    dataset: study.datasetPath,
    hasDataset: fs.existsSync(study.datasetPath),
  };
}

/** A combo's values given as `...` (`--combo a=...`): all the values `a` already has in the study's dataset. */
export const STORED_VALUES = '...';

/** Replace every `...` combo with the values its dim has in the study's dataset. */
export async function withStoredValues(
  dir: string,
  combos: Record<string, Scalar[]> | undefined,
): Promise<Record<string, Scalar[]> | undefined> {
  const stored = Object.entries(combos ?? {}).filter(([, v]) => v.length === 1 && v[0] === STORED_VALUES);
  if (!combos || stored.length === 0) return combos;
  const dataset = openStudy(dir).datasetPath;
  if (!fs.existsSync(dataset)) {
    throw new FurrowError(
      'bad-input',
      `--combo ${stored[0]![0]}=...: ${dataset} does not exist yet, so there are no stored values; run the study first`,
    );
  }
  const { dims } = await describeDataset(dataset);
  const out = { ...combos };
  for (const [name] of stored) {
    const values = dims.find((d) => d.name === name)?.values;
    if (!values) {
      throw new FurrowError(
        'bad-input',
        `--combo ${name}=...: ${dataset} has no dim '${name}' with coordinates (its dims: ${dims.map((d) => d.name).join(', ')})`,
      );
    }
    out[name] = values;
  }
  return out;
}
