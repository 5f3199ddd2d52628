import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../shared/api';
import type { StudySummary } from '../../shared/study';

export interface StudyState {
  study: StudySummary | null;
  /** Why the last open failed, in the engine's words (file, line, field). */
  error: string | null;
  loading: boolean;
  open(dir: string): Promise<void>;
  refresh(): Promise<void>;
  opened(study: StudySummary): void;
}

export function createStudyStore(engine: EngineClient) {
  return createStore<StudyState>()((set) => ({
    study: null,
    error: null,
    loading: false,
    async open(dir) {
      set({ loading: true, error: null });
      try {
        // The engine answers with the summary and also announces `study.opened` to every window.
        set({ study: await engine.request('study.open', { dir }), loading: false });
      } catch (error) {
        set({ error: (error as Error).message, loading: false });
      }
    },
    async refresh() {
      try {
        set({ study: await engine.request('study.current', {}), error: null });
      } catch (error) {
        set({ error: (error as Error).message });
      }
    },
    opened(study) {
      set({ study, error: null, loading: false });
    },
  }));
}
