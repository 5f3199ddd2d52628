import { createStore } from 'zustand/vanilla';
import type { DatasetInfo, EngineClient, Result } from '../../shared/api';
import type { PlotData } from '../../shared/plot-spec';
import { exportPlot, toBase64 } from './export';
import type { ExportFormat } from './export';

/** A plot spec as the builder edits it: plots.yaml's keys (see shared/plot-spec.ts). */
export type Draft = Record<string, unknown> & { variable?: string };
export type SavedPlot = Result<'plot.list'>['plots'][number];

export interface PlotState {
  /** The file plotted: null for the study's dataset, else any HDF5/NetCDF file opened (File → Open Data File…). */
  file: string | null;
  info: DatasetInfo | null;
  /** The spec being built, and what the engine computed for it (null while it cannot be drawn). */
  draft: Draft | null;
  data: PlotData | null;
  /** The engine is computing the draft's plot. */
  computing: boolean;
  error: string | null;
  /** The study's plots.yaml. */
  saved: SavedPlot[];
  /** The saved plot the draft came from, if any. */
  savedName: string | null;
  /** What the last save or export did, for the person to read. */
  message: string | null;
  exporting: boolean;
  load(hasDataset: boolean): Promise<void>;
  /** A run stored a round of results in `dataset`: the plot is drawn again if it shows that file. */
  datasetChanged(dataset: string): Promise<void>;
  openFile(file: string | null): Promise<void>;
  /** Open `file` (null: the study's dataset) with this draft drawn: the Data tab's "Plot this". */
  plotThis(file: string | null, draft: Draft): Promise<void>;
  /** Change the draft: keys set to undefined are removed. */
  edit(change: Draft): Promise<void>;
  chooseVariable(name: string): Promise<void>;
  useSaved(name: string): Promise<void>;
  save(name: string): Promise<void>;
  remove(name: string): Promise<void>;
  exportPlot(format: ExportFormat): Promise<void>;
  exportAll(format: ExportFormat): Promise<void>;
}

/**
 * A first look at a variable: the largest dim along x, the next as a line per value when it has few, the rest at
 * their first value. (kind: auto would make a heatmap of two dims or more; lines are the usual first look.)
 */
export function firstDraft(info: DatasetInfo, variable: string): Draft {
  const v = info.variables.find((c) => c.name === variable);
  if (!v) return { variable };
  const dims = v.dims.map((name, i) => ({ name, size: v.shape[i] ?? 1 })).sort((a, b) => b.size - a.size);
  const draft: Draft = { variable, kind: 'line' };
  if (dims[0]) draft['x'] = dims[0].name;
  const rest = dims.slice(1);
  if (rest[0] && rest[0].size <= 20) draft['hue'] = rest.shift()!.name;
  if (rest.length) draft['isel'] = Object.fromEntries(rest.map((d) => [d.name, 0]));
  return draft;
}

/** The draft for another variable: the same mapping where it has the same dims, else a first look. */
export function switchVariable(info: DatasetInfo, draft: Draft | null, variable: string): Draft {
  const from = info.variables.find((c) => c.name === draft?.variable);
  const to = info.variables.find((c) => c.name === variable);
  const same = from && to && from.dims.length === to.dims.length && from.dims.every((d) => to.dims.includes(d));
  return same && draft ? { ...draft, variable } : firstDraft(info, variable);
}

/**
 * The change to the draft when a dim off the encodings is left free (`free`), fixed at an index (`isel:I`) or
 * reduced (`reduce:R`): that dim leaves the other two, and every other dim keeps how it is shown.
 */
export function dimChoice(draft: Draft, dim: string, value: string): Draft {
  const [how, what] = value.split(':') as [string, string | undefined];
  const isel = (draft['isel'] ?? {}) as Record<string, number>;
  const reduce = (draft['reduce'] ?? {}) as Record<string, string>;
  const without = (record: Record<string, unknown>) => {
    const { [dim]: _gone, ...rest } = record;
    return Object.keys(rest).length ? rest : undefined;
  };
  return {
    isel: how === 'isel' ? { ...isel, [dim]: Number(what) } : without(isel),
    sel: without((draft['sel'] ?? {}) as Record<string, unknown>),
    reduce: how === 'reduce' ? { ...reduce, [dim]: what } : without(reduce),
  };
}

export function createPlotStore(engine: EngineClient) {
  /** Each draw is numbered: an answer to an older draft never replaces a newer one. */
  let drawn = 0;
  /** Each load too: a file's description that comes back after another file was opened is dropped. */
  let loads = 0;
  let studyHasDataset = false;
  /** A redraw for a stored round, and whether another round landed while it ran. */
  let redrawing: Promise<void> | null = null;
  let again = false;
  const source = (file: string | null) => (file ? { source: file } : {});

  return createStore<PlotState>()((set, get) => {
    const draw = async (draft: Draft | null) => {
      const n = ++drawn;
      set({ draft, message: null });
      if (!draft || (!draft.variable && draft['based_on'] === undefined)) {
        return set({ data: null, error: null, computing: false });
      }
      set({ computing: true });
      try {
        const data = await engine.request('plot.data', { spec: { ...source(get().file), ...draft } });
        if (n === drawn) set({ data, error: null, computing: false });
      } catch (error) {
        if (n === drawn) set({ data: null, error: (error as Error).message, computing: false });
      }
    };
    const listSaved = async () => {
      try {
        const { plots } = await engine.request('plot.list', {});
        set({ saved: plots });
      } catch {
        set({ saved: [] }); // no study open: nothing saved to list
      }
    };
    const exportOne = async (name: string, data: PlotData, format: ExportFormat, dir?: string) => {
      const bytes = await exportPlot(data, format);
      return engine.request('plot.export', {
        ...(dir ? { dir } : {}),
        name,
        format,
        data: toBase64(bytes),
        spec: data.spec as Record<string, unknown>,
      });
    };

    return {
      file: null,
      info: null,
      draft: null,
      data: null,
      computing: false,
      error: null,
      saved: [],
      savedName: null,
      message: null,
      exporting: false,
      async openFile(next) {
        drawn++; // a plot still being computed for the file before is not shown
        set({ file: next, draft: null, data: null, savedName: null, error: null, computing: false });
        await get().load(studyHasDataset);
      },
      async plotThis(next, draft) {
        drawn++;
        set({ file: next, draft, data: null, savedName: null, error: null, computing: false });
        await get().load(studyHasDataset); // keeps the draft: its variable is the file's
      },
      async load(hasDataset) {
        studyHasDataset = hasDataset;
        void listSaved();
        const { file } = get();
        const n = ++loads;
        if (!hasDataset && !file) {
          drawn++; // a plot still being computed is not shown
          return set({ info: null, data: null, draft: null, error: null, computing: false });
        }
        try {
          const info = await engine.request('dataset.describe', file ? { file } : {});
          if (n !== loads) return;
          set({ info });
          const keep = get().draft;
          const known = keep?.variable && info.variables.some((v) => v.name === keep.variable);
          await draw(known ? keep : info.variables[0] ? firstDraft(info, info.variables[0].name) : null);
        } catch (error) {
          if (n === loads) {
            drawn++;
            set({ error: (error as Error).message, info: null, data: null, computing: false });
          }
        }
      },
      async datasetChanged(dataset) {
        const { file } = get();
        if (file !== null && file !== dataset) return;
        if (redrawing) {
          again = true;
          return redrawing;
        }
        redrawing = (async () => {
          do {
            again = false;
            await get().load(true);
          } while (again);
        })().finally(() => {
          redrawing = null;
        });
        return redrawing;
      },
      async edit(change) {
        const next: Draft = { ...get().draft };
        for (const [key, value] of Object.entries(change)) {
          if (value === undefined) delete next[key];
          else next[key] = value;
        }
        await draw(next);
      },
      async chooseVariable(name) {
        const { info, draft } = get();
        if (info) await draw(switchVariable(info, draft, name));
      },
      async useSaved(name) {
        const entry = get().saved.find((p) => p.name === name);
        set({ savedName: name });
        // The builder edits the plot as written (based_on and all), so a save keeps its chain.
        if (entry) await draw(entry.raw as Draft);
      },
      async save(name) {
        const { draft, file } = get();
        if (!draft) return;
        try {
          const { file: where } = await engine.request('plot.save', { name, spec: { ...source(file), ...draft } });
          // A refusal of an earlier try (a name already taken, say) no longer holds.
          set({ savedName: name, message: `Saved ${name} in ${where}.`, error: get().data ? null : get().error });
          await listSaved();
        } catch (error) {
          set({ message: null, error: (error as Error).message });
        }
      },
      async remove(name) {
        await engine.request('plot.remove', { name });
        set({ savedName: null, message: `Removed ${name}.` });
        await listSaved();
      },
      async exportPlot(format) {
        const { data, savedName } = get();
        if (!data) return;
        set({ exporting: true, message: null });
        try {
          const { file } = await exportOne(savedName ?? data.spec.variable, data, format);
          set({ message: `Wrote ${file}`, error: get().data ? null : get().error });
        } catch (error) {
          set({ error: (error as Error).message });
        } finally {
          set({ exporting: false });
        }
      },
      async exportAll(format) {
        set({ exporting: true, message: null });
        let dir: string | undefined;
        const failed: string[] = [];
        let written = 0;
        try {
          for (const plot of get().saved.filter((p) => p.enabled)) {
            try {
              const data = await engine.request('plot.data', { name: plot.name });
              ({ dir } = await exportOne(plot.name, data, format, dir));
              written++;
            } catch (error) {
              failed.push(`${plot.name}: ${(error as Error).message}`);
            }
          }
          const where = dir ? ` into ${dir}` : '';
          set({
            message: `Wrote ${written} plot${written === 1 ? '' : 's'}${where}.`,
            error: failed.length ? `Not exported: ${failed.join('; ')}` : null,
          });
        } finally {
          set({ exporting: false });
        }
      },
    };
  });
}
