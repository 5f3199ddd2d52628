// The study folder's part of the data tree: its folders as they are on disk (the case folders named by their
// parameters, and those the run database has but the disk lost), what each file is (HDF5, text, binary), the first
// lines of a text file, and a file's content as an attribute (`load_as_attr`). Every path is checked to lie
// inside the study folder, after symbolic links are followed.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { TreeChildren, TreeEntry, TreePreview } from '../../../shared/data-tree';
import { leavesStudyFolder } from '../../../shared/study';
import { FurrowError } from '../errors';
import { h5FileEntry } from './data-tree-h5';
import { sizeText } from '../dataset/disk';
import type { Loader } from '../study/load-tree';
import { RunDb } from '../db/run-db';
import type { Study } from '../study/study';

const HDF5_EXT = /\.(h5|hdf5|he5|nc|nc4|cdf)$/i;
const TEXT_FORMATS: Record<string, 'json' | 'yaml' | 'csv'> = {
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  csv: 'csv',
  tsv: 'csv',
};
const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A text preview reads at most this much of a file, and shows at most so many lines of so many characters. */
const TEXT_BYTES = 64 * 1024;
const TEXT_LINES = 200;
const LINE_CHARS = 500;
/** A file loaded as an attribute (`load_as_attr`) is read whole: up to this size. */
const ATTR_BYTES = 256 * 1024;

/** A file of a `cases` node, resolved: inside the study folder after links are followed, or an error. */
export function studyFile(study: Study, rel: string): string {
  if (leavesStudyFolder(rel)) throw new FurrowError('bad-input', `'${rel}' is not inside the study folder`);
  const abs = path.join(study.dir, rel);
  if (!fs.existsSync(abs)) throw new FurrowError('not-found', `${abs}: no such file or folder (any more)`);
  const real = fs.realpathSync(abs);
  if (path.relative(fs.realpathSync(study.dir), real).startsWith('..'))
    throw new FurrowError('bad-input', `${abs} links to ${real}, outside the study folder; it is not read`);
  return abs;
}

/** The first bytes of a file (fewer when it is shorter). */
function readStart(file: string, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  const fd = fs.openSync(file, 'r');
  try {
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** What a file is, from its name, else from its first bytes: HDF5, text (and which), or binary. */
export function fileKind(abs: string): { kind: 'file' | 'text' | 'other'; format: 'text' | 'json' | 'yaml' | 'csv' } {
  const ext = path.extname(abs).slice(1).toLowerCase();
  if (HDF5_EXT.test(abs)) return { kind: 'file', format: 'text' };
  let bytes: Buffer;
  try {
    bytes = readStart(abs, 1024);
  } catch {
    return { kind: 'text', format: TEXT_FORMATS[ext] ?? 'text' }; // unreadable: its node will say why
  }
  if (bytes.subarray(0, 8).equals(HDF5_SIGNATURE)) return { kind: 'file', format: 'text' };
  if (bytes.includes(0)) return { kind: 'other', format: 'text' };
  return { kind: 'text', format: TEXT_FORMATS[ext] ?? 'text' };
}

/** A file of the study (in a case folder, or loaded by `load:`) as a line of the tree. */
export async function fileEntry(study: Study, rel: string, name: string, loader?: Loader): Promise<TreeEntry> {
  const id = { root: 'cases' as const, file: rel };
  let abs: string;
  try {
    abs = studyFile(study, rel);
  } catch (error) {
    return {
      id: { ...id, path: '' },
      name,
      kind: 'text',
      summary: '',
      error: (error as Error).message,
      expandable: false,
    };
  }
  const kind = loader ? (loader === 'hdf5' ? 'file' : 'text') : fileKind(abs).kind;
  if (kind === 'file') return h5FileEntry(abs, { ...id, path: '/' }, name);
  const size = fs.statSync(abs).size;
  const summary = `${loader ? `${loader} · ` : ''}${sizeText(size)}${kind === 'other' ? ' · binary' : ''}`;
  let error: string | null = null;
  try {
    fs.accessSync(abs, fs.constants.R_OK);
  } catch {
    error = `${abs}: not readable (check its permissions)`;
  }
  return { id: { ...id, path: '' }, name, kind, summary, error, expandable: false };
}

/** The case folders' parameters and states as the run database records them (the last record of each). */
function recordedCases(study: Study): Map<string, { params: string; status: string }> {
  const out = new Map<string, { params: string; status: string }>();
  let db: RunDb | null = null;
  try {
    db = RunDb.openReadOnly(study.dir);
    for (const row of db?.recordedFolders() ?? []) {
      out.delete(row.dir); // keep the last record, in the place of the last record
      out.set(row.dir, row);
    }
  } catch {
    // no database yet, or one being created: the folders are listed as they are
  } finally {
    db?.close();
  }
  return out;
}

/** A case's parameters in a line: those that vary between the recorded cases (all, when none does). */
function paramsText(json: string, varying: Set<string>): string {
  try {
    const entries = Object.entries(JSON.parse(json) as Record<string, unknown>);
    const shown = entries.some(([k]) => varying.has(k)) ? entries.filter(([k]) => varying.has(k)) : entries;
    const text = shown.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
    return text.length > 120 ? `${text.slice(0, 119)}…` : text;
  } catch {
    return '';
  }
}

/** The parameters whose values differ between the recorded cases. */
function varyingParams(records: Iterable<{ params: string }>): Set<string> {
  const first = new Map<string, string>();
  const varying = new Set<string>();
  for (const { params } of records) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(params) as Record<string, unknown>)) {
        const value = JSON.stringify(v);
        if (!first.has(k)) first.set(k, value);
        else if (first.get(k) !== value) varying.add(k);
      }
    } catch {
      // a row without readable params: nothing to compare
    }
  }
  return varying;
}

/** A folder of the study as it is on disk. `cases/` also lists the cases the run database has whose folder is gone. */
export async function folderChildren(study: Study, rel: string, offset: number, limit: number): Promise<TreeChildren> {
  const abs = studyFile(study, rel);
  if (!fs.statSync(abs).isDirectory()) throw new FurrowError('bad-input', `${abs} is not a folder`);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(abs, { withFileTypes: true });
  } catch (error) {
    throw new FurrowError('bad-input', `${abs}: cannot list it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const names = entries.map((e) => e.name).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const dirs = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  const recorded = rel === 'cases' ? recordedCases(study) : new Map<string, { params: string; status: string }>();
  // Case folders in the order their cases were recorded, then any others; missing ones where they were.
  const ordered = [
    ...[...recorded.keys()].filter((d) => path.posix.dirname(d) === rel).map((d) => path.posix.basename(d)),
    ...names.filter((n) => !recorded.has(`${rel}/${n}`)),
  ];
  const present = new Set(names);
  const varying = varyingParams(recorded.values());
  const page = ordered.slice(offset, offset + limit);
  const children = await Promise.all(
    page.map(async (name): Promise<TreeEntry> => {
      const child = `${rel}/${name}`;
      const record = recorded.get(child);
      if (record && !present.has(name)) {
        return {
          id: { root: 'cases', path: child },
          name,
          kind: 'folder',
          summary: paramsText(record.params, varying),
          error: `missing: the run database records this case (${record.status}), but ${path.join(study.dir, child)} is gone`,
          expandable: false,
        };
      }
      if (dirs.has(name)) {
        const summary = record ? `${paramsText(record.params, varying)} · ${record.status}` : '';
        return { id: { root: 'cases', path: child }, name, kind: 'folder', summary, error: null, expandable: true };
      }
      return fileEntry(study, child, name);
    }),
  );
  return { children, total: ordered.length, offset };
}

/** A file loaded as an attribute, parsed by its loader (a failure becomes the attribute's text). */
export function attrValue(study: Study, loader: Loader, rel: string): unknown {
  try {
    const abs = studyFile(study, rel);
    const size = fs.statSync(abs).size;
    if (size > ATTR_BYTES) return `(${rel}: ${sizeText(size)}, too large to show as an attribute)`;
    const text = fs.readFileSync(abs, 'utf8');
    if (loader === 'json') return JSON.parse(text) as unknown;
    if (loader === 'yaml') return parseYaml(text) as unknown;
    if (loader === 'csv')
      return text
        .split(/\r?\n/)
        .filter((l) => l !== '')
        .map((l) => l.split(l.includes('\t') ? '\t' : ','));
    return text;
  } catch (error) {
    return `(cannot load ${rel}: ${(error as Error).message})`;
  }
}

/** A text file's first lines, capped: never more than TEXT_BYTES of it are read. */
export function textPreview(file: string, format: 'text' | 'json' | 'yaml' | 'csv'): TreePreview {
  const size = fs.statSync(file).size;
  const buffer = readStart(file, Math.min(size, TEXT_BYTES));
  let lines = buffer.toString('utf8').split(/\r?\n/);
  let truncated = size > buffer.length;
  if (truncated) lines.pop(); // the last line read is cut short
  if (lines.length > TEXT_LINES) {
    lines = lines.slice(0, TEXT_LINES);
    truncated = true;
  }
  if (!truncated && lines.at(-1) === '') lines.pop();
  return {
    kind: 'text',
    format,
    lines: lines.map((l) => (l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS - 1)}…` : l)),
    truncated,
    size,
  };
}
