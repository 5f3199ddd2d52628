// Opening a study folder: read study.yaml, validate it, and say exactly where it is wrong.
import fs from 'node:fs';
import path from 'node:path';
import type { StudySpec, StudySummary } from '../../../shared/study';
import { valueSpecSchema } from '../../../shared/study';
import type { Scalar } from '../../../shared/space';
import { expandValues, GENERATORS, isScalar, Space, SpaceError } from '../../../shared/space';
import type { CombosSpec, ValueSpec } from '../../../shared/space';
import { FurrowError, StudyFileError } from '../errors';
import { describeDataset } from '../dataset/netcdf-read';
import { nestParams } from '../../../shared/paramspace';
import { StudyParamSpace } from './paramspace-yaml';
import { parseStudy } from './study-parse';

export const STUDY_FILE = 'study.yaml';
/** With `repeats: N`: the dim of the repeats, and the parameter that hands each case its seed (run/pset-hash.ts). */
export const REPEAT_DIM = 'repeat';
export const SEED_PARAM = 'seed';

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
  /** Constants by their flat names (generators expanded), as the run database and the pset hash have them. */
  constants: Record<string, unknown>;
  /**
   * Where each parameter and constant of a parameter space sits in the nested mapping the model receives
   * (modelParams); null when the model receives them flat.
   */
  modelKeys: Map<string, string[]> | null;
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

/** What a run may change of a study without editing its file: `--combo` values, a file of cases. */
export interface StudyOverrides {
  combos?: Record<string, Scalar[]>;
  /** Replace the study's `cases:` with these (`--cases FILE`). */
  cases?: Record<string, Scalar>[];
}

/** Open a study folder. Bad input throws a StudyFileError naming the file, line and field. */
export function openStudy(dir: string, overrides: StudyOverrides = {}): Study {
  return studyFromText(dir, readStudyFile(dir), overrides);
}

/**
 * The study as a run sees it, study.yaml read once: the run's combos (a combo given as `...` takes the values its
 * dim has in the dataset) and its cases, which `cases` reads when it is time (so errors come in the same order).
 */
export async function openStudyForRun(
  dir: string,
  combos: Record<string, Scalar[]> | undefined,
  cases: () => Record<string, Scalar>[] | undefined = () => undefined,
): Promise<Study> {
  let text: string | null = null;
  const read = () => (text ??= readStudyFile(dir));
  const resolved = await resolveStoredValues(() => studyFromText(dir, read()).datasetPath, combos);
  const rows = cases();
  return studyFromText(dir, read(), { ...(resolved ? { combos: resolved } : {}), ...(rows ? { cases: rows } : {}) });
}

/** The text of a study folder's study.yaml; a folder that is no study says so. */
function readStudyFile(dir: string): string {
  const abs = path.resolve(dir);
  const file = path.join(abs, STUDY_FILE);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new StudyFileError(abs, null, null, 'is not a study folder (no such directory)', { reason: 'no-folder' });
  }
  if (!fs.existsSync(file)) {
    throw new StudyFileError(file, null, null, `missing: a study folder holds a ${STUDY_FILE}`, {
      reason: 'no-study-file',
    });
  }
  return fs.readFileSync(file, 'utf8');
}

/** A study from its folder and the text of its study.yaml (which may be a copy kept by a crop). */
export function studyFromText(dir: string, text: string, overrides: StudyOverrides = {}): Study {
  const abs = path.resolve(dir);
  const file = path.join(abs, STUDY_FILE);
  const { spec, lineOf: lineOfField } = parseStudy(file, text);
  const studyError = (p: (string | number)[], message: string) => new StudyFileError(file, lineOfField(p), p, message);
  let paramSpace: StudyParamSpace | null = null;
  const where: Where = (p, message) =>
    // Combos given on the command line are wrong there, not in the file.
    overrides.combos && p[0] === 'combos'
      ? new FurrowError('bad-input', `--combo${p[1] === undefined ? '' : ` ${String(p[1])}`}: ${message}`)
      : overrides.cases && p[0] === 'cases'
        ? new FurrowError('bad-input', `--cases: ${message}`)
        : (paramSpace?.errorAt(p, message) ?? studyError(p, message));
  try {
    paramSpace = StudyParamSpace.of(spec, abs, studyError);
    const pspace = paramSpace?.parts ?? null;
    const space = spaceOf(spec, pspace, overrides);
    const names: Names = {
      params: new Set(space.dims.flatMap((d) => [d.name, ...(d.coupled ?? []).map((c) => c.name)])),
      sampled: Object.keys(spec.sample?.distributions ?? {}),
      spaceKeys: pspace?.keys ?? null,
    };
    checkDims(space, spec, names, where);
    const given = { ...pspace?.constants, ...spec.constants };
    checkRepeats(spec, (pspace?.space.combos ?? spec.combos) as CombosSpec, names, given, where);
    const constants = constantsOf(spec, pspace?.constants ?? {}, names, where);
    const coords = coordsOf(spec, constants, names, where);
    checkColumns(spec, constants, names, where);
    const model = modelOf(spec, abs, constants, names, where);
    const modelKeys = pspace && spec.model.params === 'nested' ? pspace.keys : null;
    if (modelKeys) checkNesting(spec, modelKeys, names, where);
    return {
      dir: abs,
      file,
      spec,
      text,
      space,
      coords,
      constants,
      modelKeys,
      datasetPath: path.join(abs, 'data', `${spec.name}.nc`),
      model,
    };
  } catch (error) {
    if (error instanceof SpaceError) throw where(error.path, error.message);
    throw error;
  }
}

/** Where in study.yaml (or on the command line) a field is wrong, as the error to throw. */
type Where = (p: (string | number)[], message: string) => FurrowError;

type ParamSpaceParts = NonNullable<StudyParamSpace['parts']>;

/** The parameters' names: those the space varies, those sampled, and where a paramspace wrote those it gave. */
interface Names {
  params: Set<string>;
  sampled: string[];
  /** Each name a paramspace gives (a parameter or a constant) and its path in the space; null without one. */
  spaceKeys: Map<string, string[]> | null;
}

/** The parameter space: combos (the file's, or its paramspace's), cases and zip groups, with the run's overrides. */
function spaceOf(spec: StudySpec, pspace: ParamSpaceParts | null, overrides: StudyOverrides): Space {
  return new Space(
    {
      combos: withOverrides(
        withRepeats((pspace?.space.combos ?? spec.combos) as CombosSpec, spec.repeats),
        overrides.combos,
      ),
      cases: overrides.cases ?? spec.cases,
      zip: spec.zip as Record<string, ValueSpec>[],
      ...(pspace?.space.coupled ? { coupled: pspace.space.coupled } : {}),
    },
    spec.max_cases,
  );
}

/** Something varies, and every dim has a name that no output has (Space saw that each has values). */
function checkDims(space: Space, spec: StudySpec, names: Names, where: Where): void {
  if (space.dims.length === 0 && names.sampled.length === 0) {
    throw where(
      ['combos'],
      names.spaceKeys
        ? 'no !pdim in this parameter space, so nothing varies; vary a parameter with !pdim {values: [...]}'
        : 'the study varies nothing: give combos, cases, zip or sample distributions',
    );
  }
  for (const dim of space.dims) {
    const at = dim.role === 'combo' ? ['combos', dim.name] : dim.role === 'zip' ? ['zip'] : ['cases'];
    if (Object.hasOwn(spec.outputs, dim.name))
      throw where(at, `'${dim.name}' is also the name of an output; rename one of them`);
  }
}

/** What each generator of values takes, as a message about one that is not right says it. */
const GENERATOR_FORMS: Record<(typeof GENERATORS)[number], string> = {
  values: '{values: [v1, v2, ...]}',
  range: '{range: [start, stop]} or {range: [start, stop, step]}',
  linspace: '{linspace: [start, stop, num]}',
  logspace: '{logspace: [start, stop, num]}',
  geomspace: '{geomspace: [start, stop, num]}',
};

/** The constants as the model receives them: the paramspace's, then the file's, generators expanded. */
function constantsOf(
  spec: StudySpec,
  fromParamSpace: Record<string, unknown>,
  names: Names,
  where: Where,
): Record<string, unknown> {
  const constants: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fromParamSpace)) {
    if (Object.hasOwn(spec.constants, name))
      throw where(['constants', name], 'is also set in parameter_space; set it in one place');
    constants[name] = value;
  }
  for (const [name, value] of Object.entries(spec.constants)) {
    if (names.params.has(name))
      throw where(['constants', name], 'is also a varied parameter; a parameter is either varied or constant');
    const key =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? GENERATORS.find((k) => k in value)
        : undefined;
    if (key !== undefined && !valueSpecSchema.safeParse(value).success) {
      const other = Object.keys(value as object).find((k) => k !== key && k !== 'as');
      throw where(
        ['constants', name, other ?? key],
        `a mapping with a '${key}' key is read as a generator of values, and ${other === undefined ? 'this one is not one' : `a generator has no key '${other}'`}: write ${GENERATOR_FORMS[key]} (and at most as: int or float beside it); for a mapping the model receives as it is, use no key named ${GENERATORS.join(', ')}`,
      );
    }
    constants[name] = key !== undefined ? expandValues(value as ValueSpec, ['constants', name]) : value;
  }
  return constants;
}

/**
 * A model of a parameter space receives one nested mapping: a constant, resource or sampled parameter of
 * study.yaml is put at its top, so it may not take a key the space's mapping has there.
 */
function checkNesting(spec: StudySpec, keys: Map<string, string[]>, names: Names, where: Where): void {
  const top = new Map([...keys.values()].map((p) => [p[0]!, p]));
  const others: [string, (string | number)[]][] = [
    ...Object.keys(spec.constants).map((n): [string, string[]] => [n, ['constants', n]]),
    ...Object.keys(spec.resources).map((n): [string, string[]] => [n, ['resources', n]]),
    ...names.sampled.map((n): [string, string[]] => [n, ['sample', 'distributions', n]]),
  ];
  for (const [name, at] of others) {
    const taken = top.get(name);
    // A name the space gives itself is at its own key (a sampled parameter of the space, say).
    if (taken && !keys.has(name)) {
      throw where(
        at,
        `'${name}' is also a key of parameter_space (${taken.join('.')}), where the model receives its nested ` +
          'parameters; rename it, or set it in parameter_space',
      );
    }
  }
}

/** The parameters as the model receives them: nested as the parameter space has them, or flat. */
export function modelParams(study: Study, flat: Record<string, unknown>): Record<string, unknown> {
  return study.modelKeys ? nestParams(flat, study.modelKeys) : flat;
}

/** The values of the outputs' own dims: `coords:`, else a constant of the dim's name. Each dim is checked. */
function coordsOf(
  spec: StudySpec,
  constants: Record<string, unknown>,
  names: Names,
  where: Where,
): Record<string, Scalar[]> {
  const coords: Record<string, Scalar[]> = {};
  for (const [name, value] of Object.entries(spec.coords)) {
    if (names.params.has(name))
      throw where(['coords', name], "is a varied parameter; coords are for the outputs' own dims");
    coords[name] = expandValues(value as ValueSpec, ['coords', name]);
  }
  for (const [output, { dims }] of Object.entries(spec.outputs)) {
    for (const [i, dim] of dims.entries()) {
      const at = ['outputs', output, 'dims', i];
      if (names.params.has(dim))
        throw where(at, `'${dim}' is a varied parameter; an output's own dims must differ from those`);
      if (Object.hasOwn(spec.outputs, dim))
        throw where(at, `'${dim}' is also the name of an output; rename one of them`);
      const constant = constants[dim];
      if (!coords[dim] && Array.isArray(constant) && constant.every(isScalar)) coords[dim] = constant;
    }
  }
  return coords;
}

/**
 * Parameters, scalar constants and outputs become columns of the run database, where names ignore case and those
 * starting with _ are the database's own. A sampled parameter may also be a combo (the distribution wins when
 * sampling), not a constant or an output.
 */
function checkColumns(spec: StudySpec, constants: Record<string, unknown>, names: Names, where: Where): void {
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
  for (const name of names.params) column(name, names.spaceKeys ? ['combos', name] : ['combos']);
  // A constant of the paramspace is wrong where the space writes it (study.yaml's may not share its name).
  const constantAt = (name: string) => {
    const inSpace = names.spaceKeys?.get(name);
    return inSpace ? ['parameter_space', ...inSpace] : ['constants', name];
  };
  for (const [name, value] of Object.entries(constants)) if (isScalar(value)) column(name, constantAt(name));
  for (const name of Object.keys(spec.outputs)) column(name, ['outputs', name]);
  for (const name of names.sampled) {
    const at = ['sample', 'distributions', name];
    if (Object.hasOwn(constants, name)) throw where(at, `'${name}' is also a constant; sample it or fix it, not both`);
    if (!names.params.has(name)) column(name, at);
  }
}

/**
 * The model: a module file that exists, or a command whose every placeholder names something a case has (a
 * parameter, a constant or a resource). Outputs read from files are for command models.
 */
function modelOf(
  spec: StudySpec,
  abs: string,
  constants: Record<string, unknown>,
  names: Names,
  where: Where,
): ModuleModel | CommandModel {
  let model: ModuleModel | CommandModel;
  if (spec.model.module !== undefined) {
    const modelPath = path.resolve(abs, spec.model.module);
    if (!fs.existsSync(modelPath)) throw where(['model', 'module'], `${modelPath} does not exist`);
    model = { kind: 'module', path: modelPath, exportName: spec.model.export };
  } else {
    const argv = spec.model.command!;
    const known = new Set([
      ...names.params,
      ...names.sampled,
      ...Object.keys(constants),
      ...Object.keys(spec.resources),
      ...(spec.repeats === undefined ? [] : [SEED_PARAM]),
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
  return model;
}

/** `--combo name=...` replaces the values of that combo (or adds it); the other combos stay as written. */
/** With `repeats:`, the names `repeat` (its dim) and `seed` (what the model receives) are Furrow's. */
function checkRepeats(
  spec: StudySpec,
  combos: CombosSpec,
  names: Names,
  constants: Record<string, unknown>,
  where: Where,
): void {
  if (spec.repeats === undefined) return;
  const given = [
    ...(Array.isArray(combos) ? combos.map(([n]) => n) : Object.keys(combos)),
    ...spec.cases.flatMap((c) => Object.keys(c)),
    ...spec.zip.flatMap((z) => Object.keys(z)),
  ];
  const taken = (name: string) =>
    given.includes(name) ||
    Object.hasOwn(constants, name) ||
    Object.hasOwn(spec.outputs, name) ||
    Object.hasOwn(spec.resources, name) ||
    names.sampled.includes(name);
  for (const name of [REPEAT_DIM, SEED_PARAM]) {
    if (taken(name)) {
      throw where(
        ['repeats'],
        `with repeats, '${name}' is Furrow's (${name === REPEAT_DIM ? 'the dim of the repeats' : 'the seed each case receives'}); rename your '${name}'`,
      );
    }
  }
}

/** `repeats: N`: the `repeat` dim, 0..N-1, after the study's combos (so a case's repeats lie side by side). */
function withRepeats(combos: CombosSpec, repeats: number | undefined): CombosSpec {
  if (repeats === undefined) return combos;
  const values = Array.from({ length: repeats }, (_, i) => i);
  return Array.isArray(combos) ? [...combos, [REPEAT_DIM, values]] : { ...combos, [REPEAT_DIM]: values };
}

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
export function withStoredValues(
  dir: string,
  combos: Record<string, Scalar[]> | undefined,
): Promise<Record<string, Scalar[]> | undefined> {
  return resolveStoredValues(() => openStudy(dir).datasetPath, combos);
}

/**
 * Replace every `...` combo with the values its dim has in the dataset `datasetOf` names. `words` says how the
 * caller gave it (`--combo a=...` here; the library says it in its own terms) and what to do first.
 */
export async function resolveStoredValues(
  datasetOf: () => string,
  combos: Record<string, Scalar[]> | undefined,
  words = { said: (name: string) => `--combo ${name}=...`, first: 'run the study first' },
): Promise<Record<string, Scalar[]> | undefined> {
  const stored = Object.entries(combos ?? {}).filter(([, v]) => v.length === 1 && v[0] === STORED_VALUES);
  if (!combos || stored.length === 0) return combos;
  const dataset = datasetOf();
  if (!fs.existsSync(dataset)) {
    throw new FurrowError(
      'bad-input',
      `${words.said(stored[0]![0])}: ${dataset} does not exist yet, so there are no stored values; ${words.first}`,
    );
  }
  const { dims } = await describeDataset(dataset);
  const out = { ...combos };
  for (const [name] of stored) {
    const values = dims.find((d) => d.name === name)?.values;
    if (!values) {
      throw new FurrowError(
        'bad-input',
        `${words.said(name)}: ${dataset} has no dim '${name}' with coordinates (its dims: ${dims.map((d) => d.name).join(', ')})`,
      );
    }
    out[name] = values;
  }
  return out;
}
