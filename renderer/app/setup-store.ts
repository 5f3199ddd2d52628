// Help → Check setup: the engine's setup check (what `furrow doctor` prints) of the open study, asked for when the
// dialog opens and again on "Check again".
import { createStore } from 'zustand/vanilla';
import type { EngineClient, SetupReport } from '../../shared/api';

export interface SetupState {
  report: SetupReport | null;
  checking: boolean;
  error: string | null;
  check(): Promise<void>;
}

export function createSetupStore(engine: EngineClient) {
  return createStore<SetupState>()((set) => ({
    report: null,
    checking: false,
    error: null,
    check: async () => {
      set({ checking: true, error: null });
      try {
        set({ report: await engine.request('setup.check', {}), checking: false });
      } catch (error) {
        set({ error: (error as Error).message, checking: false });
      }
    },
  }));
}
