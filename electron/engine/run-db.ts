// The run database (runs.sqlite): a row per run and a row per case of every run, with psweep's columns
// (_pset_id, _pset_hash, _run_id, _run_seq, _pset_seq, _calc_dir, _time_utc, _exec_host, _runtime_s,
// _status, _error), the parameters, and the scalar outputs as columns of their own to sort and filter on.
// WAL, a busy timeout and BEGIN IMMEDIATE let several processes write it (a run and a cluster reap, say).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Scalar } from '../../shared/space';
import { FurrowError } from './errors';

export const RUN_DB = 'runs.sqlite';
/**
 * A case's row is written once, when it has finished, so a row is never pending or running: the cases in
 * flight are the run's `cases` minus its counts, which the runs row keeps current while the run goes on.
 */
export type CaseStatus = 'done' | 'failed' | 'cancelled';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  run_seq INTEGER NOT NULL UNIQUE,
  started_utc TEXT NOT NULL,
  finished_utc TEXT,
  host TEXT NOT NULL,
  status TEXT NOT NULL,
  cases INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  cancelled INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  study TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS psets (
  _pset_seq INTEGER PRIMARY KEY,
  _pset_id TEXT NOT NULL,
  _pset_hash TEXT NOT NULL,
  _run_id TEXT NOT NULL REFERENCES runs(run_id),
  _run_seq INTEGER NOT NULL,
  _calc_dir TEXT,
  _time_utc TEXT,
  _exec_host TEXT,
  _runtime_s REAL,
  _status TEXT NOT NULL,
  _error TEXT,
  _params TEXT NOT NULL
);
`;

/** A finished case, as it is recorded: one row, written once. */
export interface CaseRecord {
  psetId: string;
  psetHash: string;
  params: Record<string, Scalar>;
  calcDir: string | null;
  status: CaseStatus;
  timeUtc?: string;
  /** The host that ran it, when not this one (a crop grown on a cluster). */
  host?: string;
  runtimeS?: number;
  error?: string;
  /** Scalar outputs, each stored in a column of its own. */
  outputs?: Record<string, Scalar | null>;
}

export interface RunCounts {
  done: number;
  failed: number;
  cancelled: number;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const columnValue = (v: Scalar | null | undefined) => (typeof v === 'boolean' ? Number(v) : (v ?? null));

export class RunDb {
  readonly db: Database.Database;
  private readonly columns: Set<string>;

  private constructor(
    readonly file: string,
    readonly: boolean,
  ) {
    try {
      this.db = new Database(file, { readonly, fileMustExist: readonly, timeout: 10_000 });
      if (!readonly) {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = NORMAL');
        this.db.exec(SCHEMA);
      }
    } catch (error) {
      throw new FurrowError('bad-input', `${file}: cannot open the run database (${(error as Error).message})`);
    }
    this.columns = new Set((this.db.pragma('table_info(psets)') as { name: string }[]).map((c) => c.name));
  }

  /** The study's database, created when missing. */
  static open(studyDir: string): RunDb {
    return new RunDb(path.join(studyDir, RUN_DB), false);
  }

  /** A run database at any path (the library's Sampler keeps its table in one), created when missing. */
  static openFile(file: string): RunDb {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return new RunDb(file, false);
  }

  /** The study's database for reading, or null when the study has none yet (nothing is created). */
  static openReadOnly(studyDir: string): RunDb | null {
    const file = path.join(studyDir, RUN_DB);
    return fs.existsSync(file) ? new RunDb(file, true) : null;
  }

  close(): void {
    this.db.close();
  }

  /** A consistent copy of the database, safe while others write (SQLite's VACUUM INTO). */
  copyTo(file: string): void {
    this.db.prepare('VACUUM INTO ?').run(file);
  }

  private ensureColumns(names: Iterable<string>): void {
    for (const name of names) {
      if (this.columns.has(name)) continue;
      this.db.exec(`ALTER TABLE psets ADD COLUMN ${quote(name)}`);
      this.columns.add(name);
    }
  }

  /**
   * The hashes of cases whose latest record has this status. One pass in row order: rows are only ever
   * appended, and psets carries no secondary index, which keeps recording a case cheap.
   */
  hashesWithStatus(status: CaseStatus): Set<string> {
    const latest = new Map<string, string>();
    for (const row of this.db.prepare('SELECT _pset_hash, _status FROM psets ORDER BY _pset_seq').raw().iterate()) {
      const [hash, s] = row as [string, string];
      latest.set(hash, s);
    }
    return new Set([...latest].filter(([, s]) => s === status).map(([h]) => h));
  }

  /** Hashes that have been done in any run. */
  doneHashes(): Set<string> {
    return new Set(
      this.db.prepare(`SELECT DISTINCT _pset_hash FROM psets WHERE _status = 'done'`).pluck().all() as string[],
    );
  }

  /**
   * Record a new run; its cases are recorded as they finish (recordCases). A row per case is written once,
   * with its outcome: a case has no row until it is done, failed or cancelled, so a run killed midway leaves
   * no case that looks done without its results in the dataset. Returns the run's `run_seq`.
   */
  startRun(run: { runId: string; studyYaml: string; cases: number; skipped: number }): number {
    return this.db
      .transaction(() => {
        const runSeq = ((this.db.prepare('SELECT MAX(run_seq) FROM runs').pluck().get() as number | null) ?? 0) + 1;
        this.db
          .prepare(
            `INSERT INTO runs (run_id, run_seq, started_utc, host, status, cases, skipped, study) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`,
          )
          .run(run.runId, runSeq, new Date().toISOString(), os.hostname(), run.cases, run.skipped, run.studyYaml);
        return runSeq;
      })
      .immediate();
  }

  private readonly inserts = new Map<string, Database.Statement>();

  /** The INSERT for a set of parameter and output columns, prepared once. */
  private insertStatement(columns: string[]): Database.Statement {
    const key = columns.join('\u0000');
    let statement = this.inserts.get(key);
    if (!statement) {
      this.ensureColumns(columns);
      statement = this.db.prepare(
        `INSERT INTO psets (_pset_id, _pset_hash, _run_id, _run_seq, _calc_dir, _time_utc, _exec_host, _runtime_s, _status, _error, _params${columns.map((n) => `, ${quote(n)}`).join('')})
         VALUES (${Array(11 + columns.length)
           .fill('?')
           .join(', ')})`,
      );
      this.inserts.set(key, statement);
    }
    return statement;
  }

  /** Record finished cases of a run in one transaction, in the order given. */
  recordCases(run: { runId: string; runSeq: number }, cases: CaseRecord[]): void {
    if (cases.length === 0) return;
    const host = os.hostname();
    this.db
      .transaction(() => {
        // The rows of a run mostly share their columns: the statement is looked up again only when they change.
        let columns: string[] = [];
        let statement: Database.Statement | null = null;
        for (const c of cases) {
          const params = Object.keys(c.params);
          const outputs = c.outputs ? Object.keys(c.outputs) : [];
          if (
            !statement ||
            columns.length !== params.length + outputs.length ||
            params.some((n, i) => columns[i] !== n) ||
            outputs.some((n, i) => columns[params.length + i] !== n)
          ) {
            columns = [...params, ...outputs];
            statement = this.insertStatement(columns);
          }
          const values: unknown[] = [
            c.psetId,
            c.psetHash,
            run.runId,
            run.runSeq,
            c.calcDir,
            c.timeUtc ?? null,
            c.host ?? host,
            c.runtimeS ?? null,
            c.status,
            c.error ?? null,
            JSON.stringify(c.params),
          ];
          for (const n of params) values.push(columnValue(c.params[n]));
          for (const n of outputs) values.push(columnValue(c.outputs![n]));
          statement.run(values);
        }
      })
      .immediate();
  }

  /** Keep the runs row's counts current while the run goes on, for anyone watching the database. */
  countRun(runId: string, counts: RunCounts): void {
    this.db
      .prepare(`UPDATE runs SET done = ?, failed = ?, cancelled = ? WHERE run_id = ?`)
      .run(counts.done, counts.failed, counts.cancelled, runId);
  }

  /** Close a run with the counts of its recorded cases. */
  finishRun(runId: string, status: 'done' | 'failed' | 'cancelled', counts: RunCounts): void {
    this.db
      .prepare(`UPDATE runs SET finished_utc = ?, status = ?, done = ?, failed = ?, cancelled = ? WHERE run_id = ?`)
      .run(new Date().toISOString(), status, counts.done, counts.failed, counts.cancelled, runId);
  }
}
