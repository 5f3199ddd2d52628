// The run database's cases table as the app shows it: the engine sorts, filters and pages (db.cases); this store
// keeps the query and the pages loaded so far, and asks for the pages that scroll into view.
import { createStore } from 'zustand/vanilla';
import type { CaseColumn, CasesQuery, EngineClient, Result } from '../../shared/api';

export const PAGE = 200;
type Row = (string | number | null)[];

export interface CasesState {
  columns: CaseColumn[];
  /** Cases that pass the filters. */
  total: number;
  sort: { column: string; descending: boolean } | null;
  filters: Record<string, string>;
  where: string;
  /** Loaded rows by their index in the filtered, sorted table. */
  rows: Map<number, Row>;
  hidden: Set<string>;
  loaded: boolean;
  error: string | null;
  /** The numeric columns for the parallel coordinates: narrowed by the SQL condition only, not the filters. */
  numeric: Result<'db.numeric'> | null;
  refresh(): Promise<void>;
  /** Read the numeric columns again (new cases, another condition). */
  loadNumeric(): Promise<void>;
  /** Load the pages holding rows first..last, if not loaded or loading. */
  ensure(first: number, last: number): void;
  sortBy(column: string): void;
  setFilter(column: string, text: string): void;
  setWhere(text: string): void;
  toggleColumn(name: string): void;
  exportCsv(): Promise<{ csv: string; rows: number }>;
}

/** Filters typed into the table wait this long for the next key before they query. */
const TYPING_MS = 250;

export function createCasesStore(engine: EngineClient) {
  // Each refresh starts a generation: pages of an older query that arrive late are dropped.
  let generation = 0;
  const loading = new Set<number>();
  let typing: ReturnType<typeof setTimeout> | undefined;
  let numericTyping: ReturnType<typeof setTimeout> | undefined;

  return createStore<CasesState>()((set, get) => {
    const query = (): Omit<CasesQuery, 'offset' | 'limit'> => {
      const { sort, filters, where } = get();
      return { ...(sort ? { sort } : {}), filters, ...(where.trim() ? { where } : {}) };
    };
    const loadPage = async (page: number, gen: number) => {
      loading.add(page);
      try {
        const result = await engine.request('db.cases', { ...query(), offset: page * PAGE, limit: PAGE });
        if (gen !== generation) return;
        const rows = new Map(get().rows);
        result.rows.forEach((row, i) => rows.set(result.offset + i, row));
        set({ columns: result.columns, total: result.total, rows, loaded: true, error: null });
      } catch (error) {
        if (gen === generation) set({ error: (error as Error).message, loaded: true });
      } finally {
        loading.delete(page);
      }
    };
    const requery = () => {
      clearTimeout(typing);
      typing = setTimeout(() => void get().refresh(), TYPING_MS);
    };
    return {
      columns: [],
      total: 0,
      sort: null,
      filters: {},
      where: '',
      rows: new Map(),
      hidden: new Set(['_time_utc', '_calc_dir']),
      loaded: false,
      error: null,
      numeric: null,
      async loadNumeric() {
        const where = get().where.trim();
        try {
          set({ numeric: await engine.request('db.numeric', { ...(where ? { where } : {}), max: 20_000 }) });
        } catch {
          set({ numeric: null }); // the table shows the condition's error
        }
      },
      async refresh() {
        generation++;
        loading.clear();
        set({ rows: new Map() });
        await loadPage(0, generation);
      },
      ensure(first, last) {
        const { rows, total } = get();
        for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page++) {
          if (page * PAGE >= total || loading.has(page) || rows.has(page * PAGE)) continue;
          void loadPage(page, generation);
        }
      },
      sortBy(column) {
        const { sort } = get();
        // Ascending, then descending, then back to the order cases were recorded in.
        const next =
          sort?.column !== column
            ? { column, descending: false }
            : sort.descending
              ? null
              : { column, descending: true };
        set({ sort: next });
        void get().refresh();
      },
      setFilter(column, text) {
        set({ filters: { ...get().filters, [column]: text } });
        requery();
      },
      setWhere(text) {
        set({ where: text });
        requery();
        clearTimeout(numericTyping);
        numericTyping = setTimeout(() => void get().loadNumeric(), TYPING_MS);
      },
      toggleColumn(name) {
        const hidden = new Set(get().hidden);
        if (hidden.has(name)) hidden.delete(name);
        else hidden.add(name);
        set({ hidden });
      },
      exportCsv: () => engine.request('db.export', query()),
    };
  });
}
