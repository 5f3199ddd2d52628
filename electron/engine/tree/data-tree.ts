// The data tree the app browses: the study's dataset, its case folders (or the tree its `load:` section builds
// over them), and any HDF5/NetCDF file opened by its path. A node id says which; every file it names is
// checked to lie inside the study folder, except the files a person opened by path. Groups list their members
// when opened, a page at a time; one node that cannot be read carries its error and its siblings list as usual.
import fs from 'node:fs';
import path from 'node:path';
import type {
  TreeChildren,
  TreeDetails,
  TreeEntry,
  TreeNodeRef,
  TreePreview,
  TreePreviewParams,
  TreeSlice,
  TreeSliceParams,
} from '../../../shared/data-tree';
import { FurrowError } from '../errors';
import { h5Children, h5Details, h5FileEntry, h5Preview, h5Slice } from './data-tree-h5';
import { sizeText } from '../dataset/disk';
import { attrValue, fileEntry, fileKind, folderChildren, studyFile, textPreview } from './data-tree-files';
import type { LoadedGroup } from '../study/load-tree';
import { buildLoadTree, groupAt } from '../study/load-tree';
import type { Study } from '../study/study';

/** The study the engine has open; throws when none is, or when its study.yaml does not read. */
export type StudyOf = () => Study;

/** The `load:` tree, rebuilt when its top is listed and at most every few seconds otherwise. */
let loadCache: { key: string; at: number; tree: LoadedGroup } | null = null;
function loadTreeOf(study: Study, fresh: boolean): LoadedGroup {
  const key = `${study.dir}\u0000${JSON.stringify(study.spec.load)}`;
  if (!fresh && loadCache?.key === key && Date.now() - loadCache.at < 5000) return loadCache.tree;
  const tree = buildLoadTree(study, study.spec.load ?? []);
  loadCache = { key, at: Date.now(), tree };
  return tree;
}

async function loadedChildren(study: Study, at: string, offset: number, limit: number): Promise<TreeChildren> {
  const group = groupAt(loadTreeOf(study, at === ''), at);
  const members = [...group.children.values()];
  const children = await Promise.all(
    members.slice(offset, offset + limit).map(async (member): Promise<TreeEntry> => {
      if (member.kind === 'group') {
        const n = member.children.size;
        const attrs = member.attrs.size ? ` · ${member.attrs.size} attr${member.attrs.size === 1 ? '' : 's'}` : '';
        return {
          id: { root: 'cases', path: member.path },
          name: member.name,
          kind: 'group',
          summary: `${n} member${n === 1 ? '' : 's'}${attrs}`,
          error: null,
          expandable: n > 0,
        };
      }
      const entry = await fileEntry(study, member.file, member.name, member.loader);
      if (member.error) return { ...entry, error: member.error, expandable: false };
      return { ...entry, summary: `${member.file} · ${entry.summary}` };
    }),
  );
  return { children, total: members.length, offset };
}

function casesRoot(study: Study): TreeEntry {
  const id = { root: 'cases' as const, path: '' };
  const load = study.spec.load;
  if (load) {
    const n = load.length;
    return {
      id,
      name: 'cases',
      kind: 'group',
      summary: `as study.yaml's load: has it (${n} entr${n === 1 ? 'y' : 'ies'})`,
      error: null,
      expandable: true,
    };
  }
  const dir = path.join(study.dir, 'cases');
  if (!fs.existsSync(dir)) {
    const why = study.model.kind === 'module' ? 'a module model keeps no case folders' : 'no case has run yet';
    return { id, name: 'cases', kind: 'folder', summary: why, error: null, expandable: false };
  }
  const n = fs.readdirSync(dir).length;
  return {
    id,
    name: 'cases',
    kind: 'folder',
    summary: `${n} case folder${n === 1 ? '' : 's'}`,
    error: null,
    expandable: n > 0,
  };
}

/** The roots: the dataset and the cases of the open study (when one is), then each file opened by its path. */
export async function treeRoots(study: StudyOf | null, files: string[]): Promise<TreeEntry[]> {
  const roots: TreeEntry[] = [];
  if (study) {
    let open: Study | null = null;
    try {
      open = study();
    } catch (error) {
      const message = (error as Error).message;
      roots.push({
        id: { root: 'dataset', path: '/' },
        name: 'dataset',
        kind: 'file',
        summary: '',
        error: message,
        expandable: false,
      });
      roots.push({
        id: { root: 'cases', path: '' },
        name: 'cases',
        kind: 'folder',
        summary: '',
        error: message,
        expandable: false,
      });
    }
    if (open) {
      const name = path.relative(open.dir, open.datasetPath);
      const id = { root: 'dataset' as const, path: '/' };
      roots.push(
        fs.existsSync(open.datasetPath)
          ? await h5FileEntry(open.datasetPath, id, name)
          : { id, name, kind: 'file', summary: 'no dataset yet: run the study', error: null, expandable: false },
      );
      roots.push(casesRoot(open));
    }
  }
  for (const file of files)
    roots.push(
      await h5FileEntry(path.resolve(file), { root: 'file', file: path.resolve(file), path: '/' }, path.basename(file)),
    );
  return roots;
}

/** Where a node's bytes are: an HDF5 object, a text file of the study, a folder of it, or a group of `load:`. */
type Place =
  | { kind: 'h5'; file: string }
  | { kind: 'text'; file: string; format: 'text' | 'json' | 'yaml' | 'csv' }
  | { kind: 'folder'; rel: string }
  | { kind: 'loaded'; at: string };

function placeOf(study: StudyOf, id: TreeNodeRef): Place {
  if (id.root === 'dataset') return { kind: 'h5', file: study().datasetPath };
  if (id.root === 'file') {
    if (!id.file || !path.isAbsolute(id.file))
      throw new FurrowError('bad-input', 'a file opened by its path needs its absolute path');
    return { kind: 'h5', file: id.file };
  }
  const open = study();
  if (id.file) {
    const abs = studyFile(open, id.file);
    if ((id.path ?? '').startsWith('/')) return { kind: 'h5', file: abs };
    const { kind, format } = fileKind(abs);
    if (kind === 'other')
      throw new FurrowError('bad-input', `${abs} is a binary file; Furrow shows HDF5 and text files`);
    return { kind: 'text', file: abs, format };
  }
  if (open.spec.load) return { kind: 'loaded', at: id.path ?? '' };
  return { kind: 'folder', rel: id.path || 'cases' };
}

export async function treeChildren(
  study: StudyOf,
  id: TreeNodeRef,
  offset: number,
  limit: number,
): Promise<TreeChildren> {
  const place = placeOf(study, id);
  switch (place.kind) {
    case 'h5':
      return h5Children(place.file, { ...id, path: id.path || '/' }, offset, limit);
    case 'folder':
      return folderChildren(study(), place.rel, offset, limit);
    case 'loaded':
      return loadedChildren(study(), place.at, offset, limit);
    case 'text':
      throw new FurrowError('bad-input', `${place.file} is a file: it has no members`);
  }
}

const NO_ARRAY = { shape: null, dtype: null, dims: null, chunks: null, maxshape: null, filters: [], coordinate: false };

export async function treeNode(study: StudyOf, id: TreeNodeRef): Promise<TreeDetails> {
  const place = placeOf(study, id);
  const nodeId = { ...id, path: id.path ?? '' };
  switch (place.kind) {
    case 'h5': {
      const inner = id.path || '/';
      const name = inner === '/' ? path.basename(place.file) : path.posix.basename(inner);
      return h5Details(place.file, { ...nodeId, path: inner }, name);
    }
    case 'text': {
      const size = fs.statSync(place.file).size;
      return {
        ...NO_ARRAY,
        id: nodeId,
        name: path.basename(place.file),
        kind: 'text',
        location: place.file,
        summary: `${place.format} · ${sizeText(size)}`,
        attrs: {},
        size,
      };
    }
    case 'folder': {
      const abs = studyFile(study(), place.rel);
      const n = fs.readdirSync(abs).length;
      return {
        ...NO_ARRAY,
        id: nodeId,
        name: path.basename(abs),
        kind: 'folder',
        location: abs,
        summary: `${n} entr${n === 1 ? 'y' : 'ies'}`,
        attrs: {},
        size: null,
      };
    }
    case 'loaded': {
      const open = study();
      const group = groupAt(loadTreeOf(open, false), place.at);
      const attrs = Object.fromEntries(
        [...group.attrs].map(([name, { loader, file }]) => [name, attrValue(open, loader, file)]),
      );
      const n = group.children.size;
      return {
        ...NO_ARRAY,
        id: nodeId,
        name: group.name || 'cases',
        kind: 'group',
        location: `${open.file}: load: ${place.at || '(top)'}`,
        summary: `${n} member${n === 1 ? '' : 's'}`,
        attrs,
        size: null,
      };
    }
  }
}

export async function treePreview(study: StudyOf, params: TreePreviewParams): Promise<TreePreview> {
  const place = placeOf(study, params.node);
  if (place.kind === 'h5') return h5Preview(place.file, params);
  if (place.kind === 'text') return textPreview(place.file, place.format);
  throw new FurrowError('bad-input', 'a folder or group has no values to preview: open one of its datasets or files');
}

/** The slice a Line or Heatmap view of an HDF5 dataset draws. */
export async function treeSlice(study: StudyOf, params: TreeSliceParams): Promise<TreeSlice> {
  const place = placeOf(study, params.node);
  if (place.kind === 'h5') return h5Slice(place.file, params);
  throw new FurrowError('bad-input', 'only a dataset of an HDF5/NetCDF file is drawn as a line or heatmap');
}
