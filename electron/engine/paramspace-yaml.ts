// A paramspace parameter space kept in a file of its own: a bare !pspace, or a dantro run config with a
// parameter_space key. Read as every study file is (yaml-file.ts); shared/paramspace.ts turns it into a space.
import fs from 'node:fs';
import { isMap } from 'yaml';
import { FurrowError } from './errors';
import type { YamlFile } from './yaml-file';
import { parseYamlFile, plainData } from './yaml-file';

export interface ParamSpaceFile {
  tree: unknown;
  /** The line of a field of the space (its path as under study.yaml's parameter_space, without that key). */
  lineOf(fieldPath: (string | number)[]): number | null;
}

export function loadParamSpaceFile(file: string): ParamSpaceFile {
  if (!fs.existsSync(file)) throw new FurrowError('bad-input', `${file}: no such parameter space file`);
  const yaml: YamlFile = parseYamlFile(file, fs.readFileSync(file, 'utf8'));
  const data = plainData(yaml);
  const root = yaml.doc.contents;
  const inConfig =
    isMap(root) &&
    root.tag !== '!pspace' &&
    typeof data === 'object' &&
    data !== null &&
    Object.hasOwn(data, 'parameter_space');
  return inConfig
    ? {
        tree: (data as Record<string, unknown>)['parameter_space'],
        lineOf: (p) => yaml.lineOf(['parameter_space', ...p]),
      }
    : { tree: data, lineOf: yaml.lineOf };
}
