// The run database's cases table as the app shows it: the engine sorts, filters and pages (db.cases); this store
// keeps the query and the pages loaded so far, and asks for the pages that scroll into view. A case run again has a
// row per attempt: unless every attempt is asked for, only its latest is shown (the engine's `latest`).
import { createStore } from 'zustand/vanilla';
import type { CaseColumn, CasesQuery, EngineClient } from '../../shared/api';
import type { LineColumn } from './parallel';

export const PAGE = 200;
type Row = (string | number | null)[];

export interface CasesState {
  columns: CaseColumn[];
  /** Cases that pass the filters. */
  total: number;
  sort: { column: string; descending: boolean } | null;
  filters: Record<string, string>;
  where: string;
  /** Every attempt of each case, or (false) only its latest. */
  allAttempts: boolean;
  /** The attempts that pass the filters, all of them (more than `total` when cases were run again). */
  attempts: number;
  /** Loaded rows by their index in the filtered, sorted table. */
  rows: Map<number, Row>;
  hidden: Set<string>;
  loaded: boolean;
  error: string | null;
  /**
   * The columns of the parallel coordinates' lines: narrowed by the SQL condition only (the column filters grey
   * lines, they do not take them away); an even spread of the cases when there are more than MAX_LINES.
   */
  lines: { columns: LineColumn[]; total: number; shown: number } | null;
  refresh(): Promise<void>;
  /** Read the lines again (new cases, another condition). */
  loadLines(): Promise<void>;
  /** Load the pages holding rows first..last, if not loaded or loading. */
  ensure(first: number, last: number): void;
  sortBy(column: string): void;
  setFilter(column: string, text: string): void;
  setWhere(text: string): void;
  setAllAttempts(all: boolean): void;
  toggleColumn(name: string): void;
  exportCsv(): Promise<{ csv: string; rows: number }>;
}

/** Filters typed into the table wait this long for the next key before they query. */
const TYPING_MS = 250;
/** The most lines drawn. */
export const MAX_LINES = 20_000;

/** The SQL condition and the attempts asked for: the person's condition, and the latest attempts unless all. */
function conditionOf(where: string, allAttempts: boolean): Pick<CasesQuery, 'where' | 'latest'> {
  const own = where.trim();
  return { ...(own ? { where: own } : {}), latest: !allAttempts };
}

export function createCasesStore(engine: EngineClient) {
  // Each refresh starts a generation: pages of an older query that arrive late are dropped.
  let generation = 0;
  const loading = new Set<number>();
  let typing: ReturnType<typeof setTimeout> | undefined;
  let linesTyping: ReturnType<typeof setTimeout> | undefined;
  let linesAsked = 0;

  return createStore<CasesState>()((set, get) => {
    const query = (): Omit<CasesQuery, 'offset' | 'limit'> => {
      const { sort, filters, where, allAttempts } = get();
      return { ...(sort ? { sort } : {}), filters, ...conditionOf(where, allAttempts) };
    };
    const loadPage = async (page: number, gen: number) => {
      loading.add(page);
      try {
        const result = await engine.request('db.cases', { ...query(), offset: page * PAGE, limit: PAGE });
        if (gen !== generation) return;
        const rows = new Map(get().rows);
        result.rows.forEach((row, i) => rows.set(result.offset + i, row));
        set({
          columns: result.columns,
          total: result.total,
          attempts: result.attempts,
          rows,
          loaded: true,
          error: null,
        });
      } catch (error) {
        // No rows to wait for: the table shows the reason, not rows of "…" from the query before.
        if (gen === generation)
          set({ error: (error as Error).message, loaded: true, total: 0, attempts: 0, rows: new Map() });
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
      allAttempts: false,
      attempts: 0,
      rows: new Map(),
      hidden: new Set(['_time_utc', '_calc_dir']),
      loaded: false,
      error: null,
      lines: null,
      async loadLines() {
        const mine = ++linesAsked;
        try {
          const lines = await engine.request('db.lines', {
            ...conditionOf(get().where, get().allAttempts),
            max: MAX_LINES,
          });
          if (mine === linesAsked) set({ lines });
        } catch {
          if (mine === linesAsked) set({ lines: null }); // the table shows the condition's error
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
        clearTimeout(linesTyping);
        linesTyping = setTimeout(() => void get().loadLines(), TYPING_MS);
      },
      setAllAttempts(all) {
        set({ allAttempts: all });
        void get().refresh();
        void get().loadLines();
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
