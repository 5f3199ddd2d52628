// The run database's writes on a real SQLite file: runs and their cases recorded as psweep has them, a round's
// `storing` rows settled, a killed run's rows settled by what the dataset holds, and a copy made whole or not at all.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWith, mountSmallDisk, unmountSmallDisk } from '../../../test/helpers/tools';
import { RunDb } from './run-db';
import { DESIGN_ROW, RUN_DB } from './schema';
import type { CaseRecord } from './run-db';

const studyDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-rundb-'));

const record = (n: number, status: CaseRecord['status'], extra: Partial<CaseRecord> = {}): CaseRecord => ({
  psetId: `id${n}`,
  psetHash: `hash${n}`,
  params: { a: n, flag: n % 2 === 0 },
  calcDir: null,
  status,
  ...extra,
});

type Row = Record<string, unknown>;
const psets = (db: RunDb): Row[] => db.db.prepare('SELECT * FROM psets ORDER BY _pset_seq').all() as Row[];
const runs = (db: RunDb): Row[] => db.db.prepare('SELECT * FROM runs ORDER BY run_seq').all() as Row[];

describe('the run database', () => {
  it('numbers runs, and records each case once with its parameters and scalar outputs as columns', () => {
    const dir = studyDir();
    const db = RunDb.open(dir);
    expect(db.file).toBe(path.join(dir, RUN_DB));
    expect(db.startRun({ runId: 'r1', studyYaml: 'name: s\n', cases: 3, skipped: 1 })).toBe(1);
    expect(db.startRun({ runId: 'r2', studyYaml: 'name: s\n', cases: 1, skipped: 0 })).toBe(2);
    expect(runs(db)[0]).toMatchObject({
      run_id: 'r1',
      run_seq: 1,
      host: os.hostname(),
      status: 'running',
      cases: 3,
      skipped: 1,
      study: 'name: s\n',
      finished_utc: null,
      done: 0,
    });
    expect(Date.parse(runs(db)[0]!['started_utc'] as string)).not.toBeNaN();
    db.recordCases({ runId: 'r1', runSeq: 1 }, []);
    db.recordCases({ runId: 'r1', runSeq: 1 }, [
      record(1, 'done', { outputs: { y: 1.5, ok: true, label: 'x', none: null }, runtimeS: 0.25, timeUtc: 't1' }),
      record(2, 'failed', { error: 'it broke', host: 'node7', calcDir: '/s/cases/id2' }),
      // Other columns: another statement, and a new column added on the way.
      { ...record(3, 'done'), params: { a: 3, extra: 'e' } },
      record(4, 'done', { outputs: { y: 2, ok: false, label: 'y', none: 1 } }),
    ]);
    const rows = psets(db);
    expect(rows.map((r) => [r['_pset_id'], r['_status'], r['a'], r['flag'], r['extra'], r['y'], r['ok']])).toEqual([
      ['id1', 'done', 1, 0, null, 1.5, 1],
      ['id2', 'failed', 2, 1, null, null, null],
      ['id3', 'done', 3, null, 'e', null, null],
      ['id4', 'done', 4, 1, null, 2, 0],
    ]);
    expect(rows[0]).toMatchObject({
      _pset_hash: 'hash1',
      _run_id: 'r1',
      _run_seq: 1,
      _calc_dir: null,
      _time_utc: 't1',
      _exec_host: os.hostname(),
      _runtime_s: 0.25,
      _error: null,
      _params: '{"a":1,"flag":false}',
      label: 'x',
      none: null,
    });
    expect(rows[1]).toMatchObject({
      _exec_host: 'node7',
      _error: 'it broke',
      _calc_dir: '/s/cases/id2',
      _runtime_s: null,
    });
    expect(rows[1]!['_time_utc']).toBeNull();
    expect(db.doneHashes()).toEqual(new Set(['hash1', 'hash3', 'hash4']));
    expect(db.hashesWithStatus('failed')).toEqual(new Set(['hash2']));
    db.close();
  });

  it('knows the latest status of a case: a retried failure is done', () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 1, skipped: 0 });
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'failed')]);
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'done')]);
    expect(db.hashesWithStatus('failed')).toEqual(new Set());
    expect(db.hashesWithStatus('done')).toEqual(new Set(['hash1']));
    db.close();
  });

  it("keeps a run's counts, closes it, and settles its stored round", () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 4, skipped: 0 });
    db.startRun({ runId: 'r2', studyYaml: '', cases: 1, skipped: 0 });
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'storing'), record(2, 'storing'), record(3, 'failed')]);
    db.recordCases({ runId: 'r2', runSeq: 2 }, [record(9, 'storing')]);
    const round = db.lastRecorded;
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(5, 'storing')]); // the next round, not yet stored
    db.countRun('r1', { done: 2, failed: 1, cancelled: 0 });
    expect(runs(db)[0]).toMatchObject({ cases: 4, done: 2, failed: 1, cancelled: 0, status: 'running' });
    // An adaptive run's cases are known only as they are asked for.
    db.countRun('r2', { done: 0, failed: 0, cancelled: 0 }, 7);
    expect(runs(db)[1]).toMatchObject({ cases: 7 });
    db.settleRound('r1', { status: 'failed', error: 'the disk is full' }, round);
    expect(psets(db).map((r) => [r['_status'], r['_error']])).toEqual([
      ['failed', 'the disk is full'],
      ['failed', 'the disk is full'],
      ['failed', null],
      ['storing', null], // another run's round
      ['storing', null], // a later round of r1
    ]);
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(4, 'storing')]);
    db.settleRound('r1', { status: 'done' }, db.lastRecorded);
    expect(psets(db).at(-1)).toMatchObject({ _status: 'done', _error: null });
    db.finishRun('r1', 'failed', { done: 1, failed: 3, cancelled: 1 });
    const [r1, r2] = runs(db);
    expect(r1).toMatchObject({ status: 'failed', done: 1, failed: 3, cancelled: 1 });
    expect(Date.parse(r1!['finished_utc'] as string)).not.toBeNaN();
    expect(r2).toMatchObject({ status: 'running', done: 0, finished_utc: null });
    db.close();
  });

  it("settles a killed run's storing rows by what the dataset holds, and marks the run interrupted", async () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 4, skipped: 0 });
    db.recordCases({ runId: 'r1', runSeq: 1 }, [
      record(1, 'storing'),
      record(2, 'done'),
      record(3, 'storing'),
      record(4, 'failed'),
    ]);
    db.finishRun('r1', 'done', { done: 1, failed: 1, cancelled: 0 });
    db.startRun({ runId: 'r2', studyYaml: '', cases: 1, skipped: 0 });
    const asked: unknown[] = [];
    const settled = await db.settleInterrupted((params) => {
      asked.push(params);
      return Promise.resolve(params.map((p) => p['a'] === 1));
    });
    expect(asked).toEqual([[record(1, 'done').params, record(3, 'done').params]]);
    expect(settled).toEqual({ done: 1, cancelled: 1, runs: 1 });
    expect(psets(db).map((r) => [r['_status'], r['_error']])).toEqual([
      ['done', null],
      ['done', null],
      ['cancelled', 'the run was stopped before the results of this case were stored in the dataset'],
      ['failed', null],
    ]);
    // Only the run left running is interrupted, with the counts of its rows.
    expect(runs(db).map((r) => [r['status'], r['done'], r['failed'], r['cancelled']])).toEqual([
      ['done', 1, 1, 0],
      ['interrupted', 0, 0, 0],
    ]);
    // Nothing to settle: the dataset is not asked.
    const none = await db.settleInterrupted(() => Promise.reject(new Error('not asked')));
    expect(none).toEqual({ done: 0, cancelled: 0, runs: 0 });
    db.close();
  });

  it('copies itself whole for a backup, and says where when it cannot', () => {
    const dir = studyDir();
    const db = RunDb.open(dir);
    db.startRun({ runId: 'r1', studyYaml: '', cases: 1, skipped: 0 });
    const copy = path.join(dir, 'backups', 'runs.sqlite');
    fs.mkdirSync(path.dirname(copy));
    db.copyTo(copy);
    expect(fs.readdirSync(path.dirname(copy))).toEqual(['runs.sqlite']);
    const read = RunDb.openFile(copy);
    expect(runs(read).map((r) => r['run_id'])).toEqual(['r1']);
    read.close();
    expect(() => db.copyTo(path.join(dir, 'no', 'such', 'folder', 'runs.sqlite'))).toThrow();
    db.close();
  });

  it('opens read-only only a database that exists, and a file anywhere for the library', () => {
    const dir = studyDir();
    expect(RunDb.openReadOnly(dir)).toBeNull();
    expect(fs.existsSync(path.join(dir, RUN_DB))).toBe(false);
    const file = path.join(dir, 'deep', 'er', 'table.sqlite');
    RunDb.openFile(file).close();
    expect(fs.existsSync(file)).toBe(true);
    RunDb.open(dir).close();
    const ro = RunDb.openReadOnly(dir)!;
    expect(() => ro.startRun({ runId: 'r', studyYaml: '', cases: 0, skipped: 0 })).toThrow(
      /cannot write .*runs\.sqlite/,
    );
    ro.close();
    fs.writeFileSync(path.join(dir, 'bad.sqlite'), 'not a database, and long enough to be read as one '.repeat(20));
    expect(() => RunDb.openFile(path.join(dir, 'bad.sqlite'))).toThrow(/bad\.sqlite: cannot open the run database/);
  });

  it('forgets the columns a failed write added, so the next write adds them again', () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 2, skipped: 0 });
    // A case whose id is missing fails its NOT NULL constraint after its new column was added: all rolled back.
    const bad = { ...record(1, 'done'), psetId: null as unknown as string, params: { fresh: 1 } };
    expect(() => db.recordCases({ runId: 'r1', runSeq: 1 }, [bad])).toThrow(/NOT NULL/);
    expect(
      db.db
        .prepare('SELECT * FROM psets')
        .columns()
        .map((c) => c.name),
    ).not.toContain('fresh');
    db.recordCases({ runId: 'r1', runSeq: 1 }, [{ ...record(2, 'done'), params: { fresh: 2 } }]);
    expect(psets(db).map((r) => r['fresh'])).toEqual([2]);
    db.close();
  });

  it('puts each value in its own column however the rows of a round differ', () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 4, skipped: 0 });
    const row = (n: number, params: Record<string, number>, outputs?: Record<string, number>): CaseRecord => ({
      ...record(n, 'done'),
      params,
      ...(outputs ? { outputs } : {}),
    });
    // Other names of the same number, and names that run together into the same text.
    db.recordCases({ runId: 'r1', runSeq: 1 }, [row(1, { a: 1 }), row(2, { b: 2 })]);
    db.recordCases({ runId: 'r1', runSeq: 1 }, [row(3, { a: 3 }, { y: 1, z: 2 }), row(4, { a: 4 }, { y: 3, w: 4 })]);
    db.recordCases({ runId: 'r1', runSeq: 1 }, [row(5, { ab: 5 })]);
    db.recordCases({ runId: 'r1', runSeq: 1 }, [row(6, { a: 6, b: 7 })]);
    expect(psets(db).map((r) => [r['a'], r['b'], r['ab'], r['y'], r['z'], r['w']])).toEqual([
      [1, null, null, null, null, null],
      [null, 2, null, null, null, null],
      [3, null, null, 1, 2, null],
      [4, null, null, 3, null, 4],
      [null, null, 5, null, null, null],
      [6, 7, null, null, null, null],
    ]);
    db.close();
  });

  it('writes many rows in their order, each with its own values, whether their columns change or not', () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: "r'1", studyYaml: '', cases: 30, skipped: 0 });
    // Runs of rows with the same columns longer and shorter than one INSERT's worth, and a run id that needs quoting.
    const rows = Array.from({ length: 30 }, (_, n) =>
      n >= 11 && n < 14
        ? { ...record(n, 'done'), params: { b: n }, paramsJson: `{"b":${n}}` }
        : record(n, n % 5 === 0 ? 'failed' : 'storing', { outputs: { y: n / 2 }, runtimeS: n }),
    );
    db.recordCases({ runId: "r'1", runSeq: 1 }, rows);
    const stored = psets(db);
    expect(
      stored.map((r) => [r['_pset_seq'], r['_pset_id'], r['_pset_hash'], r['_status'], r['a'], r['b'], r['y']]),
    ).toEqual(
      rows.map((c, n) => [
        n + 1,
        `id${n}`,
        `hash${n}`,
        c.status,
        n >= 11 && n < 14 ? null : n,
        n >= 11 && n < 14 ? n : null,
        n >= 11 && n < 14 ? null : n / 2,
      ]),
    );
    expect(stored.every((r) => r['_run_id'] === "r'1" && r['_run_seq'] === 1)).toBe(true);
    // A row's _params: as given (made by its worker), else its parameters as JSON.
    expect(stored[12]!['_params']).toBe('{"b":12}');
    expect(stored[20]!['_params']).toBe(JSON.stringify(rows[20]!.params));
    expect(stored[7]!['_runtime_s']).toBe(7);
    expect(db.lastRecorded).toBe(30);
    db.close();
  });

  it("records the model's backup and the run's design, and the outputs a run did not declare", () => {
    const db = RunDb.open(studyDir());
    expect(db.lastModelBackupHash()).toBeNull();
    db.startRun({ runId: 'r1', studyYaml: '', cases: 1, skipped: 0, model: { hash: 'h1', backup: 'backups/1' } });
    db.startRun({ runId: 'r2', studyYaml: '', cases: 1, skipped: 0, model: { hash: 'h2', backup: null } });
    db.startRun({ runId: 'r3', studyYaml: '', cases: 1, skipped: 0, design: '{"rows":2}' });
    // The newest backup of the model's files is still the first run's: the second made none.
    expect(db.lastModelBackupHash()).toBe('h1');
    expect(runs(db).map((r) => [r['run_id'], r['model_hash'], r['model_backup']])).toEqual([
      ['r1', 'h1', 'backups/1'],
      ['r2', 'h2', null],
      ['r3', null, null],
    ]);
    expect(db.designRuns()).toEqual([{ runId: 'r3', design: '{"rows":2}' }]);
    db.finishRun('r1', 'done', { done: 1, failed: 0, cancelled: 0 });
    db.finishRun('r2', 'done', { done: 1, failed: 0, cancelled: 0 }, ['energy']);
    expect(runs(db).map((r) => r['undeclared'])).toEqual([null, '["energy"]', null]);
    db.close();
  });

  it('names a boolean column once, so the database read again gives booleans back', () => {
    const dir = studyDir();
    const db = RunDb.open(dir);
    db.startRun({ runId: 'r1', studyYaml: '', cases: 2, skipped: 0 });
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'done'), record(2, 'done')]);
    expect(db.db.prepare('SELECT name FROM bool_columns').pluck().all()).toEqual(['flag']);
    db.close();
    const again = RunDb.open(dir);
    expect([...again.readBoolColumns()]).toEqual(['flag']);
    again.close();
  });

  it('puts a design row and each output in its own column, whatever the row before had', () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 4, skipped: 0 });
    const row = (n: number, outputs: Record<string, number>, designRow?: number): CaseRecord => ({
      ...record(n, 'done'),
      params: { a: n },
      outputs,
      ...(designRow === undefined ? {} : { designRow }),
    });
    // One round: as many columns as the row before, other names; then the design row where an output was.
    db.recordCases({ runId: 'r1', runSeq: 1 }, [
      row(1, { y: 1 }),
      row(2, { z: 2 }),
      row(3, { y: 3, z: 4 }),
      row(4, { y: 5 }, 7),
    ]);
    expect(psets(db).map((r) => [r['a'], r['y'], r['z'], r[DESIGN_ROW]])).toEqual([
      [1, 1, null, null],
      [2, null, 2, null],
      [3, 3, 4, null],
      [4, 5, null, 7],
    ]);
    expect(db.designCases(['r1']).map((c) => [c.row, c.outputs['y']])).toEqual([[7, 5]]);
    db.close();
  });

  it('finds a run whose rows wait in conflict, and settles them with a note when they are resolved', () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 4, skipped: 0 });
    db.startRun({ runId: 'r2', studyYaml: '', cases: 1, skipped: 0 });
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'done'), record(2, 'conflict'), record(3, 'conflict')]);
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(4, 'failed')]);
    db.recordCases({ runId: 'r2', runSeq: 2 }, [record(5, 'conflict')]);
    db.finishRun('r1', 'conflict', { done: 1, failed: 1, cancelled: 0 });
    expect(db.conflictRun(1)).toEqual({ runId: 'r1', runSeq: 1, status: 'conflict', conflicts: 2 });
    expect(db.conflictRun(9)).toBeNull();
    expect(db.resolveConflicts(1, 'kept the new values')).toBe(2);
    expect(psets(db).map((r) => [r['_run_id'], r['_status'], r['_error']])).toEqual([
      ['r1', 'done', null],
      ['r1', 'done', 'kept the new values'],
      ['r1', 'done', 'kept the new values'],
      ['r1', 'failed', null],
      ['r2', 'conflict', null], // another run's
    ]);
    expect(runs(db).map((r) => [r['status'], r['done'], r['failed']])).toEqual([
      ['resolved', 3, 1],
      ['running', 0, 0],
    ]);
    expect(db.conflictRun(1)).toEqual({ runId: 'r1', runSeq: 1, status: 'resolved', conflicts: 0 });
    db.close();
  });

  it('on a full disk gives back the room of its write-ahead log, tries once more, and keeps what it had', () => {
    const db = RunDb.open(studyDir());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 2, skipped: 0 });
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'done')]);
    const wal = `${db.file}-wal`;
    expect(fs.statSync(wal).size).toBeGreaterThan(0);
    // SQLite's own limit on the pages of the database: past it a write fails as on a full disk (SQLITE_FULL).
    db.db.pragma(`max_page_count = ${db.db.pragma('page_count', { simple: true }) as number}`);
    const big = { ...record(2, 'done'), params: { a: 2, note: 'x'.repeat(64 * 1024) } };
    let message = 'no error';
    try {
      db.recordCases({ runId: 'r1', runSeq: 1 }, [big]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^cannot write .*runs\.sqlite: .*\. What was recorded before stays$/);
    expect(fs.statSync(wal).size).toBe(0); // written back into the database before the second try
    expect(psets(db).map((r) => r['_pset_id'])).toEqual(['id1']);
    // Room again: the same write goes through, its new column added anew.
    db.db.pragma('max_page_count = 1000000');
    db.recordCases({ runId: 'r1', runSeq: 1 }, [big]);
    expect(psets(db).map((r) => [r['_pset_id'], (r['note'] as string | null)?.length ?? null])).toEqual([
      ['id1', null],
      ['id2', 64 * 1024],
    ]);
    db.close();
  });

  it('records adaptive runs and what they learned, and gives back the points their runs evaluated', () => {
    const dir = studyDir();
    const db = RunDb.open(dir);
    db.startRun({ runId: 'r1', studyYaml: '', cases: 1, skipped: 0 });
    db.startRun({ runId: 'a1', studyYaml: '', cases: 0, skipped: 0, adaptive: '{"step":1}' });
    db.startRun({ runId: 'a2', studyYaml: '', cases: 0, skipped: 0, adaptive: '{"step":2}' });
    expect(runs(db).map((r) => [r['run_id'], r['kind'], r['settings']])).toEqual([
      ['r1', null, null],
      ['a1', 'adaptive', '{"step":1}'],
      ['a2', 'adaptive', '{"step":2}'],
    ]);
    expect(db.adaptiveRuns()).toEqual([
      { runId: 'a1', settings: '{"step":1}' },
      { runId: 'a2', settings: '{"step":2}' },
    ]);
    db.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'done', { outputs: { y: 10 } })]);
    db.recordCases({ runId: 'a1', runSeq: 2 }, [
      record(2, 'done', { outputs: { y: 20 } }),
      record(3, 'failed', { error: 'it broke' }),
      record(4, 'storing', { outputs: { y: 40 } }),
    ]);
    db.recordCases({ runId: 'a2', runSeq: 3 }, [record(5, 'done', { outputs: { y: 50 } })]);
    expect(db.evaluatedCases(['a2', 'a1'], 'y')).toEqual([
      { psetHash: 'hash2', params: { a: 2, flag: true }, status: 'done', value: 20, runSeq: 2 },
      { psetHash: 'hash3', params: { a: 3, flag: false }, status: 'failed', value: null, runSeq: 2 },
      { psetHash: 'hash5', params: { a: 5, flag: false }, status: 'done', value: 50, runSeq: 3 },
    ]);
    expect(db.evaluatedCases(['a2'], 'z').map((c) => [c.psetHash, c.value])).toEqual([['hash5', null]]);
    expect(db.evaluatedCases([], 'y')).toEqual([]);
    // A database from before adaptive runs, read by a Furrow of today: it has none.
    db.db.exec('ALTER TABLE runs DROP COLUMN kind');
    db.close();
    expect(RunDb.openReadOnly(dir)!.adaptiveRuns()).toEqual([]);
  });

  it("keeps a sample's outputs with dims of their own beside each case's row, eight rows to an INSERT or not", () => {
    const db = RunDb.open(studyDir());
    expect(db.ownDimsOutputs()).toEqual(new Set());
    db.startRun({ runId: 'r1', studyYaml: '', cases: 12, skipped: 0 });
    const spectrum = (n: number) => ({ shape: [2, 2], values: Float64Array.from([n, n + 0.5, -n, 1 / n]) });
    const cases = Array.from({ length: 12 }, (_, i) =>
      record(i + 1, 'done', {
        outputs: { y: i },
        ...(i % 5 === 2
          ? { arrays: { spectrum: spectrum(i + 1), trace: { shape: [1], values: Float64Array.of(i) } } }
          : {}),
      }),
    );
    db.recordCases({ runId: 'r1', runSeq: 1 }, cases);
    const seqOf = new Map(psets(db).map((r) => [r['_pset_id'], r['_pset_seq'] as number]));
    expect([...seqOf.keys()]).toEqual(cases.map((c) => c.psetId));
    expect(db.ownDimsOutputs()).toEqual(new Set(['spectrum', 'trace']));
    const kept = db.ownDimsValues('spectrum');
    expect([...kept.keys()].sort((a, b) => a - b)).toEqual([seqOf.get('id3'), seqOf.get('id8')]);
    expect(kept.get(seqOf.get('id8')!)).toEqual(spectrum(8));
    expect(kept.get(seqOf.get('id3')!)).toEqual(spectrum(3));
    expect(db.ownDimsValues('trace').get(seqOf.get('id8')!)).toEqual({ shape: [1], values: Float64Array.of(7) });
    db.close();
  });

  it('opens a throwaway copy without a write-ahead log, and leaves no copy behind when it cannot make one whole', () => {
    const dir = studyDir();
    const scratch = RunDb.openScratch(path.join(dir, 'scratch.sqlite'));
    scratch.startRun({ runId: 'r1', studyYaml: '', cases: 1, skipped: 0 });
    expect(fs.readdirSync(dir)).toEqual(['scratch.sqlite']);
    // No journal file on disk even while a write is going on (its rollback journal is in memory), and the mode
    // reads back as set: better-sqlite3's defensive mode refuses journal_mode = OFF and left it at delete.
    const beside: string[][] = [];
    const rows = function* () {
      for (let n = 1; n <= 9; n++) {
        if (n === 9) beside.push(fs.readdirSync(dir)); // the first eight rows are inserted by now
        yield record(n, 'done');
      }
    };
    scratch.recordCases({ runId: 'r1', runSeq: 1 }, { [Symbol.iterator]: rows });
    expect(beside).toEqual([['scratch.sqlite']]);
    expect(psets(scratch)).toHaveLength(9);
    expect(scratch.db.pragma('journal_mode', { simple: true })).toBe('memory');
    // A folder in the way of the copy's name: the copy fails after it was made, and its temporary file goes.
    const copy = path.join(dir, 'copy.sqlite');
    fs.mkdirSync(copy);
    fs.writeFileSync(path.join(copy, 'x'), '');
    expect(() => scratch.copyTo(copy)).toThrow(/EISDIR/);
    expect(fs.readdirSync(dir).sort()).toEqual(['copy.sqlite', 'scratch.sqlite']);
    scratch.close();
    expect(scratch.db.open).toBe(false);
  });
});

describeWith('tmpfs', 'the run database on a disk that fills up', () => {
  /** A small disk of its own (a tmpfs of `kib` KiB) with a study folder, gone after `test`. */
  const onSmallDisk = (kib: number, test: (disk: string) => void) => {
    const disk = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-rundb-disk-'));
    const mounted = mountSmallDisk(disk, kib);
    if (!mounted.ok) throw new Error(`cannot mount a tmpfs: ${mounted.why}`);
    try {
      fs.mkdirSync(path.join(disk, 'study'));
      test(disk);
    } finally {
      unmountSmallDisk(disk);
    }
  };
  /** Fill the disk to the last byte; the file that did it. */
  const fill = (disk: string): string => {
    const filler = path.join(disk, 'filler');
    const s = fs.statfsSync(disk);
    fs.writeFileSync(filler, Buffer.alloc(s.bavail * s.bsize));
    expect(fs.statfsSync(disk).bavail).toBe(0);
    return filler;
  };
  /** A case with a note of `kib` KiB, stored twice: in its column and in the parameters' JSON. */
  const note = (n: number, kib: number): CaseRecord => ({
    ...record(n, 'done'),
    params: { a: n, note: 'x'.repeat(kib * 1024) },
  });
  const failure = (f: () => void): string => {
    try {
      f();
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };
  /**
   * A study's database after a first run (closed: its pages are in the file) and a second run that kept its counts
   * current for a while: the write-ahead log grew with each count and holds that room on the disk.
   */
  const secondRun = (dir: string): RunDb => {
    const first = RunDb.open(dir);
    first.startRun({ runId: 'r1', studyYaml: 'name: s\n', cases: 2, skipped: 0 });
    first.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'done'), record(2, 'failed', { error: 'it broke' })]);
    first.finishRun('r1', 'failed', { done: 1, failed: 1, cancelled: 0 });
    first.close();
    const db = RunDb.open(dir);
    db.startRun({ runId: 'r2', studyYaml: 'name: s\n', cases: 500, skipped: 0 });
    for (let done = 1; done <= 120; done++) db.countRun('r2', { done, failed: 0, cancelled: 0 });
    expect(fs.statSync(`${db.file}-wal`).size).toBeGreaterThan(400 * 1024);
    return db;
  };
  const stored = (db: RunDb) => ({
    cases: psets(db).map((r) => [
      r['_run_id'],
      r['_pset_id'],
      r['_status'],
      (r['note'] as string | null)?.length ?? null,
    ]),
    runs: runs(db).map((r) => [r['run_id'], r['status'], r['done'], r['failed']]),
  });
  const before = {
    cases: [
      ['r1', 'id1', 'done', null],
      ['r1', 'id2', 'failed', null],
    ],
    runs: [
      ['r1', 'failed', 1, 1],
      ['r2', 'running', 120, 0],
    ],
  };

  it('a write that finds the disk full goes through on its second try, in the room the write-ahead log gave back', () => {
    onSmallDisk(1024, (disk) => {
      const db = secondRun(path.join(disk, 'study'));
      fill(disk);
      db.recordCases({ runId: 'r2', runSeq: 2 }, [note(3, 100)]);
      expect(stored(db)).toEqual({ cases: [...before.cases, ['r2', 'id3', 'done', 100 * 1024]], runs: before.runs });
      db.close();
    });
  });

  it('a write the given back room is too small for names the full disk and the file, and keeps what was stored', () => {
    onSmallDisk(1024, (disk) => {
      const db = secondRun(path.join(disk, 'study'));
      const filler = fill(disk);
      const big = note(3, 300);
      expect(failure(() => db.recordCases({ runId: 'r2', runSeq: 2 }, [big]))).toBe(
        `cannot write ${db.file}: the disk is full (0 B free there). What was recorded before stays`,
      );
      expect(stored(db)).toEqual(before);
      // Room again: the same write goes through, its new column added anew.
      fs.rmSync(filler);
      db.recordCases({ runId: 'r2', runSeq: 2 }, [big]);
      expect(stored(db).cases).toEqual([...before.cases, ['r2', 'id3', 'done', 300 * 1024]]);
      db.close();
    });
  });

  it('a write on a disk too full even to give back the log names the full disk and the file', () => {
    onSmallDisk(1024, (disk) => {
      // A new database: its tables are still in the log, which cannot be written back without room in the file.
      const db = RunDb.open(path.join(disk, 'study'));
      db.startRun({ runId: 'r1', studyYaml: 'name: s\n', cases: 2, skipped: 0 });
      db.recordCases({ runId: 'r1', runSeq: 1 }, [record(1, 'done')]);
      fill(disk);
      expect(failure(() => db.recordCases({ runId: 'r1', runSeq: 1 }, [note(2, 100)]))).toBe(
        `cannot write ${db.file}: the disk is full (0 B free there). What was recorded before stays`,
      );
      expect(psets(db).map((r) => r['_pset_id'])).toEqual(['id1']);
      db.close();
    });
  });

  it('a copy cut short by a full disk says so, and leaves neither a copy nor its temporary file', () => {
    onSmallDisk(256, (disk) => {
      const db = RunDb.open(studyDir());
      db.startRun({ runId: 'r1', studyYaml: 'name: s\n', cases: 2, skipped: 0 });
      db.recordCases({ runId: 'r1', runSeq: 1 }, [note(1, 300)]);
      const copy = path.join(disk, 'runs-copy.sqlite');
      expect(failure(() => db.copyTo(copy))).toMatch(
        new RegExp(
          `^cannot write ${copy}: the disk is full \\(.* free there\\)\\. No copy of ${db.file} was made, and it is unchanged$`,
        ),
      );
      expect(fs.readdirSync(disk)).toEqual(['study']);
      expect(psets(db).map((r) => r['_pset_id'])).toEqual(['id1']);
      db.close();
    });
  });
});
