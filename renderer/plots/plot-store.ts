import { createStore } from 'zustand/vanilla';
import type { DatasetInfo, EngineClient, Result } from '../../shared/api';
import type { PlotData } from '../../shared/plot-spec';
import type { Pin } from '../../shared/plot-adapt';
import { applyEdit, dimEdit, dimsOf, firstDraft, switchVariable } from '../../shared/plot-edits';
import type { Draft } from '../../shared/plot-edits';
import { exportPlot, toBase64 } from './export';
import type { ExportFormat } from './export';
import type { ExportOptions } from '../../shared/plot-export';

export type { Draft };
export { firstDraft, switchVariable };
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
  /** What the last edit moved to keep the plot drawable ("a heatmap has no Lines (hue): x moved to Columns"). */
  note: string | null;
  exporting: boolean;
  load(hasDataset: boolean): Promise<void>;
  /** A run stored a round of results in `dataset`: the plot is drawn again if it shows that file. */
  datasetChanged(dataset: string): Promise<void>;
  openFile(file: string | null): Promise<void>;
  /** Open `file` (null: the study's dataset) with this draft drawn: the Data tab's "Plot this". */
  plotThis(file: string | null, draft: Draft): Promise<void>;
  /**
   * Change the draft (keys set to undefined are removed), adapted to its kind and dims (shared/plot-adapt.ts);
   * `pin` is what the person chose, which the adaptation keeps.
   */
  edit(change: Draft, pin?: Pin): Promise<void>;
  chooseVariable(name: string): Promise<void>;
  useSaved(name: string): Promise<void>;
  save(name: string): Promise<void>;
  remove(name: string): Promise<void>;
  exportPlot(format: ExportFormat, options?: ExportOptions): Promise<void>;
  exportAll(format: ExportFormat, options?: ExportOptions): Promise<void>;
}

/**
 * The change to the draft when a dim off the encodings is left free (`free`), fixed at an index (`isel:I`) or
 * reduced (`reduce:R`): that dim leaves the other two, and every other dim keeps how it is shown.
 */
export function dimChoice(draft: Draft, dim: string, value: string): Draft {
  return dimEdit(draft, dim, value).change;
}

/** Empty selections and no selections are the same to a plot. */
const same = (a: unknown, b: unknown) => {
  const norm = (v: unknown) =>
    v === null || v === undefined || (typeof v === 'object' && Object.keys(v).length === 0) ? '' : JSON.stringify(v);
  return norm(a) === norm(b);
};

/** The draft with its based_on chain's keys under it (as the builder shows it), nulls (taken back) dropped. */
export function viewOf(draft: Draft, given: Record<string, unknown> | undefined): Draft {
  const view: Draft = { ...(draft['based_on'] !== undefined ? given : undefined), ...draft };
  for (const [k, v] of Object.entries(view)) if (v === null) delete view[k];
  return view;
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
    /** Draw a draft; `note` says what its edit moved, if anything. */
    const draw = async (draft: Draft | null, note: string | null = null) => {
      const n = ++drawn;
      set({ draft, message: null, note });
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
    const exportOne = async (
      name: string,
      data: PlotData,
      format: ExportFormat,
      options: ExportOptions,
      dir?: string,
    ) => {
      const bytes = await exportPlot(data, format, options);
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
      note: null,
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
          if (known) await draw(keep, get().note);
          else await draw(info.variables[0] ? firstDraft(info, info.variables[0].name) : null);
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
      async edit(change, pin) {
        const { draft, data, info } = get();
        const own: Draft = { ...draft };
        // A saved plot's draft holds its own keys: the rest come from its bases, and the adaptation sees them too.
        const before = viewOf(own, data?.given);
        const dims = info && typeof before.variable === 'string' ? dimsOf(info, before.variable) : [];
        const { draft: after, note } = applyEdit(before, pin ? { change, pin } : { change }, dims);
        const based = own['based_on'] !== undefined;
        for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
          if (same(before[key], after[key])) continue;
          // A key a base gives is taken back with null (YAML's ~); one of the draft's own is removed.
          if (after[key] === undefined || same(after[key], undefined)) {
            if (based) own[key] = null;
            else delete own[key];
          } else own[key] = after[key];
        }
        await draw(own, note);
      },
      async chooseVariable(name) {
        const { info, draft } = get();
        if (info) await draw(switchVariable(info, draft, name));
      },
      async useSaved(name) {
        const entry = get().saved.find((p) => p.name === name);
        set({ savedName: name });
        // The builder edits the plot as written (based_on and all), so a save keeps its chain.
        if (entry) {
          // A plot drawn for each case (each: case) is one figure per case only when exported: say so.
          const perCase =
            entry.raw['each'] === undefined
              ? null
              : `${name} is drawn for each case (each): here every case at once; Export all saved plots writes a figure per case, ${name}/<pset_id>.pdf.`;
          await draw(entry.raw as Draft, perCase);
        }
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
      async exportPlot(format, options = {}) {
        const { data, savedName } = get();
        if (!data) return;
        set({ exporting: true, message: null });
        try {
          const { file } = await exportOne(savedName ?? data.spec.variable, data, format, options);
          set({ message: `Wrote ${file}`, error: get().data ? null : get().error });
        } catch (error) {
          set({ error: (error as Error).message });
        } finally {
          set({ exporting: false });
        }
      },
      async exportAll(format, options = {}) {
        set({ exporting: true, message: null });
        let dir: string | undefined;
        const failed: string[] = [];
        let written = 0;
        try {
          for (const plot of get().saved.filter((p) => p.enabled)) {
            try {
              // A plot drawn for each case (each: case) is a figure per case, <plot>/<pset_id>.
              const { plots: figures } = await engine.request('plot.cases', { name: plot.name, spec: plot.raw });
              for (const figure of figures) {
                const data = await engine.request('plot.data', { spec: figure.spec });
                ({ dir } = await exportOne(figure.name, data, format, options, dir));
                written++;
              }
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
