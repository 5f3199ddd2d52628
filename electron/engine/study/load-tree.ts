// The tree a study's `load:` section builds over its files, as dantro's load configs do: each entry's glob
// picks files in the study folder, `path_regex` captures `{match}` from each file's path, and `target_path`
// says where the file goes. Only paths are gathered here; a file is opened when its node is.
import fs from 'node:fs';
import path from 'node:path';
import type { LoadEntry, LOADERS } from '../../../shared/study';
import { leavesStudyFolder } from '../../../shared/study';
import { FurrowError, StudyFileError } from '../errors';
import type { Study } from './study';
import { parseStudy } from './study-parse';

export type Loader = (typeof LOADERS)[number];

export interface LoadedFile {
  kind: 'file';
  name: string;
  loader: Loader;
  /** Relative to the study folder, with forward slashes. */
  file: string;
  /** Why this file is not in the tree as it asked (two files for one target, say). */
  error: string | null;
}

export interface LoadedGroup {
  kind: 'group';
  name: string;
  /** Its path in the tree ('' for the top). */
  path: string;
  children: Map<string, LoadedGroup | LoadedFile>;
  /** Files loaded as attributes of this group (`load_as_attr`), by attribute name. */
  attrs: Map<string, { loader: Loader; file: string }>;
}

/** Beyond this many matches, a glob is surely not what was meant; say so rather than walk on. */
const MAX_MATCHES = 200_000;

function segmentRegex(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const body = segment.slice(i + 1, end).replace(/\\/g, '\\\\');
        out += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * The files a glob matches in a folder, as Python's glob does (`*`, `?`, `[…]`, and `**` for any depth;
 * names starting with a dot only where the pattern spells the dot), relative to it with forward slashes.
 */
export function globFiles(dir: string, pattern: string): string[] {
  const segments = pattern.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  const found = new Set<string>();
  const readDir = (rel: string): fs.Dirent[] => {
    try {
      return fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const isDir = (rel: string, entry: fs.Dirent) =>
    entry.isDirectory() ||
    (entry.isSymbolicLink() && fs.statSync(path.join(dir, rel), { throwIfNoEntry: false })?.isDirectory());
  const walk = (rel: string, at: number): void => {
    if (found.size > MAX_MATCHES)
      throw new FurrowError('bad-input', `'${pattern}' matches more than ${MAX_MATCHES} files; narrow it`);
    const segment = segments[at]!;
    const last = at === segments.length - 1;
    if (segment === '**') {
      if (last) return; // `**` alone names folders, not files
      walk(rel, at + 1);
      for (const entry of readDir(rel)) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        // Symbolic links to folders are not followed here: a link to a parent would never end.
        if (!entry.name.startsWith('.') && entry.isDirectory()) walk(child, at);
      }
      return;
    }
    if (!/[*?[]/.test(segment)) {
      const child = rel ? `${rel}/${segment}` : segment;
      const stat = fs.statSync(path.join(dir, child), { throwIfNoEntry: false });
      if (last ? stat?.isFile() : stat?.isDirectory()) {
        if (last) found.add(child);
        else walk(child, at + 1);
      }
      return;
    }
    const regex = segmentRegex(segment);
    for (const entry of readDir(rel)) {
      if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
      if (!regex.test(entry.name)) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (last) {
        if (
          entry.isFile() ||
          (entry.isSymbolicLink() && fs.statSync(path.join(dir, child), { throwIfNoEntry: false })?.isFile())
        )
          found.add(child);
      } else if (isDir(child, entry)) walk(child, at + 1);
    }
  };
  if (segments.length > 0) walk('', 0);
  return [...found].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** Where a file goes: `target_path` with `{match}` and `{basename}` filled, split into the tree's parts. */
export function targetOf(entry: LoadEntry, file: string): string[] {
  const base = path.posix.basename(file);
  const basename = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  let match = basename; // as dantro: a path the regex does not match is named by its basename
  if (entry.path_regex !== undefined) {
    const m = new RegExp(entry.path_regex).exec(file);
    if (m) match = m[1] ?? m[0];
  }
  const target = (entry.target_path ?? file).replace(/\{(match|basename)\}/g, (_, key: string) =>
    key === 'match' ? match : basename,
  );
  return target.split('/').filter((part) => part !== '' && part !== '.');
}

const newGroup = (name: string, at: string): LoadedGroup => ({
  kind: 'group',
  name,
  path: at,
  children: new Map(),
  attrs: new Map(),
});

/**
 * The tree of a study's `load:` entries. A required entry that matches nothing, or a glob or target that would
 * leave the study folder, is an error naming the entry (and its line in study.yaml); two files for one place
 * keep the first, the second showing why it is not there.
 */
export function buildLoadTree(study: Study, entries: LoadEntry[]): LoadedGroup {
  const top = newGroup('', '');
  const entryError = (i: number, field: string | null, detail: string) => {
    const at = ['load', i, ...(field ? [field] : [])];
    let line: number | null = null;
    try {
      line = parseStudy(study.file, study.text).lineOf(at);
    } catch {
      // the text parsed when the study was opened; a line is only a help
    }
    return new StudyFileError(study.file, line, at, detail);
  };
  const realDir = fs.realpathSync(study.dir);
  entries.forEach((entry, i) => {
    const globs = typeof entry.glob === 'string' ? [entry.glob] : entry.glob;
    for (const glob of globs)
      if (leavesStudyFolder(glob))
        throw entryError(i, 'glob', `'${glob}' would leave the study folder; give a path relative to it`);
    const files = [...new Set(globs.flatMap((glob) => globFiles(study.dir, glob)))];
    if (files.length === 0 && entry.required) {
      throw entryError(
        i,
        null,
        `required, but nothing matches ${globs.map((g) => `'${g}'`).join(', ')} in ${study.dir}`,
      );
    }
    for (const file of files) {
      const parts = targetOf(entry, file);
      const target = parts.join('/');
      if (parts.length === 0 || parts.includes('..') || leavesStudyFolder(target)) {
        throw entryError(i, 'target_path', `'${target}' (for ${file}) would leave the study folder`);
      }
      const real = fs.realpathSync(path.join(study.dir, file));
      const outside = path.relative(realDir, real).startsWith('..');
      let group = top;
      let clash: string | null = outside ? `${file} links to ${real}, outside the study folder; it is not read` : null;
      const groupParts = parts.slice(0, -1);
      for (const [k, part] of groupParts.entries()) {
        const existing = group.children.get(part);
        if (existing?.kind === 'file') {
          clash = `load.${i}: the target '${target}' goes through '${groupParts.slice(0, k + 1).join('/')}', which is the file ${existing.file}`;
          break;
        }
        const next = existing ?? newGroup(part, groupParts.slice(0, k + 1).join('/'));
        group.children.set(part, next);
        group = next;
      }
      const name = parts.at(-1)!;
      if (clash) {
        top.children.set(file, { kind: 'file', name: file, loader: entry.loader, file, error: clash });
      } else if (entry.load_as_attr) {
        group.attrs.set(name, { loader: entry.loader, file });
      } else if (group.children.has(name)) {
        const other = group.children.get(name)!;
        const taken = `load.${i}: '${target}' is already taken by ${other.kind === 'file' ? other.file : 'a group'}; give each file its own target_path (with {match} or {basename})`;
        top.children.set(file, { kind: 'file', name: file, loader: entry.loader, file, error: taken });
      } else {
        group.children.set(name, { kind: 'file', name, loader: entry.loader, file, error: null });
      }
    }
  });
  return top;
}

/** The group at a path of the tree, or a not-found error naming the path. */
export function groupAt(tree: LoadedGroup, at: string): LoadedGroup {
  let group = tree;
  for (const part of at.split('/').filter(Boolean)) {
    const next = group.children.get(part);
    if (next?.kind !== 'group') throw new FurrowError('not-found', `the load: tree has no group '${at}' (any more)`);
    group = next;
  }
  return group;
}
