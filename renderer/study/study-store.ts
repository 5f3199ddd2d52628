import { createStore } from 'zustand/vanilla';
import type { EngineClient } from '../../shared/api';
import { EngineRequestError } from '../../shared/api';
import type { StudySummary } from '../../shared/study';

export interface StudyState {
  study: StudySummary | null;
  /** Why the last open or create failed, in words for the app (no command line to type), and which it was. */
  error: string | null;
  failed: 'open' | 'create' | null;
  /** The folder the failed open named, when a new study could be made there instead. */
  canCreateIn: string | null;
  loading: boolean;
  /** The bundled examples a new study can start from. */
  examples: { name: string; description: string }[];
  /** Study folders opened before, the last first. */
  recent: string[];
  loadExamples(): Promise<void>;
  loadRecent(): Promise<void>;
  open(dir: string): Promise<void>;
  /** A new study in `dir` (new or empty) from a bundled example (its parameters from a paramspace file), opened. */
  create(dir: string, example: string, paramSpace?: string): Promise<void>;
  refresh(): Promise<void>;
  opened(study: StudySummary): void;
  clearError(): void;
}

const RECENT_KEY = 'furrow.recent-studies';
const MAX_RECENT = 10;

/** The browser keeps its own list (per `furrow serve` address); the desktop app's is its File → Open Recent. */
function storedRecent(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

/** Why a folder did not open, as the app says it, and the folder a study could be made in (the engine's reason). */
export function openFailure(error: unknown, dir: string): { text: string; canCreateIn: string | null } {
  const reason = error instanceof EngineRequestError ? error.info.reason : undefined;
  if (reason === 'no-folder') return { text: `There is no folder ${dir}.`, canCreateIn: dir };
  if (reason === 'no-study-file')
    return { text: `${dir} has no study.yaml: it is not a study folder yet.`, canCreateIn: dir };
  return { text: (error as Error).message, canCreateIn: null };
}

export function createStudyStore(engine: EngineClient) {
  return createStore<StudyState>()((set, get) => ({
    study: null,
    error: null,
    failed: null,
    canCreateIn: null,
    loading: false,
    examples: [],
    recent: [],
    async loadExamples() {
      set({ examples: await engine.request('study.examples', {}).catch(() => []) });
    },
    async loadRecent() {
      const desktop = window.furrowDesktop;
      const list = desktop ? await desktop.recentStudies().catch(() => storedRecent()) : storedRecent();
      set({ recent: list });
    },
    async open(dir) {
      set({ loading: true, error: null, failed: null, canCreateIn: null });
      try {
        // The engine answers with the summary and also announces `study.opened` to every window.
        get().opened(await engine.request('study.open', { dir }));
      } catch (error) {
        const { text, canCreateIn } = openFailure(error, dir);
        set({ error: text, failed: 'open', canCreateIn, loading: false });
      }
    },
    async create(dir, example, paramSpace) {
      set({ loading: true, error: null, failed: null, canCreateIn: null });
      try {
        const params = { dir, example, ...(paramSpace ? { paramSpace } : {}) };
        get().opened(await engine.request('study.create', params));
      } catch (error) {
        set({ error: (error as Error).message, failed: 'create', loading: false });
      }
    },
    async refresh() {
      try {
        const study = await engine.request('study.current', {});
        if (study) get().opened(study);
        else set({ study: null });
      } catch (error) {
        set({ error: (error as Error).message });
      }
    },
    opened(study) {
      const recent = [study.dir, ...get().recent.filter((d) => d !== study.dir)].slice(0, MAX_RECENT);
      if (!window.furrowDesktop) {
        try {
          localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
        } catch {
          // storage refused (a private window): the list lasts as long as the page
        }
      }
      set({ study, error: null, failed: null, canCreateIn: null, loading: false, recent });
    },
    clearError: () => set({ error: null, failed: null, canCreateIn: null }),
  }));
}
