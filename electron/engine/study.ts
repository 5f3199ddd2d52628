// Opening a study folder: read study.yaml, validate it, and say exactly where it is wrong.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isNode, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { StudySpec, StudySummary } from '../../shared/study';
import { studySpecSchema, valueSpecSchema } from '../../shared/study';
import type { Dim, Scalar } from '../../shared/space';
import { comboDims, caseCount, expandValues, GENERATORS, isScalar, SpaceError } from '../../shared/space';
import type { ValueSpec } from '../../shared/space';
import { FurrowError } from './errors';

export const STUDY_FILE = 'study.yaml';

export interface Study {
  dir: string;
  file: string;
  spec: StudySpec;
  combos: Dim[];
  /** Values of internal dims, from `coords:` or from a constant of the same name. */
  coords: Record<string, Scalar[]>;
  /** Constants as the model receives them (generators expanded). */
  constants: Record<string, unknown>;
  datasetPath: string;
  modelPath: string;
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

export interface ParsedStudy {
  spec: StudySpec;
  /** The line of a field in the file, for messages about values that parse but do not make sense. */
  lineOf: (fieldPath: (string | number)[]) => number | null;
}

export function parseStudy(file: string, text: string): ParsedStudy {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = counter.linePos(first.pos[0]).line;
    throw new StudyFileError(file, line, null, `YAML does not parse: ${first.message.split('\n')[0]}`);
  }
  const parsed = studySpecSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    // A misspelt key also makes the right one "missing": report the misspelling, which is the cause.
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const issue = issues[0]!;
    const pathOf = (i: (typeof issues)[number]) => i.path.filter((p): p is string | number => typeof p !== 'symbol');
    let fieldPath = pathOf(issue);
    let detail = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const missing = issues
        .filter(
          (i) =>
            i.code === 'invalid_type' &&
            i.input === undefined &&
            pathOf(i).slice(0, -1).join('.') === fieldPath.join('.'),
        )
        .map((i) => String(pathOf(i).at(-1)));
      const key = issue.keys[0]!;
      const guess = missing.find((m) => m.startsWith(key.slice(0, 3)) || key.startsWith(m.slice(0, 3)));
      fieldPath = [...fieldPath, key];
      detail = `unknown key '${key}'${guess ? `; did you mean '${guess}'?` : '; check the spelling'}`;
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      detail = 'is required but missing';
    }
    const field = fieldPath.length ? fieldPath.join('.') : null;
    throw new StudyFileError(file, lineOf(doc, counter, fieldPath), field, detail);
  }
  return { spec: parsed.data, lineOf: (p) => lineOf(doc, counter, p) };
}

/** Open a study folder. Bad input throws a StudyFileError naming the file, line and field. */
export function openStudy(dir: string, overrides: { combos?: Record<string, Scalar[]> } = {}): Study {
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
  const { spec, lineOf: lineOfField } = parseStudy(file, fs.readFileSync(file, 'utf8'));
  const where = (p: (string | number)[], message: string): FurrowError =>
    // Combos given on the command line are wrong there, not in the file.
    overrides.combos && p[0] === 'combos'
      ? new FurrowError('bad-input', `--combo ${String(p[1] ?? '')}: ${message}`)
      : new StudyFileError(file, lineOfField(p), p.join('.'), message);
  try {
    const combos = comboDims(overrides.combos ?? (spec.combos as Record<string, ValueSpec>));
    const isCombo = (name: string) => combos.some((c) => c.name === name);
    if (combos.length === 0) throw where(['combos'], 'needs at least one parameter with values');
    for (const dim of combos) {
      if (dim.values.length === 0) throw where(['combos', dim.name], 'has no values; give at least one');
      if (dim.name in spec.outputs)
        throw where(['combos', dim.name], 'is also the name of an output; rename one of them');
    }
    const constants: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(spec.constants)) {
      if (isCombo(name)) throw where(['constants', name], 'is also a combo; a parameter is either varied or constant');
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
      if (isCombo(name)) throw where(['coords', name], "is a combo; coords are for the outputs' own dims");
      coords[name] = expandValues(value as ValueSpec, ['coords', name]);
    }
    for (const [output, { dims }] of Object.entries(spec.outputs)) {
      for (const [i, dim] of dims.entries()) {
        const at = ['outputs', output, 'dims', i];
        if (isCombo(dim))
          throw where(at, `'${dim}' is a combo; an output's own dims must differ from the parameter dims`);
        if (dim in spec.outputs) throw where(at, `'${dim}' is also the name of an output; rename one of them`);
        const constant = constants[dim];
        if (!coords[dim] && Array.isArray(constant) && constant.every(isScalar)) coords[dim] = constant;
      }
    }
    const modelPath = path.resolve(abs, spec.model.module);
    if (!fs.existsSync(modelPath)) throw where(['model', 'module'], `${modelPath} does not exist`);
    return {
      dir: abs,
      file,
      spec,
      combos,
      coords,
      constants,
      datasetPath: path.join(abs, 'data', `${spec.name}.nc`),
      modelPath,
    };
  } catch (error) {
    if (error instanceof SpaceError) throw where(error.path, error.message);
    throw error;
  }
}

export function summarize(study: Study): StudySummary {
  return {
    dir: study.dir,
    name: study.spec.name,
    model: path.relative(study.dir, study.modelPath),
    outputs: Object.entries(study.spec.outputs).map(([name, o]) => ({ name, dims: o.dims })),
    combos: study.combos,
    caseCount: caseCount(study.combos),
    dataset: study.datasetPath,
    hasDataset: fs.existsSync(study.datasetPath),
  };
}
