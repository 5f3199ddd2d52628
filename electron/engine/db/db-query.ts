// Reading the run database for people: pages of the cases table sorted and filtered (the app's table), the same
// as CSV (the app's export and `furrow db --format csv`), and the runs. The database is opened read-only, so a
// condition can filter but never change anything; it stays one statement (SQLite compiles one at a time).
import type { CaseColumn, CasesPage, CasesQuery, RunRecord } from '../../../shared/api';
import { casesQuerySchema } from '../../../shared/api';
import { inListOf } from '../../../shared/case-filter';
import { FurrowError } from '../errors';
import type { RunDb } from './run-db';
import { LATER_RUN_COLUMNS, quote, RUN_COLUMNS } from './schema';

const tableColumns = (db: RunDb) => (db.db.pragma('table_info(psets)') as { name: string }[]).map((c) => c.name);

/** The columns shown: the run's, then parameters and outputs as the table has them (outputs named by `outputs`). */
export function caseColumns(db: RunDb, outputs: Set<string>): CaseColumn[] {
  const all = tableColumns(db);
  const own = all.filter((c) => !c.startsWith('_'));
  return [
    ...RUN_COLUMNS.filter((c) => all.includes(c)).map((name) => ({ name, kind: 'run' as const })),
    ...own.filter((c) => !outputs.has(c)).map((name) => ({ name, kind: 'param' as const })),
    ...own.filter((c) => outputs.has(c)).map((name) => ({ name, kind: 'output' as const })),
  ];
}

const NUMBER = String.raw`-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?`;

/**
 * One column's filter as SQL: a comparison with a number (`> 3`), a range (`0.1..0.5`, both ends included: what
 * brushing an axis of the parallel coordinates gives), exact values (`in: a, b`, `= a`), or text the cell contains.
 */
function filterSql(column: string, text: string, args: unknown[]): string | null {
  const t = text.trim();
  if (t === '') return null;
  const list = inListOf(t);
  if (list) {
    // Each value as text, and as a number too when it reads as one (a number cell equals no text).
    const marks = list.flatMap((v) => {
      args.push(v);
      if (!new RegExp(`^${NUMBER}$`, 'i').test(v)) return ['?'];
      args.push(Number(v));
      return ['?', '?'];
    });
    return `${quote(column)} IN (${marks.join(', ')})`;
  }
  const range = new RegExp(`^(${NUMBER})\\s*\\.\\.\\s*(${NUMBER})$`, 'i').exec(t);
  if (range) {
    args.push(Number(range[1]), Number(range[2]));
    return `${quote(column)} BETWEEN ? AND ?`;
  }
  const m = new RegExp(`^(<=|>=|!=|<>|=|<|>)\\s*(${NUMBER})$`, 'i').exec(t);
  if (m) {
    args.push(Number(m[2]));
    return `${quote(column)} ${m[1] === '<>' ? '!=' : m[1]} ?`;
  }
  const exact = /^=\s*([\s\S]+)$/.exec(t);
  if (exact) {
    args.push(exact[1]!.trim());
    return `${quote(column)} = ?`;
  }
  args.push(`%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return `CAST(${quote(column)} AS TEXT) LIKE ? ESCAPE '\\'`;
}

/**
 * Each case's latest attempt: of the rows with the same `_pset_hash`, the one with the largest `_pset_seq`. psets
 * has no index on `_pset_hash` (an index on (_pset_hash, _pset_seq) made recording a case three times dearer, for
 * half the time of this read), so SQLite groups the hashes in a temporary b-tree: about 0.3–0.7 s at 10^5 rows.
 */
const LATEST = '_pset_seq IN (SELECT MAX(_pset_seq) FROM psets GROUP BY _pset_hash)';

function whereClause(query: ReturnType<typeof casesQuerySchema.parse>, known: Set<string>, args: unknown[]): string {
  const parts: string[] = query.latest ? [LATEST] : [];
  for (const [column, text] of Object.entries(query.filters)) {
    if (!known.has(column))
      throw new FurrowError('bad-input', `filter on '${column}': the cases table has no such column`);
    const sql = filterSql(column, text, args);
    if (sql) parts.push(sql);
  }
  if (query.where?.trim()) parts.push(`(${query.where})`);
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

function orderClause(query: ReturnType<typeof casesQuerySchema.parse>, known: Set<string>): string {
  if (!query.sort) return 'ORDER BY _pset_seq';
  const { column, descending } = query.sort;
  if (!known.has(column)) throw new FurrowError('bad-input', `sort by '${column}': the cases table has no such column`);
  return `ORDER BY ${quote(column)} IS NULL, ${quote(column)} ${descending ? 'DESC' : 'ASC'}, _pset_seq`;
}

/** Run a query, turning SQL errors of the person's condition into a clear message. */
function prepared<T>(query: { where?: string | undefined }, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof FurrowError) throw error;
    throw new FurrowError(
      'bad-input',
      `the condition ${query.where ? `'${query.where}' ` : ''}does not work: ${(error as Error).message}`,
    );
  }
}

/** A query checked against the table's columns: its WHERE clause with its arguments, and its ORDER BY. */
function compile(
  db: RunDb,
  input: Omit<CasesQuery, 'offset' | 'limit'> & Partial<Pick<CasesQuery, 'offset' | 'limit'>>,
) {
  const query = casesQuerySchema.parse(input);
  const known = new Set(tableColumns(db));
  const args: unknown[] = [];
  const where = whereClause(query, known, args);
  return { query, where, args, order: orderClause(query, known) };
}

/** Each column's value as a person reads it: true and false in a column that holds booleans (stored 1 and 0). */
function shownAs(db: RunDb, columns: string[]): (v: unknown, j: number, params?: string) => unknown {
  const bools = db.readBoolColumns();
  const isBool = columns.map((c) => bools.has(c));
  return (v, j, params) => {
    if (!isBool[j] || (v !== 0 && v !== 1)) return v;
    // A parameter whose values mix kinds (`z: [1, true]`): its case's own value says which it was.
    const given = params === undefined ? undefined : (JSON.parse(params) as Record<string, unknown>)[columns[j]!];
    return given === undefined ? v === 1 : given;
  };
}

const cellOf = (v: unknown): string | number | null =>
  v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : String(v);

/** A page of the cases table: the rows of [offset, offset + limit) that pass the filters, in the chosen order. */
export function queryCases(db: RunDb | null, outputs: Set<string>, input: CasesQuery): CasesPage {
  if (!db) return { columns: [], total: 0, attempts: 0, offset: casesQuerySchema.parse(input).offset, rows: [] };
  const columns = caseColumns(db, outputs);
  const { query, where, args, order } = compile(db, input);
  const everyAttempt = query.latest ? compile(db, { ...input, latest: false }) : null;
  return prepared(query, () => {
    const count = (w: string, a: unknown[]) =>
      db.db
        .prepare(`SELECT COUNT(*) FROM psets ${w}`)
        .pluck()
        .get(...a) as number;
    const total = count(where, args);
    const attempts = everyAttempt ? count(everyAttempt.where, everyAttempt.args) : total;
    const rows = db.db
      .prepare(`SELECT ${columns.map((c) => quote(c.name)).join(', ')} FROM psets ${where} ${order} LIMIT ? OFFSET ?`)
      .raw()
      .all(...args, query.limit, query.offset) as unknown[][];
    const shown = shownAs(
      db,
      columns.map((c) => c.name),
    );
    return {
      columns,
      total,
      attempts,
      offset: query.offset,
      rows: rows.map((r) => r.map((v, j) => cellOf(shown(v, j)))),
    };
  });
}

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The cases that pass the filters as CSV: a header, then a line per case, every column but `_params`. */
export function casesCsv(db: RunDb, input: Omit<CasesQuery, 'offset' | 'limit'>): { csv: string; rows: number } {
  const shown = tableColumns(db).filter((c) => c !== '_params');
  const { query, where, args, order } = compile(db, input);
  return prepared(query, () => {
    const lines = [shown.map(csvField).join(',')];
    const statement = db.db.prepare(
      `SELECT ${[...shown, '_params'].map(quote).join(', ')} FROM psets ${where} ${order}`,
    );
    const as = shownAs(db, shown);
    for (const row of statement.raw().iterate(...args)) {
      const values = row as unknown[];
      const params = values.pop() as string;
      lines.push(values.map((v, j) => csvField(as(v, j, params))).join(','));
    }
    return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1 };
  });
}

/**
 * The numeric columns of the cases that pass the filters, column by column, for the parallel coordinates: at most
 * `max` cases, evenly spread over all of them when there are more.
 */
export function numericColumns(
  db: RunDb | null,
  outputs: Set<string>,
  input: Omit<CasesQuery, 'offset' | 'limit' | 'sort'> & { max: number },
): { columns: { name: string; kind: 'param' | 'output'; values: (number | null)[] }[]; total: number; shown: number } {
  if (!db) return { columns: [], total: 0, shown: 0 };
  const candidates = caseColumns(db, outputs).filter((c) => c.kind !== 'run');
  const { query, where, args } = compile(db, input);
  return prepared(query, () => {
    if (candidates.length === 0) return { columns: [], total: 0, shown: 0 };
    const rows = db.db
      .prepare(`SELECT ${candidates.map((c) => quote(c.name)).join(', ')} FROM psets ${where} ORDER BY _pset_seq`)
      .raw()
      .all(...args) as unknown[][];
    const step = Math.max(1, rows.length / input.max);
    const picked =
      rows.length <= input.max ? rows : Array.from({ length: input.max }, (_, i) => rows[Math.floor(i * step)]!);
    // A column holding text (or nothing) has no axis.
    const numeric = candidates.flatMap((c, j) => {
      const raw = picked.map((r) => r[j]);
      const ok = raw.some((v) => typeof v === 'number') && raw.every((v) => v === null || typeof v === 'number');
      return ok ? [{ name: c.name, kind: c.kind as 'param' | 'output', values: raw as (number | null)[] }] : [];
    });
    return { columns: numeric, total: rows.length, shown: picked.length };
  });
}

/** The run columns the parallel coordinates colour by (the status is an axis too). */
const LINE_RUN_COLUMNS = ['_status', '_run_seq', '_runtime_s', '_exec_host'];

/**
 * Every parameter and output column (text too) and the run columns of LINE_RUN_COLUMNS of the cases that pass the
 * condition, column by column, for the parallel coordinates: at most `max` cases, evenly spread when there are more.
 */
export function lineColumns(
  db: RunDb | null,
  outputs: Set<string>,
  input: Omit<CasesQuery, 'offset' | 'limit' | 'sort' | 'filters'> & { max: number },
): {
  columns: { name: string; kind: CaseColumn['kind']; values: (number | string | null)[] }[];
  total: number;
  shown: number;
} {
  if (!db) return { columns: [], total: 0, shown: 0 };
  const candidates = caseColumns(db, outputs).filter((c) => c.kind !== 'run' || LINE_RUN_COLUMNS.includes(c.name));
  const { query, where, args } = compile(db, { ...input, filters: {} });
  return prepared(query, () => {
    const total = db.db
      .prepare(`SELECT COUNT(*) FROM psets ${where}`)
      .pluck()
      .get(...args) as number;
    // An even spread in the order cases were recorded, as numericColumns spreads them; only the picked rows kept.
    const step = Math.max(1, total / input.max);
    const rows: unknown[][] = [];
    let n = 0;
    const statement = db.db.prepare(
      `SELECT ${candidates.map((c) => quote(c.name)).join(', ')} FROM psets ${where} ORDER BY _pset_seq`,
    );
    for (const row of statement.raw().iterate(...args)) {
      if (rows.length < input.max && n === Math.floor(rows.length * step)) rows.push(row as unknown[]);
      n++;
    }
    const columns = candidates.map((c, j) => ({ name: c.name, kind: c.kind, values: rows.map((r) => cellOf(r[j])) }));
    return { columns, total, shown: rows.length };
  });
}

/** The columns `furrow db` shows in a terminal: the run, the case's status, its parameters and outputs, its time, its error. */
export function terminalColumns(columns: string[]): string[] {
  const own = columns.filter((c) => !c.startsWith('_'));
  return ['_run_seq', '_pset_seq', '_status', ...own, '_runtime_s', '_error'];
}

/** A row of the cases table with its parameters as the object they are (`furrow db --format json`). */
export function withParams({ _params, ...row }: Record<string, unknown>): Record<string, unknown> {
  return { ...row, _params: JSON.parse(String(_params)) as unknown };
}

export interface CaseRows {
  /** Every column of the table, in its order. */
  columns: string[];
  /** A row object per case that passes the filters, in the order the cases were recorded. */
  rows: Record<string, unknown>[];
}

/** The cases that pass the filters, whole (`furrow db` as a table or JSON). */
export function caseRows(db: RunDb | null, input: Pick<CasesQuery, 'where' | 'filters' | 'latest'>): CaseRows {
  if (!db) return { columns: [], rows: [] };
  const { query, where, args } = compile(db, input);
  const bools = db.readBoolColumns();
  const shown = (row: Record<string, unknown>) => {
    if (bools.size === 0) return row;
    // A parameter whose values mix kinds (`z: [1, true]`): its case's own value says which it was.
    const params = JSON.parse(String(row['_params'])) as Record<string, unknown>;
    for (const c of bools) {
      if (row[c] !== 0 && row[c] !== 1) continue;
      row[c] = c in params ? params[c] : row[c] === 1;
    }
    return row;
  };
  return prepared(query, () => ({
    columns: tableColumns(db),
    rows: (
      db.db.prepare(`SELECT * FROM psets ${where} ORDER BY _pset_seq`).all(...args) as Record<string, unknown>[]
    ).map(shown),
  }));
}

type NumericInput = Omit<CasesQuery, 'offset' | 'limit' | 'sort'> & { max: number };

/** The reads of the cases table that may carry a person's condition, as data, so another process can make them. */
export type CasesRead =
  | { kind: 'page'; outputs: string[]; query: CasesQuery }
  | { kind: 'csv'; query: Omit<CasesQuery, 'offset' | 'limit'> }
  | { kind: 'numeric'; outputs: string[]; query: NumericInput }
  | { kind: 'lines'; outputs: string[]; query: Omit<NumericInput, 'filters'> }
  | { kind: 'rows'; query: Pick<CasesQuery, 'where' | 'filters' | 'latest'> };

export interface CasesReadResults {
  page: CasesPage;
  csv: { csv: string; rows: number };
  numeric: ReturnType<typeof numericColumns>;
  lines: ReturnType<typeof lineColumns>;
  rows: CaseRows;
}

/** Make one read; `db` is null before the study's first run. */
export function readCases<R extends CasesRead>(db: RunDb | null, read: R): CasesReadResults[R['kind']] {
  const answer = (): CasesReadResults[CasesRead['kind']] => {
    switch (read.kind) {
      case 'page':
        return queryCases(db, new Set(read.outputs), read.query);
      case 'csv':
        return db ? casesCsv(db, read.query) : { csv: '', rows: 0 };
      case 'numeric':
        return numericColumns(db, new Set(read.outputs), read.query);
      case 'lines':
        return lineColumns(db, new Set(read.outputs), read.query);
      case 'rows':
        return caseRows(db, read.query);
    }
  };
  return answer() as CasesReadResults[R['kind']];
}

/** Every run, newest first. A database made before the runs table had its later columns reads them as null. */
export function runHistory(db: RunDb | null): RunRecord[] {
  if (!db) return [];
  const has = new Set((db.db.pragma('table_info(runs)') as { name: string }[]).map((c) => c.name));
  const later = Object.keys(LATER_RUN_COLUMNS).map((c) => (has.has(c) ? c : `NULL AS ${c}`));
  const rows = db.db
    .prepare(
      `SELECT run_id, run_seq, started_utc, finished_utc, host, status, cases, done, failed, cancelled, skipped, ${later.join(', ')} FROM runs ORDER BY run_seq DESC`,
    )
    .all() as (Omit<RunRecord, 'undeclared'> & { undeclared: string | null })[];
  return rows.map((r) => ({ ...r, undeclared: r.undeclared ? (JSON.parse(r.undeclared) as string[]) : [] }));
}
