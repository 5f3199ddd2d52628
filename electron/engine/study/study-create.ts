// New studies, from one of the bundled examples (assets/examples): `furrow init` and the app's New Study.
import fs from 'node:fs';
import path from 'node:path';
import { FurrowError } from '../errors';
import { useParamSpaceFile } from './study-edit';
import { STUDY_FILE, studyFromText } from './study';
import { parseStudy } from './study-parse';

/** Where an imported paramspace file is kept, in the new study's folder. */
const PARAM_SPACE_FILE = 'parameter_space.yml';

/** The examples a study can start from: the folders of `examplesDir` that hold a study.yaml. */
export function listExamples(examplesDir: string): string[] {
  try {
    return fs
      .readdirSync(examplesDir)
      .filter((n) => fs.existsSync(path.join(examplesDir, n, STUDY_FILE)))
      .sort();
  } catch {
    return [];
  }
}

/** Each example and what it shows: the description in its study.yaml ('' when it has none or does not parse). */
export function describeExamples(examplesDir: string): { name: string; description: string }[] {
  return listExamples(examplesDir).map((name) => {
    const file = path.join(examplesDir, name, STUDY_FILE);
    try {
      return { name, description: parseStudy(file, fs.readFileSync(file, 'utf8')).spec.description ?? '' };
    } catch {
      return { name, description: '' };
    }
  });
}

/**
 * Copy an example into `dir`, which must be new or empty: nothing of anyone's is ever overwritten. With
 * `paramSpace` (a paramspace YAML file, or a dantro run config holding one), the study takes its parameters from
 * a copy of that file. The study is checked before anything is written, so a refused one leaves nothing behind.
 */
export function createStudy(dir: string, example: string, examplesDir: string, paramSpace?: string): string {
  if (paramSpace !== undefined && !fs.existsSync(paramSpace)) {
    throw new FurrowError('bad-input', `${paramSpace} does not exist: give the paramspace YAML file to import`);
  }
  const source = path.join(examplesDir, example);
  if (!listExamples(examplesDir).includes(example)) {
    throw new FurrowError(
      'bad-input',
      `no example called '${example}'; the examples are: ${listExamples(examplesDir).join(', ')}`,
    );
  }
  const target = path.resolve(dir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new FurrowError('bad-input', `${target} exists and is not empty; choose a new folder, nothing was changed`);
  }
  let studyText: string | null = null;
  if (paramSpace !== undefined) {
    const exampleText = fs.readFileSync(path.join(source, STUDY_FILE), 'utf8');
    // Checked as the example, reading the person's own file: a mistake in it names that file and its line.
    studyFromText(source, useParamSpaceFile(exampleText, path.resolve(paramSpace)));
    studyText = useParamSpaceFile(exampleText, PARAM_SPACE_FILE);
  }
  fs.cpSync(source, target, { recursive: true });
  if (paramSpace !== undefined && studyText !== null) {
    fs.copyFileSync(paramSpace, path.join(target, PARAM_SPACE_FILE));
    fs.writeFileSync(path.join(target, STUDY_FILE), studyText);
  }
  return target;
}
