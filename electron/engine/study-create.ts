// New studies, from one of the bundled examples (assets/examples): `furrow init` and the app's New Study.
import fs from 'node:fs';
import path from 'node:path';
import { FurrowError } from './errors';
import { STUDY_FILE } from './study';

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

/** Copy an example into `dir`, which must be new or empty: nothing of anyone's is ever overwritten. */
export function createStudy(dir: string, example: string, examplesDir: string): string {
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
  fs.cpSync(source, target, { recursive: true });
  return target;
}
