import { createStore } from 'zustand/vanilla';
import type { ArraySlice, DatasetInfo, EngineClient } from '../../shared/api';

export interface PlotState {
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
  choose(change: Partial<Pick<PlotState, 'variable' | 'x' | 'hue' | 'fixed'>>): Promise<void>;
}

export function createPlotStore(engine: EngineClient) {
  const read = async (get: () => PlotState, set: (s: Partial<PlotState>) => void) => {
    const { info, variable, x, hue, fixed } = get();
    const v = info?.variables.find((candidate) => candidate.name === variable);
    if (!v || !x) return set({ slice: null });
    const select: Record<string, number> = {};
    for (const dim of v.dims) if (dim !== x && dim !== hue) select[dim] = fixed[dim] ?? 0;
    try {
      set({ slice: await engine.request('dataset.read', { variable: v.name, select }), error: null });
    } catch (error) {
      set({ error: (error as Error).message, slice: null });
    }
  };

  return createStore<PlotState>()((set, get) => ({
    info: null,
    variable: null,
    x: null,
    hue: null,
    fixed: {},
    slice: null,
    error: null,
    async load(hasDataset) {
      if (!hasDataset) return set({ info: null, slice: null, variable: null, x: null, hue: null });
      try {
        const info = await engine.request('dataset.describe', {});
        const keep = info.variables.find((v) => v.name === get().variable);
        const variable = keep ?? info.variables[0];
        const dims = variable?.dims ?? [];
        const x = keep && get().x && dims.includes(get().x!) ? get().x : (dims[0] ?? null);
        const hue = keep && get().hue && dims.includes(get().hue!) ? get().hue : (dims.find((d) => d !== x) ?? null);
        set({ info, variable: variable?.name ?? null, x, hue, error: null });
        await read(get, set);
      } catch (error) {
        set({ error: (error as Error).message, info: null, slice: null });
      }
    },
    async choose(change) {
      const next = { ...get(), ...change };
      const dims = next.info?.variables.find((v) => v.name === next.variable)?.dims ?? [];
      if (!next.x || !dims.includes(next.x)) next.x = dims[0] ?? null;
      if (next.hue && (!dims.includes(next.hue) || next.hue === next.x)) next.hue = null;
      set({ variable: next.variable, x: next.x, hue: next.hue, fixed: next.fixed });
      await read(get, set);
    },
  }));
}
