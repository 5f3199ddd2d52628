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
  // Only the last check asked for is shown: one asked before it (of the study before) may answer after it.
  let latest = 0;
  return createStore<SetupState>()((set) => ({
    report: null,
    checking: false,
    error: null,
    check: async () => {
      const asked = ++latest;
      set({ checking: true, error: null });
      try {
        const report = await engine.request('setup.check', {});
        if (asked === latest) set({ report, checking: false });
      } catch (error) {
        if (asked === latest) set({ error: (error as Error).message, checking: false });
      }
    },
  }));
}
