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
export type CaseStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

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

export interface NewCase {
  psetId: string;
  psetHash: string;
  params: Record<string, Scalar>;
  calcDir: string | null;
}

export interface CaseUpdate {
  /** The case's row: `_pset_seq`, which startRun hands out. */
  seq: number;
  status: CaseStatus;
  timeUtc?: string;
  runtimeS?: number;
  error?: string;
  /** Scalar outputs, each stored in a column of its own. */
  outputs?: Record<string, Scalar | null>;
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

  /** Record a new run and its cases, all pending, in one transaction. */
  /** Returns the `_pset_seq` of the first case; the others follow in order. */
  startRun(run: { runId: string; studyYaml: string; cases: NewCase[]; skipped: number }): number {
    const params = new Set(run.cases.flatMap((c) => Object.keys(c.params)));
    return this.db
      .transaction(() => {
        this.ensureColumns(params);
        const runSeq = ((this.db.prepare('SELECT MAX(run_seq) FROM runs').pluck().get() as number | null) ?? 0) + 1;
        let psetSeq = (this.db.prepare('SELECT MAX(_pset_seq) FROM psets').pluck().get() as number | null) ?? 0;
        const firstSeq = psetSeq + 1;
        this.db
          .prepare(
            `INSERT INTO runs (run_id, run_seq, started_utc, host, status, cases, skipped, study) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`,
          )
          .run(
            run.runId,
            runSeq,
            new Date().toISOString(),
            os.hostname(),
            run.cases.length,
            run.skipped,
            run.studyYaml,
          );
        const names = [...params];
        const insert = this.db.prepare(
          `INSERT INTO psets (_pset_id, _pset_hash, _run_id, _run_seq, _pset_seq, _calc_dir, _status, _params${names.map((n) => `, ${quote(n)}`).join('')})
           VALUES (?, ?, ?, ?, ?, ?, 'pending', ?${names.map(() => ', ?').join('')})`,
        );
        for (const c of run.cases) {
          insert.run(
            c.psetId,
            c.psetHash,
            run.runId,
            runSeq,
            ++psetSeq,
            c.calcDir,
            JSON.stringify(c.params),
            ...names.map((n) => columnValue(c.params[n])),
          );
        }
        return firstSeq;
      })
      .immediate();
  }

  private readonly updates = new Map<string, Database.Statement>();

  /** The UPDATE for a set of output columns, prepared once. */
  private updateStatement(outputs: string[]): Database.Statement {
    const key = outputs.join('\u0000');
    let statement = this.updates.get(key);
    if (!statement) {
      statement = this.db.prepare(
        `UPDATE psets SET _status = ?, _time_utc = COALESCE(?, _time_utc), _exec_host = ?, _runtime_s = COALESCE(?, _runtime_s),
         _error = COALESCE(?, _error)${outputs.map((n) => `, ${quote(n)} = ?`).join('')} WHERE _pset_seq = ?`,
      );
      this.updates.set(key, statement);
    }
    return statement;
  }

  /** Apply a batch of case updates in one transaction. */
  updateCases(updates: CaseUpdate[]): void {
    if (updates.length === 0) return;
    const host = os.hostname();
    this.db
      .transaction(() => {
        this.ensureColumns(new Set(updates.flatMap((u) => Object.keys(u.outputs ?? {}))));
        for (const u of updates) {
          const outputs = Object.keys(u.outputs ?? {});
          this.updateStatement(outputs).run(
            u.status,
            u.timeUtc ?? null,
            host,
            u.runtimeS ?? null,
            u.error ?? null,
            ...outputs.map((n) => columnValue(u.outputs![n])),
            u.seq,
          );
        }
      })
      .immediate();
  }

  /** Close a run: counts from its cases; cases still pending or running become cancelled. */
  finishRun(runId: string, status: 'done' | 'failed' | 'cancelled'): void {
    this.db
      .transaction(() => {
        this.db
          .prepare(`UPDATE psets SET _status = 'cancelled' WHERE _run_id = ? AND _status IN ('pending', 'running')`)
          .run(runId);
        const count = (s: CaseStatus) =>
          this.db
            .prepare('SELECT COUNT(*) FROM psets WHERE _run_id = ? AND _status = ?')
            .pluck()
            .get(runId, s) as number;
        this.db
          .prepare(`UPDATE runs SET finished_utc = ?, status = ?, done = ?, failed = ?, cancelled = ? WHERE run_id = ?`)
          .run(new Date().toISOString(), status, count('done'), count('failed'), count('cancelled'), runId);
      })
      .immediate();
  }
}
