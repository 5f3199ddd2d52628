// The run database (runs.sqlite): a row per run and a row per case of every run, with psweep's columns
// (_pset_id, _pset_hash, _run_id, _run_seq, _pset_seq, _calc_dir, _time_utc, _exec_host, _runtime_s,
// _status, _error), the parameters, and the scalar outputs as columns of their own to sort and filter on.
// WAL, a busy timeout and BEGIN IMMEDIATE let several processes write it (a run and a cluster reap, say).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Scalar } from '../../../shared/space';
import { temporaryOf } from '../dataset/atomic-file';
import { asDiskError } from '../dataset/disk';
import { FurrowError } from '../errors';
import type { CaseStatus } from './schema';
import { DESIGN_ROW, LATER_RUN_COLUMNS, quote, RUN_DB, SAMPLE_ARRAYS, SCHEMA } from './schema';

/** A finished case, as it is recorded: one row, written once. */
export interface CaseRecord {
  psetId: string;
  psetHash: string;
  params: Record<string, Scalar>;
  /** `params` as JSON, when made already (by the case's worker). */
  paramsJson?: string;
  calcDir: string | null;
  status: CaseStatus;
  timeUtc?: string;
  /** The host that ran it, when not this one (a crop grown on a cluster). */
  host?: string;
  runtimeS?: number;
  error?: string;
  /** Scalar outputs, each stored in a column of its own. */
  outputs?: Record<string, Scalar | null>;
  /** The row of the run's design this case evaluated (a run of `furrow sample --design`). */
  designRow?: number;
  /** A sample's numeric outputs with dims of their own, kept in sample_arrays (schema.ts). */
  arrays?: Record<string, OwnDimsValues>;
}

/** An output's values over its own dims for one case: their sizes, and the values in C order. */
export interface OwnDimsValues {
  shape: number[];
  values: Float64Array;
}

/** A case of a design's runs as the analysis reads it: the design's row, the parameters, the output columns. */
export interface DesignCase {
  row: number;
  /** Its _pset_seq: where its outputs with dims of their own are found (ownDimsValues). */
  seq: number;
  params: Record<string, Scalar>;
  outputs: Record<string, Scalar | null>;
}

/** What became of a round's `storing` rows. */
export type RoundOutcome = { status: 'done' } | { status: 'failed' | 'conflict'; error: string };

/** A run as `furrow dataset resolve` finds it: its id and how many of its rows are `conflict`. */
export interface ConflictRun {
  runId: string;
  runSeq: number;
  status: string;
  conflicts: number;
}

export interface RunCounts {
  done: number;
  failed: number;
  cancelled: number;
}

/** A run's row as one who watches it from another process reads it (the app following a terminal's run). */
export interface RunRow {
  runId: string;
  cases: number;
  skipped: number;
  done: number;
  failed: number;
  startedUtc: string;
  status: string;
}

/** A case folder as the cases table records it: its last record's parameters (JSON) and status. */
export interface RecordedFolder {
  dir: string;
  params: string;
  status: string;
}

/** Rows written by one INSERT statement when they share their columns. */
const ROWS_PER_INSERT = 8;

/** Whether a case's row has these columns, in this order: its parameters, its outputs, then its design row, if any. */
function sameColumns(columns: string[], c: CaseRecord): boolean {
  let k = 0;
  for (const n in c.params) if (columns[k++] !== n) return false;
  for (const n in c.outputs) if (columns[k++] !== n) return false;
  if (c.designRow !== undefined && columns[k++] !== DESIGN_ROW) return false;
  return k === columns.length;
}

export class RunDb {
  readonly db: Database.Database;
  private columns: Set<string>;

  private constructor(
    readonly file: string,
    readonly: boolean,
    /**
     * A throwaway copy (`--simulate`): written by one process, worth no journal file and no wait for the disk. Its
     * rollback journal is kept in memory: better-sqlite3 opens every database in SQLite's defensive mode, which
     * refuses `journal_mode = OFF` without a word (the mode stays `delete`), and a journal is what rolls back a
     * write that fails (write() below).
     */
    scratch = false,
  ) {
    try {
      this.db = new Database(file, { readonly, fileMustExist: readonly, timeout: 10_000 });
      if (!readonly) {
        this.db.pragma(scratch ? 'journal_mode = MEMORY' : 'journal_mode = WAL');
        this.db.pragma(scratch ? 'synchronous = OFF' : 'synchronous = NORMAL');
        this.db.exec(SCHEMA);
        const runs = new Set((this.db.pragma('table_info(runs)') as { name: string }[]).map((c) => c.name));
        for (const [name, type] of Object.entries(LATER_RUN_COLUMNS)) {
          if (!runs.has(name)) this.db.exec(`ALTER TABLE runs ADD COLUMN ${name} ${type}`);
        }
      }
    } catch (error) {
      const disk = asDiskError(error, file, 'Nothing was recorded');
      if (disk !== error) throw disk;
      throw new FurrowError('bad-input', `${file}: cannot open the run database (${(error as Error).message})`);
    }
    this.columns = this.tableColumns();
    this.boolColumns = this.readBoolColumns();
  }

  private boolColumns: Set<string>;

  /** The psets columns that ever held a boolean (stored 1 or 0); none in a database made before they were named. */
  readBoolColumns(): Set<string> {
    const named = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'bool_columns'`);
    if (!named.get()) return new Set();
    return new Set(this.db.prepare('SELECT name FROM bool_columns').pluck().all() as string[]);
  }

  private tableColumns(): Set<string> {
    return new Set((this.db.pragma('table_info(psets)') as { name: string }[]).map((c) => c.name));
  }

  /**
   * A write of the database. One that fails (a full disk, say) is rolled back whole by SQLite, and so are the
   * columns it added: what this object remembers of the table is read again, and the error says where and why.
   * On a full disk it is tried once more after the write-ahead log gave back its room.
   */
  private write<T>(change: () => T): T {
    for (let tries = 1; ; tries++) {
      try {
        return change();
      } catch (error) {
        this.columns = this.tableColumns();
        this.boolColumns = this.readBoolColumns();
        this.inserts.clear();
        if (tries > 1 || (error as { code?: string }).code !== 'SQLITE_FULL') {
          throw asDiskError(error, this.file, 'What was recorded before stays');
        }
        this.giveBackLogRoom();
      }
    }
  }

  /**
   * Move the write-ahead log into the database and truncate it. The log holds each page changed since the last
   * checkpoint, once per write that changed it, and its file keeps the size it grew to: truncated, on a full disk,
   * that is room for the write to try once more. (SQLite reports `log: 0` after a truncation: no use asking.)
   */
  private giveBackLogRoom(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // The database file itself has no room for the log's pages: the second try fails and says so.
    }
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

  /** A throwaway copy of a run database (`furrow run --simulate`'s), created when missing. */
  static openScratch(file: string): RunDb {
    return new RunDb(file, false, true);
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
    // Whole or not at all: a copy cut short by a full disk must not pass for a backup.
    const tmp = temporaryOf(file, true);
    try {
      this.db.prepare('VACUUM INTO ?').run(tmp);
      fs.renameSync(tmp, file);
    } catch (error) {
      throw asDiskError(error, file, `No copy of ${this.file} was made, and it is unchanged`);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
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
  startRun(run: {
    runId: string;
    studyYaml: string;
    cases: number;
    skipped: number;
    design?: string;
    /** The model's own files: their hash, and the backups/<ts>/ folder their copy went into (null: none made). */
    model?: { hash: string; backup: string | null } | null;
    /** An adaptive run (`furrow adapt`) and what it learns (JSON): see LATER_RUN_COLUMNS. */
    adaptive?: string;
  }): number {
    return this.write(() =>
      this.db
        .transaction(() => {
          const runSeq = ((this.db.prepare('SELECT MAX(run_seq) FROM runs').pluck().get() as number | null) ?? 0) + 1;
          this.db
            .prepare(
              `INSERT INTO runs (run_id, run_seq, started_utc, host, status, cases, skipped, study, model_hash, model_backup, kind, settings)
               VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              run.runId,
              runSeq,
              new Date().toISOString(),
              os.hostname(),
              run.cases,
              run.skipped,
              run.studyYaml,
              run.model?.hash ?? null,
              run.model?.backup ?? null,
              run.adaptive === undefined ? null : 'adaptive',
              run.adaptive ?? null,
            );
          if (run.design !== undefined) {
            this.db.prepare('INSERT INTO designs (run_id, design) VALUES (?, ?)').run(run.runId, run.design);
          }
          return runSeq;
        })
        .immediate(),
    );
  }

  private readonly inserts = new Map<string, Database.Statement>();
  private lastSeq = 0;
  /** Per run, the pset_seq up to which settleRound has settled its rows. */
  private readonly settledUpTo = new Map<string, number>();

  /**
   * The INSERT of `rows` rows of a run with a set of parameter and output columns, prepared once. The run's id and
   * run_seq, the same in every row of it, are written into the statement: fewer values to bind per row.
   */
  private insertStatement(run: { runId: string; runSeq: number }, columns: string[], rows: number): Database.Statement {
    const key = `${rows}\u0000${run.runId}\u0000${run.runSeq}\u0000${columns.join('\u0000')}`;
    let statement = this.inserts.get(key);
    if (!statement) {
      this.ensureColumns(columns);
      const row = `(${Array(9 + columns.length)
        .fill('?')
        .join(', ')}, '${run.runId.replaceAll("'", "''")}', ${Math.trunc(run.runSeq)})`;
      statement = this.db.prepare(
        `INSERT INTO psets (_pset_id, _pset_hash, _calc_dir, _time_utc, _exec_host, _runtime_s, _status, _error, _params${columns.map((n) => `, ${quote(n)}`).join('')}, _run_id, _run_seq)
         VALUES ${Array(rows).fill(row).join(', ')}`,
      );
      this.inserts.set(key, statement);
    }
    return statement;
  }

  /** A value as its column holds it: a boolean as 1 or 0, its column named in bool_columns the first time. */
  private columnValue(column: string, v: Scalar | null | undefined): Scalar | null {
    if (typeof v !== 'boolean') return v ?? null;
    if (!this.boolColumns.has(column)) {
      this.db.prepare('INSERT OR IGNORE INTO bool_columns (name) VALUES (?)').run(column);
      this.boolColumns.add(column);
    }
    return Number(v);
  }

  /**
   * Record finished cases of a run in one transaction, in the order given. `cases` may make each row as it is asked
   * for; it is gone through again should the write be tried again.
   */
  recordCases(run: { runId: string; runSeq: number }, cases: Iterable<CaseRecord>): void {
    if (Array.isArray(cases) && cases.length === 0) return;
    const host = os.hostname();
    this.write(() =>
      this.db
        .transaction(() => {
          // Rows with the same columns (a run's mostly have) go ROWS_PER_INSERT to a statement: binding their values
          // costs the same, each statement's own cost is paid once for them all.
          let columns: string[] = [];
          let rows = 0;
          const values: unknown[] = [];
          const insert = () => {
            if (rows === 0) return;
            this.lastSeq = Number(this.insertStatement(run, columns, rows).run(values).lastInsertRowid);
            values.length = 0;
            rows = 0;
          };
          for (const c of cases) {
            if (!sameColumns(columns, c)) {
              insert();
              columns = [...Object.keys(c.params), ...(c.outputs ? Object.keys(c.outputs) : [])];
              if (c.designRow !== undefined) columns.push(DESIGN_ROW);
            }
            values.push(
              c.psetId,
              c.psetHash,
              c.calcDir,
              c.timeUtc ?? null,
              c.host ?? host,
              c.runtimeS ?? null,
              c.status,
              c.error ?? null,
              c.paramsJson ?? JSON.stringify(c.params),
            );
            for (const n in c.params) values.push(this.columnValue(n, c.params[n]));
            for (const n in c.outputs) values.push(this.columnValue(n, c.outputs[n]));
            if (c.designRow !== undefined) values.push(c.designRow);
            if (c.arrays) {
              // Its arrays are kept by its row's number: its INSERT ends with it, so lastInsertRowid is its own.
              rows++;
              insert();
              this.recordArrays(this.lastSeq, c.arrays);
            } else if (++rows === ROWS_PER_INSERT) insert();
          }
          insert();
        })
        .immediate(),
    );
  }

  private arrayStatement: Database.Statement | null = null;

  /** A sample case's outputs with their own dims, beside its row (in recordCases' transaction). */
  private recordArrays(psetSeq: number, arrays: Record<string, OwnDimsValues>): void {
    this.arrayStatement ??= this.db.prepare(
      `INSERT OR REPLACE INTO ${SAMPLE_ARRAYS} (pset_seq, output, shape, data) VALUES (?, ?, ?, ?)`,
    );
    for (const [output, { shape, values }] of Object.entries(arrays)) {
      this.arrayStatement.run(
        psetSeq,
        output,
        JSON.stringify(shape),
        Buffer.from(values.buffer, values.byteOffset, values.byteLength),
      );
    }
  }

  /** The hash of the model's files that the newest backup of them holds; null when none was ever made. */
  lastModelBackupHash(): string | null {
    return (
      (this.db
        .prepare('SELECT model_hash FROM runs WHERE model_backup IS NOT NULL ORDER BY run_seq DESC LIMIT 1')
        .pluck()
        .get() as string | undefined) ?? null
    );
  }

  /** The adaptive runs (`furrow adapt`) recorded, oldest first: each run's id and what it learned (JSON). */
  adaptiveRuns(): { runId: string; settings: string }[] {
    if (!this.runColumns().has('kind')) return [];
    return this.db
      .prepare(`SELECT run_id AS runId, settings FROM runs WHERE kind = 'adaptive' ORDER BY run_seq`)
      .all() as { runId: string; settings: string }[];
  }

  /**
   * The points these runs evaluated, in the order recorded: each done or failed case's hash, parameters (parsed) and
   * the value of `output` (null when it failed or has none).
   */
  evaluatedCases(
    runIds: string[],
    output: string,
  ): {
    psetHash: string;
    params: Record<string, Scalar>;
    status: 'done' | 'failed';
    value: Scalar | null;
    runSeq: number;
  }[] {
    const column = this.tableColumns().has(output) ? quote(output) : 'NULL';
    const rows = this.db
      .prepare(
        `SELECT _pset_hash, _params, _status, ${column}, _run_seq FROM psets
         WHERE _status IN ('done', 'failed') AND _run_id IN (${runIds.map(() => '?').join(', ')}) ORDER BY _pset_seq`,
      )
      .raw()
      .all(...runIds) as [string, string, 'done' | 'failed', Scalar | null, number][];
    return rows.map(([psetHash, params, status, value, runSeq]) => ({
      psetHash,
      params: JSON.parse(params) as Record<string, Scalar>,
      status,
      value,
      runSeq,
    }));
  }

  private runColumns(): Set<string> {
    return new Set((this.db.pragma('table_info(runs)') as { name: string }[]).map((c) => c.name));
  }

  /** Keep the runs row's counts current while the run goes on, for anyone watching the database. */
  countRun(
    runId: string,
    counts: RunCounts,
    /** An adaptive run's cases, known only as they are asked for. */ cases?: number,
  ): void {
    this.write(() =>
      this.db
        .prepare(`UPDATE runs SET done = ?, failed = ?, cancelled = ?, cases = COALESCE(?, cases) WHERE run_id = ?`)
        .run(counts.done, counts.failed, counts.cancelled, cases ?? null, runId),
    );
  }

  /** Close a run with the counts of its recorded cases. */
  finishRun(
    runId: string,
    status: 'done' | 'failed' | 'cancelled' | 'conflict' | 'simulated',
    counts: RunCounts,
    /** The undeclared scalars the model returned, kept as columns (undeclared.ts). */
    undeclared: string[] = [],
  ): void {
    this.write(() =>
      this.db
        .prepare(
          `UPDATE runs SET finished_utc = ?, status = ?, done = ?, failed = ?, cancelled = ?, undeclared = ? WHERE run_id = ?`,
        )
        .run(
          new Date().toISOString(),
          status,
          counts.done,
          counts.failed,
          counts.cancelled,
          undeclared.length ? JSON.stringify(undeclared) : null,
          runId,
        ),
    );
  }

  /**
   * A run's `storing` rows are in the dataset now (done), could not be stored (failed, with the reason), or were
   * refused by the dataset and kept in the run's side file (conflict, with the reason).
   */
  settleRound(runId: string, outcome: RoundOutcome, upTo: number): void {
    // Only the rows recorded since the run's last settled round: a range of the primary key, not a scan of every
    // row of the study at every round.
    const from = this.settledUpTo.get(runId) ?? 0;
    this.write(() =>
      this.db
        .prepare(
          `UPDATE psets SET _status = ?, _error = ?
           WHERE _pset_seq > ? AND _pset_seq <= ? AND _run_id = ? AND _status = 'storing'`,
        )
        .run(outcome.status, outcome.status === 'done' ? null : outcome.error, from, upTo, runId),
    );
    this.settledUpTo.set(runId, upTo);
  }

  /** The pset_seq of the last row recordCases wrote (0 before any). */
  get lastRecorded(): number {
    return this.lastSeq;
  }

  /**
   * After a run was killed (the caller holds the study's lock, so no run of it is going on): its `storing` rows
   * become done where `held` says the dataset holds their results and cancelled where it does not, and its runs
   * row, still `running`, becomes `interrupted` with the counts of what it recorded. Returns what it settled.
   */
  async settleInterrupted(
    held: (params: Record<string, Scalar>[]) => Promise<boolean[]>,
  ): Promise<{ done: number; cancelled: number; runs: number }> {
    const rows = this.db.prepare(`SELECT _pset_seq, _params FROM psets WHERE _status = 'storing'`).all() as {
      _pset_seq: number;
      _params: string;
    }[];
    const inDataset = rows.length ? await held(rows.map((r) => JSON.parse(r._params) as Record<string, Scalar>)) : [];
    return this.write(() =>
      this.db
        .transaction(() => {
          const settle = this.db.prepare(`UPDATE psets SET _status = ?, _error = ? WHERE _pset_seq = ?`);
          let done = 0;
          rows.forEach((r, i) => {
            if (inDataset[i]) done++;
            settle.run(
              inDataset[i] ? 'done' : 'cancelled',
              inDataset[i] ? null : 'the run was stopped before the results of this case were stored in the dataset',
              r._pset_seq,
            );
          });
          const runs = this.db
            .prepare(
              `UPDATE runs SET status = 'interrupted',
                 done = (SELECT COUNT(*) FROM psets p WHERE p._run_id = runs.run_id AND p._status = 'done'),
                 failed = (SELECT COUNT(*) FROM psets p WHERE p._run_id = runs.run_id AND p._status = 'failed'),
                 cancelled = (SELECT COUNT(*) FROM psets p WHERE p._run_id = runs.run_id AND p._status = 'cancelled')
               WHERE status = 'running'`,
            )
            .run().changes;
          return { done, cancelled: rows.length - done, runs };
        })
        .immediate(),
    );
  }

  /** The run `runSeq` and how many of its rows wait in conflict (null: no such run). */
  conflictRun(runSeq: number): ConflictRun | null {
    const row = this.db.prepare('SELECT run_id, status FROM runs WHERE run_seq = ?').get(runSeq) as
      { run_id: string; status: string } | undefined;
    if (!row) return null;
    const conflicts = this.db
      .prepare(`SELECT COUNT(*) FROM psets WHERE _run_seq = ? AND _status = 'conflict'`)
      .pluck()
      .get(runSeq) as number;
    return { runId: row.run_id, runSeq, status: row.status, conflicts };
  }

  /**
   * `furrow dataset resolve`: the run's `conflict` rows are in the dataset now (done, `note` saying how), and the
   * run is `resolved` with the counts of its rows. Returns how many rows it settled.
   */
  resolveConflicts(runSeq: number, note: string | null): number {
    return this.write(() =>
      this.db
        .transaction(() => {
          const settled = this.db
            .prepare(`UPDATE psets SET _status = 'done', _error = ? WHERE _run_seq = ? AND _status = 'conflict'`)
            .run(note, runSeq).changes;
          this.db
            .prepare(
              `UPDATE runs SET status = 'resolved',
                 done = (SELECT COUNT(*) FROM psets p WHERE p._run_id = runs.run_id AND p._status = 'done'),
                 failed = (SELECT COUNT(*) FROM psets p WHERE p._run_id = runs.run_id AND p._status = 'failed')
               WHERE run_seq = ?`,
            )
            .run(runSeq);
          return settled;
        })
        .immediate(),
    );
  }

  /** Whether any run was ever recorded (a first run has no database worth a backup). */
  hasRuns(): boolean {
    return (this.db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number) > 0;
  }

  /** The newest run still `running`, or the run `runId`; null when there is none. */
  latestRun(which: { running: true } | { runId: string }): RunRow | null {
    const where = 'running' in which ? `status = 'running'` : 'run_id = ?';
    const args = 'running' in which ? [] : [which.runId];
    const row = this.db
      .prepare(
        `SELECT run_id, cases, skipped, done, failed, started_utc, status FROM runs WHERE ${where} ORDER BY run_seq DESC LIMIT 1`,
      )
      .get(...args) as
      | {
          run_id: string;
          cases: number;
          skipped: number;
          done: number;
          failed: number;
          started_utc: string;
          status: string;
        }
      | undefined;
    if (!row) return null;
    const { run_id: runId, started_utc: startedUtc, ...counts } = row;
    return { runId, startedUtc, ...counts };
  }

  /** How many of a run's cases were recorded done after the row `afterSeq`, and the last such row (null: none). */
  doneSince(runId: string, afterSeq: number): { count: number; seq: number | null } {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n, MAX(_pset_seq) AS seq FROM psets WHERE _pset_seq > ? AND _run_id = ? AND _status = 'done'`,
      )
      .get(afterSeq, runId) as { n: number; seq: number | null };
    return { count: row.n, seq: row.seq };
  }

  /** The mean runtime of the cases done so far, in seconds (null before any). */
  meanRuntime(): number | null {
    return this.db.prepare(`SELECT AVG(_runtime_s) FROM psets WHERE _status = 'done'`).pluck().get() as number | null;
  }

  /** The number of the last case recorded (null before any): it changes with every record. */
  lastCaseSeq(): number | null {
    return (this.db.prepare('SELECT MAX(_pset_seq) FROM psets').pluck().get() as number | null) ?? null;
  }

  /** Every record of a case with a folder, in the order recorded. */
  recordedFolders(): RecordedFolder[] {
    return this.db
      .prepare(
        'SELECT _calc_dir AS dir, _params AS params, _status AS status FROM psets WHERE _calc_dir IS NOT NULL ORDER BY _pset_seq',
      )
      .all() as RecordedFolder[];
  }

  /** The folder (null for a module model's case) and parameters of every case recorded done, in order. */
  *doneCases(): Generator<{ calcDir: string | null; params: Record<string, unknown> }> {
    const rows = this.db
      .prepare(`SELECT _calc_dir, _params FROM psets WHERE _status = 'done' ORDER BY _pset_seq`)
      .raw()
      .iterate();
    for (const row of rows) {
      const [calcDir, json] = row as [string | null, string];
      yield { calcDir, params: calcDir === null ? {} : (JSON.parse(json) as Record<string, unknown>) };
    }
  }

  /** Every case recorded done, in order: its pset_id and its parameters (parsed). */
  *donePsets(): Generator<{ psetId: string; params: Record<string, unknown> }> {
    const rows = this.db
      .prepare(`SELECT _pset_id, _params FROM psets WHERE _status = 'done' ORDER BY _pset_seq`)
      .raw()
      .iterate();
    for (const row of rows) {
      const [psetId, json] = row as [string, string];
      yield { psetId, params: JSON.parse(json) as Record<string, unknown> };
    }
  }

  /** The folders of (at most `most` of) the cases that failed in a run, relative to the study. */
  failedCaseDirs(runId: string, most: number): string[] {
    return this.db
      .prepare(`SELECT _calc_dir FROM psets WHERE _run_id = ? AND _status = 'failed' AND _calc_dir IS NOT NULL LIMIT ?`)
      .pluck()
      .all(runId, most) as string[];
  }

  /** Throws when SQLite finds the file damaged (a quick check: no index is compared with its table). */
  quickCheck(): void {
    const found = this.db.pragma('quick_check') as { quick_check: string }[];
    if (found[0]?.quick_check !== 'ok') throw new Error(found.map((row) => row.quick_check).join('; '));
  }

  /** Every case recorded done, in order: its parameters (parsed) and its other own columns (the outputs). */
  doneRows(): { seq: number; params: Record<string, Scalar>; columns: Record<string, Scalar | null> }[] {
    const rows = this.db.prepare(`SELECT * FROM psets WHERE _status = 'done' ORDER BY _pset_seq`).all() as Record<
      string,
      Scalar | null
    >[];
    return rows.map((r) => ({
      seq: Number(r['_pset_seq']),
      params: JSON.parse(String(r['_params'])) as Record<string, Scalar>,
      columns: Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))),
    }));
  }

  /** The designs recorded (`furrow sample --design`), the latest run first: each run's id and its design (JSON). */
  designRuns(): { runId: string; design: string }[] {
    const has = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'designs'`).get();
    if (!has) return [];
    return this.db
      .prepare(
        `SELECT d.run_id AS runId, d.design AS design FROM designs d JOIN runs r ON r.run_id = d.run_id ORDER BY r.run_seq DESC`,
      )
      .all() as { runId: string; design: string }[];
  }

  /** The done cases of these runs that carry a design row, in the order recorded (a later record of a row wins). */
  designCases(runIds: string[]): DesignCase[] {
    if (runIds.length === 0 || !this.tableColumns().has(DESIGN_ROW)) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM psets WHERE _status = 'done' AND ${quote(DESIGN_ROW)} IS NOT NULL AND _run_id IN (${runIds.map(() => '?').join(', ')}) ORDER BY _pset_seq`,
      )
      .all(...runIds) as Record<string, Scalar | null>[];
    return rows.map((r) => ({
      row: Number(r[DESIGN_ROW]),
      seq: Number(r['_pset_seq']),
      params: JSON.parse(String(r['_params'])) as Record<string, Scalar>,
      outputs: Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))),
    }));
  }

  /** The outputs with dims of their own that some sample's case kept the values of. */
  ownDimsOutputs(): Set<string> {
    const has = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(SAMPLE_ARRAYS);
    if (!has) return new Set();
    return new Set(this.db.prepare(`SELECT DISTINCT output FROM ${SAMPLE_ARRAYS}`).pluck().all() as string[]);
  }

  /** A sample's output with dims of its own, by case (_pset_seq): its shape and values (none before they were kept). */
  ownDimsValues(output: string): Map<number, OwnDimsValues> {
    const has = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(SAMPLE_ARRAYS);
    const found = new Map<number, OwnDimsValues>();
    if (!has) return found;
    const rows = this.db
      .prepare(`SELECT pset_seq AS seq, shape, data FROM ${SAMPLE_ARRAYS} WHERE output = ?`)
      .all(output) as { seq: number; shape: string; data: Buffer }[];
    for (const r of rows) {
      // A copy: the Buffer's bytes need not start on an 8-byte boundary.
      const bytes = new Uint8Array(r.data);
      found.set(r.seq, {
        shape: JSON.parse(r.shape) as number[],
        values: new Float64Array(bytes.buffer, 0, bytes.byteLength / 8),
      });
    }
    return found;
  }
}
