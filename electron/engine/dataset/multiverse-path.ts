// Where a multiverse comes from: `file.h5:/group/dataset`, a file inside each case folder and the dataset in it.
import path from 'node:path';
import { FurrowError } from '../errors';

export const PATH_FORM = 'file.h5:/group/dataset';

export interface MultiversePath {
  /** A file inside each case folder, relative to it, with forward slashes. */
  file: string;
  /** The dataset inside that file, from its root: `/group/dataset`. */
  inner: string;
  /** Both, as `file:/inner`. */
  text: string;
}

/** `data.h5:/abm/mean_energy` → its parts; a path without a colon, or one that leaves the case folder, is refused. */
export function parseMultiversePath(text: string): MultiversePath {
  const refuse = (why: string) =>
    new FurrowError(
      'bad-input',
      `'${text}': ${why}; give the path as ${PATH_FORM}: a file inside each case folder (cases/<pset_id>/), a colon, then the dataset in that file`,
    );
  if (/^[A-Za-z]:[\\/]/.test(text) || path.isAbsolute(text))
    throw refuse('the file is an absolute path, outside the case folders');
  const colon = text.indexOf(':');
  if (colon < 0) throw refuse('there is no colon between the file and the dataset');
  const file = path.posix.normalize(text.slice(0, colon).replaceAll('\\', '/'));
  if (file === '.' || file === '') throw refuse('there is no file before the colon');
  if (file === '..' || file.startsWith('../')) throw refuse('the file leaves the case folder');
  const inner =
    '/' +
    text
      .slice(colon + 1)
      .split('/')
      .filter(Boolean)
      .join('/');
  if (inner === '/') throw refuse('there is no dataset after the colon');
  return { file, inner, text: `${file}:${inner}` };
}
