// A study's parameter space in paramspace YAML: inline under study.yaml's parameter_space, or the path of a file of
// its own (a bare !pspace, or a dantro run config with a parameter_space key), read as every study file is
// (yaml-file.ts). shared/paramspace.ts makes the space; here a mistake in it is placed where it is written: the
// space's file and line, also for checks made later on the combos its dims become.
import fs from 'node:fs';
import path from 'node:path';
import { isMap } from 'yaml';
import type { ParamSpaceParts } from '../../../shared/paramspace';
import { fromParamSpace } from '../../../shared/paramspace';
import { SpaceError } from '../../../shared/space';
import type { StudySpec } from '../../../shared/study';
import { StudyFileError } from '../errors';
import { parseYamlFile, plainData } from './yaml-file';

type FieldPath = (string | number)[];
/** An error at a field of study.yaml. */
type StudyError = (fieldPath: FieldPath, message: string) => StudyFileError;

export class StudyParamSpace {
  readonly parts: ParamSpaceParts;
  private readonly errorInSpace: (fieldPath: FieldPath, message: string) => StudyFileError;

  /** The study's parameter space, or null when it gives its parameters as combos, cases and zip. */
  static of(spec: StudySpec, dir: string, studyError: StudyError): StudyParamSpace | null {
    if (spec.parameter_space === undefined) return null;
    const given = Object.keys(spec.combos).length > 0 || spec.cases.length > 0 || spec.zip.length > 0;
    if (given) {
      throw studyError(
        ['parameter_space'],
        'give the parameters either as parameter_space or as combos/cases/zip, not both',
      );
    }
    if (typeof spec.parameter_space !== 'string') {
      return new StudyParamSpace(spec.parameter_space, (p, message) => studyError(['parameter_space', ...p], message));
    }
    const file = path.resolve(dir, spec.parameter_space);
    if (!fs.existsSync(file)) {
      throw studyError(['parameter_space'], `${file}: no such parameter space file`);
    }
    const yaml = parseYamlFile(file, fs.readFileSync(file, 'utf8'));
    const data = plainData(yaml);
    const root = yaml.doc.contents;
    // A dantro run config holds the space under parameter_space.
    const inConfig =
      isMap(root) &&
      root.tag !== '!pspace' &&
      typeof data === 'object' &&
      data !== null &&
      Object.hasOwn(data, 'parameter_space');
    const prefix = inConfig ? ['parameter_space'] : [];
    return new StudyParamSpace(inConfig ? (data as Record<string, unknown>)['parameter_space'] : data, (p, message) => {
      const at = [...prefix, ...p];
      return new StudyFileError(file, yaml.lineOf(at), at, message);
    });
  }

  private constructor(tree: unknown, errorInSpace: (fieldPath: FieldPath, message: string) => StudyFileError) {
    this.errorInSpace = errorInSpace;
    try {
      this.parts = fromParamSpace(tree);
    } catch (error) {
      if (error instanceof SpaceError) throw this.errorAt(error.path, error.message)!;
      throw error;
    }
  }

  /**
   * The error for a field of the study that the space wrote (parameter_space.…, or combos.… which its dims
   * become), placed in the space; null for any other field.
   */
  errorAt(fieldPath: FieldPath, message: string): StudyFileError | null {
    const [section, key, ...rest] = fieldPath;
    if (section === 'parameter_space') return this.errorInSpace(fieldPath.slice(1), message);
    if (section !== 'combos') return null;
    if (key === undefined) return this.errorInSpace([], message);
    // Its dims are combos given as [name, values] pairs: a combo is named, or numbered in that list.
    const combos = (this.parts as ParamSpaceParts | undefined)?.space.combos as [string, unknown][] | undefined;
    const name = typeof key === 'number' ? combos?.[key]?.[0] : key;
    const written = name === undefined ? undefined : this.parts.paths.get(name);
    return this.errorInSpace([...(written ?? []), ...rest], message);
  }
}
