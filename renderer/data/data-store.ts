// The data tree's state: its roots, the children of each node opened (read when it is opened, a page at a
// time), which nodes are open, and the selected node's details and value preview. Every read is a request to
// the engine; a reply that a later choice made stale is dropped.
import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../shared/api';
import type { TreeDetails, TreeEntry, TreePreview, TreeSlice } from '../../shared/data-tree';
import type { Loaded } from './tree-nav';
import { keyOf } from './tree-nav';

const PAGE = 200;

/** Which window of the selected dataset the preview shows. Axes left undefined take the engine's defaults. */
export interface PreviewView {
  rowAxis?: number | null;
  colAxis?: number | null;
  /** The index each other axis is fixed at. */
  index: number[];
  rowStart: number;
  colStart: number;
}

const FIRST_VIEW: PreviewView = { index: [], rowStart: 0, colStart: 0 };

/** How the selected dataset is shown, as h5web's visualizations: a table, a 1-D line, a 2-D heatmap. */
export const VIS = ['matrix', 'line', 'heatmap'] as const;
export type Vis = (typeof VIS)[number];

/** The views a dataset of these dims and type has: Line and Heatmap draw numbers, a Heatmap needs two dims. */
export function visFor(details: TreeDetails | null): Vis[] {
  if (!details || details.kind !== 'dataset' || !details.shape) return [];
  const n = details.shape.length;
  const numbers = details.dtype !== null && /^(u?int|float|bool)/.test(details.dtype);
  if (!numbers || n === 0) return ['matrix'];
  return n >= 2 ? ['matrix', 'line', 'heatmap'] : ['matrix', 'line'];
}

/** The view to show: the one asked for where the dataset has it, else h5web's pick (a line for 1-D, a heatmap). */
export function visShown(details: TreeDetails | null, wanted: Vis | null): Vis | null {
  const can = visFor(details);
  if (!can.length) return null;
  if (wanted && can.includes(wanted)) return wanted;
  return can.includes('heatmap') ? 'heatmap' : can.includes('line') ? 'line' : 'matrix';
}

export interface DataState {
  /** HDF5/NetCDF files opened by their path (File → Open Data File…, a dropped file, or typed). */
  files: string[];
  roots: TreeEntry[];
  rootsError: string | null;
  loaded: Record<string, Loaded>;
  open: Record<string, boolean>;
  selected: TreeEntry | null;
  details: TreeDetails | null;
  detailsError: string | null;
  preview: TreePreview | null;
  previewError: string | null;
  view: PreviewView;
  /** The view a person chose (kept from dataset to dataset, as h5web keeps it), or null for each dataset's own. */
  vis: Vis | null;
  /** The axis a Line view runs along (undefined: the last). */
  lineAxis: number | undefined;
  /** What the Line or Heatmap view draws, and why it cannot. */
  slice: TreeSlice | null;
  sliceError: string | null;
  loadRoots(): Promise<void>;
  /** Read again what is in view (after a run, say), keeping what is open and selected. */
  refresh(): Promise<void>;
  /** Forget what was open (another study was opened); the files opened by path stay. */
  reset(): void;
  /** A study was opened (or its study.yaml saved): another study starts afresh, the same one is read again. */
  opened(dir: string): Promise<void>;
  toggle(entry: TreeEntry, open?: boolean): Promise<void>;
  loadMore(entry: TreeEntry): Promise<void>;
  select(entry: TreeEntry): Promise<void>;
  setView(change: Partial<PreviewView>): Promise<void>;
  setVis(vis: Vis): Promise<void>;
  setLineAxis(axis: number): Promise<void>;
  openFile(file: string): Promise<void>;
  closeFile(file: string): Promise<void>;
}

/** The tree with nothing read, opened or selected (the files opened by path are kept apart). */
const NOTHING_OPEN = {
  roots: [],
  loaded: {},
  open: {},
  selected: null,
  details: null,
  detailsError: null,
  preview: null,
  previewError: null,
  view: FIRST_VIEW,
  lineAxis: undefined,
  slice: null,
  sliceError: null,
} satisfies Partial<DataState>;

export function createDataStore(engine: EngineClient) {
  let selection = 0; // the latest select(); replies for an older one are dropped
  let previewing = 0; // the latest preview read
  let studyDir: string | null = null;
  return createStore<DataState>()((set, get) => {
    const setLoaded = (key: string, change: Partial<Loaded>) =>
      set((s) => ({
        loaded: {
          ...s.loaded,
          [key]: { children: [], total: 0, loading: false, error: null, ...s.loaded[key], ...change },
        },
      }));

    const readChildren = async (entry: TreeEntry, offset: number) => {
      const key = keyOf(entry);
      setLoaded(key, { loading: true });
      try {
        const page = await engine.request('tree.children', { node: entry.id, offset, limit: PAGE });
        const before = offset === 0 ? [] : (get().loaded[key]?.children ?? []).slice(0, offset);
        setLoaded(key, { children: [...before, ...page.children], total: page.total, loading: false, error: null });
      } catch (error) {
        setLoaded(key, { loading: false, error: (error as Error).message });
      }
    };

    /** The axes the shown view draws: a Line's one, a Heatmap's rows and columns (the Matrix's, else the last two). */
    const sliceAxes = (vis: Vis, details: TreeDetails): number[] => {
      const n = details.shape?.length ?? 0;
      const { view, lineAxis } = get();
      if (vis === 'line') return [lineAxis !== undefined && lineAxis < n ? lineAxis : n - 1];
      const rows = view.rowAxis ?? n - 2;
      const cols = view.colAxis ?? n - 1;
      return rows !== null && cols !== null && rows !== cols ? [rows, cols] : [n - 2, n - 1];
    };

    /** Read what the shown view needs, and only that: the Matrix's window, or the Line's or Heatmap's slice. */
    const readShown = async (entry: TreeEntry, view: PreviewView) => {
      const { details } = get();
      const vis = visShown(details, get().vis);
      if (!details || details.kind !== 'dataset' || vis === 'matrix' || vis === null) {
        set({ slice: null, sliceError: null });
        return readPreview(entry, view);
      }
      const ticket = ++previewing;
      try {
        const slice = await engine.request('tree.slice', {
          node: entry.id,
          axes: sliceAxes(vis, details),
          index: view.index,
        });
        performance.mark('data:slice');
        if (ticket === previewing) set({ slice, sliceError: null });
      } catch (error) {
        if (ticket === previewing) set({ slice: null, sliceError: (error as Error).message });
      }
    };

    const readPreview = async (entry: TreeEntry, view: PreviewView) => {
      const ticket = ++previewing;
      try {
        const preview = await engine.request('tree.preview', { node: entry.id, ...view });
        if (ticket !== previewing) return;
        const axes = preview.kind === 'array' ? { rowAxis: preview.rowAxis, colAxis: preview.colAxis } : {};
        set({ preview, previewError: null, view: { ...view, ...axes } });
      } catch (error) {
        if (ticket === previewing) set({ previewError: (error as Error).message });
      }
    };

    return {
      files: [],
      rootsError: null,
      vis: null,
      ...NOTHING_OPEN,
      async loadRoots() {
        try {
          set({ roots: await engine.request('tree.roots', { files: get().files }), rootsError: null });
        } catch (error) {
          set({ rootsError: (error as Error).message });
        }
      },
      async refresh() {
        if (get().roots.length === 0 && !get().rootsError) return; // never shown: nothing to read again
        await get().loadRoots();
        const { open, loaded, roots } = get();
        const entries = new Map<string, TreeEntry>();
        for (const root of roots) entries.set(keyOf(root), root);
        for (const node of Object.values(loaded)) for (const child of node.children) entries.set(keyOf(child), child);
        await Promise.all(
          Object.keys(open)
            .filter((key) => open[key] && entries.has(key))
            .map((key) => readChildren(entries.get(key)!, 0)),
        );
        const { selected } = get();
        if (selected) await get().select(selected);
      },
      reset() {
        selection++;
        previewing++;
        set(NOTHING_OPEN);
      },
      async opened(dir) {
        const other = dir !== studyDir;
        studyDir = dir;
        if (!other) return get().refresh();
        get().reset();
        await get().loadRoots();
      },
      async toggle(entry, open) {
        const key = keyOf(entry);
        const next = open ?? !get().open[key];
        set((s) => ({ open: { ...s.open, [key]: next } }));
        if (next && entry.expandable) await readChildren(entry, 0);
      },
      async loadMore(entry) {
        await readChildren(entry, get().loaded[keyOf(entry)]?.children.length ?? 0);
      },
      async select(entry) {
        const ticket = ++selection;
        const same = get().selected && keyOf(get().selected!) === keyOf(entry);
        const view = same ? get().view : FIRST_VIEW;
        set({
          selected: entry,
          view,
          ...(same ? {} : { details: null, preview: null, slice: null, lineAxis: undefined }),
          detailsError: null,
          previewError: null,
          sliceError: null,
        });
        if (entry.error) return;
        performance.mark('data:select');
        try {
          const details = await engine.request('tree.node', { node: entry.id });
          performance.mark('data:details');
          if (ticket !== selection) return;
          set({ details });
          if (details.kind === 'dataset') await readShown(entry, view);
          else if (details.kind === 'text') await readPreview(entry, view);
          else set({ preview: null, slice: null });
        } catch (error) {
          if (ticket === selection) set({ detailsError: (error as Error).message, preview: null });
        }
      },
      async setView(change) {
        const { selected, view } = get();
        if (!selected) return;
        const next = { ...view, ...change };
        set({ view: next });
        await readShown(selected, next);
      },
      async setVis(vis) {
        set({ vis });
        const { selected, view } = get();
        if (selected) await readShown(selected, view);
      },
      async setLineAxis(axis) {
        set({ lineAxis: axis });
        const { selected, view } = get();
        if (selected) await readShown(selected, view);
      },
      async openFile(file) {
        if (!get().files.includes(file)) set((s) => ({ files: [...s.files, file] }));
        await get().loadRoots();
        // The roots of opened files come in the order of `files` (the engine makes their paths absolute).
        const root = get().roots.filter((r) => r.id.root === 'file')[get().files.indexOf(file)];
        if (root) {
          await get().select(root);
          if (root.expandable) await get().toggle(root, true);
        }
      },
      async closeFile(file) {
        set((s) => ({ files: s.files.filter((f) => f !== file) }));
        if (get().selected?.id.file === file) set({ selected: null, details: null, preview: null, slice: null });
        await get().loadRoots();
      },
    };
  });
}
