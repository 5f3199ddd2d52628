// The open study's crops and their batches, from the engine (crop.list); refreshed when the engine says a crop
// changed, and every few seconds while a cluster has batches queued or running.
import { createStore } from 'zustand/vanilla';
import type { CropStatus, EngineClient, Params, Result } from '../../shared/api';
import { inAppWords } from '../app/app-words';

export interface CropState {
  crops: CropStatus[];
  /** Crops growing here now. */
  growing: Set<string>;
  error: string | null;
  /** The last job script written (a dry run shows it). */
  script: Result<'crop.submit'> | null;
  refresh(): Promise<void>;
  changed(name: string, growing: boolean): void;
  sow(params: Params<'crop.sow'>): Promise<boolean>;
  grow(name: string, workers?: number): Promise<void>;
  reap(params: Params<'crop.reap'>): Promise<void>;
  submit(params: Params<'crop.submit'>): Promise<void>;
  cancel(name: string): Promise<void>;
}

const POLL_MS = 3000;

/** `beforeSow`: sowing reads study.yaml, so unsaved edits are saved first (false: they could not be). */
export function createCropStore(engine: EngineClient, beforeSow: () => Promise<boolean> = async () => true) {
  let poll: ReturnType<typeof setTimeout> | undefined;
  return createStore<CropState>()((set, get) => {
    /** Run a request; its error is shown, and the crops are read again either way. */
    const act = async <T>(request: () => Promise<T>): Promise<T | null> => {
      try {
        const result = await request();
        set({ error: null });
        return result;
      } catch (error) {
        set({ error: inAppWords((error as Error).message) });
        return null;
      } finally {
        await get().refresh();
      }
    };
    return {
      crops: [],
      growing: new Set(),
      error: null,
      script: null,
      async refresh() {
        clearTimeout(poll);
        try {
          const crops = await engine.request('crop.list', {});
          set({ crops });
          // A cluster works on its own time: look again while any batch is queued or running there.
          if (crops.some((c) => c.counts.pending + c.counts.running > 0)) {
            poll = setTimeout(() => void get().refresh(), POLL_MS);
          }
        } catch (error) {
          set({ error: (error as Error).message });
        }
      },
      changed(name, growing) {
        const next = new Set(get().growing);
        if (growing) next.add(name);
        else next.delete(name);
        set({ growing: next });
        void get().refresh();
      },
      async sow(params) {
        if (!(await beforeSow())) return false;
        return (await act(() => engine.request('crop.sow', params))) !== null;
      },
      async grow(name, workers) {
        const started = await act(() => engine.request('crop.grow', { name, ...(workers ? { workers } : {}) }));
        if (started) set({ growing: new Set(get().growing).add(name) });
      },
      async reap(params) {
        await act(() => engine.request('crop.reap', params));
      },
      async submit(params) {
        const script = await act(() => engine.request('crop.submit', params));
        if (script) set({ script });
      },
      async cancel(name) {
        await act(() => engine.request('crop.cancel', { name }));
      },
    };
  });
}
