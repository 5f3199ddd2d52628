import { createStore } from 'zustand/vanilla';
import type { ArraySlice, DatasetInfo, EngineClient } from '../../shared/api';

export interface PlotState {
  /** The file plotted: null for the study's dataset, else any HDF5/NetCDF file opened (File → Open Data File…). */
  file: string | null;
  info: DatasetInfo | null;
  variable: string | null;
  /** The dim along the x axis, and the dim drawn as one line per value (or null). */
  x: string | null;
  hue: string | null;
  /** The index each remaining dim is fixed at. */
  fixed: Record<string, number>;
  slice: ArraySlice | null;
  error: string | null;
  load(hasDataset: boolean): Promise<void>;
  openFile(file: string | null): Promise<void>;
  choose(change: Partial<Pick<PlotState, 'variable' | 'x' | 'hue' | 'fixed'>>): Promise<void>;
}

export function createPlotStore(engine: EngineClient) {
  /** Read the slice a choice of variable, x, hue and fixed indices asks for. */
  let file: string | null = null;
  /** Whether the study has a dataset yet, as the study last said. */
  let studyHasDataset = false;
  const where = () => (file ? { file } : {});
  const read = async (choice: Pick<PlotState, 'info' | 'variable' | 'x' | 'hue' | 'fixed'>) => {
    const v = choice.info?.variables.find((candidate) => candidate.name === choice.variable);
    if (!v || !choice.x) return null;
    const select: Record<string, number> = {};
    for (const dim of v.dims) if (dim !== choice.x && dim !== choice.hue) select[dim] = choice.fixed[dim] ?? 0;
    return engine.request('dataset.read', { ...where(), variable: v.name, select });
  };
  /** Show a choice only together with its slice, so axes and data never disagree. */
  const show = async (
    set: (s: Partial<PlotState>) => void,
    choice: Pick<PlotState, 'info' | 'variable' | 'x' | 'hue' | 'fixed'>,
  ) => {
    try {
      set({ ...choice, slice: await read(choice), error: null });
    } catch (error) {
      set({ ...choice, slice: null, error: (error as Error).message });
    }
  };

  return createStore<PlotState>()((set, get) => ({
    file: null,
    info: null,
    variable: null,
    x: null,
    hue: null,
    fixed: {},
    slice: null,
    error: null,
    async openFile(next) {
      file = next;
      set({ file: next, fixed: {}, error: null });
      await get().load(studyHasDataset);
    },
    async load(hasDataset) {
      studyHasDataset = hasDataset;
      if (!hasDataset && !file) return set({ info: null, slice: null, variable: null, x: null, hue: null });
      try {
        const info = await engine.request('dataset.describe', where());
        const keep = info.variables.find((v) => v.name === get().variable);
        const variable = keep ?? info.variables[0];
        const dims = variable?.dims ?? [];
        const x = keep && get().x && dims.includes(get().x!) ? get().x : (dims[0] ?? null);
        const hue = keep && get().hue && dims.includes(get().hue!) ? get().hue : (dims.find((d) => d !== x) ?? null);
        await show(set, { info, variable: variable?.name ?? null, x, hue, fixed: get().fixed });
      } catch (error) {
        set({ error: (error as Error).message, info: null, slice: null });
      }
    },
    async choose(change) {
      const next = { ...get(), ...change };
      const dims = next.info?.variables.find((v) => v.name === next.variable)?.dims ?? [];
      if (!next.x || !dims.includes(next.x)) next.x = dims[0] ?? null;
      if (next.hue && (!dims.includes(next.hue) || next.hue === next.x)) next.hue = null;
      await show(set, { info: next.info, variable: next.variable, x: next.x, hue: next.hue, fixed: next.fixed });
    },
  }));
}
