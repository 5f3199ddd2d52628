import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../shared/api';
import type { StudySummary } from '../../shared/study';

export interface StudyState {
  study: StudySummary | null;
  /** Why the last open failed, in the engine's words (file, line, field). */
  error: string | null;
  loading: boolean;
  /** The bundled examples a new study can start from. */
  examples: string[];
  loadExamples(): Promise<void>;
  open(dir: string): Promise<void>;
  /** A new study in `dir` (new or empty) from a bundled example (its parameters from a paramspace file), opened. */
  create(dir: string, example: string, paramSpace?: string): Promise<void>;
  refresh(): Promise<void>;
  opened(study: StudySummary): void;
}

export function createStudyStore(engine: EngineClient) {
  return createStore<StudyState>()((set) => ({
    study: null,
    error: null,
    loading: false,
    examples: [],
    async loadExamples() {
      set({ examples: await engine.request('study.examples', {}).catch(() => []) });
    },
    async open(dir) {
      set({ loading: true, error: null });
      try {
        // The engine answers with the summary and also announces `study.opened` to every window.
        set({ study: await engine.request('study.open', { dir }), loading: false });
      } catch (error) {
        set({ error: (error as Error).message, loading: false });
      }
    },
    async create(dir, example, paramSpace) {
      set({ loading: true, error: null });
      try {
        const params = { dir, example, ...(paramSpace ? { paramSpace } : {}) };
        set({ study: await engine.request('study.create', params), loading: false });
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
