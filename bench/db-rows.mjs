// What the run database alone costs per case (`node bench/db-rows.mjs [N]`): a row of the psets table inserted as
// `storing` in one transaction, then settled to `done` by a primary-key range, as a run records its cases
// (electron/engine/db/run-db.ts). SQLite's own work, without the run around it: the floor under furrow run's
// throughput on one core. Also with several rows per INSERT, as a run writes them (eight to a statement): the CPU time
// per row says more than the clock on cores shared with other work.
// Prints figures; asserts nothing.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const N = Number(process.argv[2] ?? 300_000);
const COLUMNS = [
  '_pset_id',
  '_pset_hash',
  '_run_id',
  '_run_seq',
  '_calc_dir',
  '_time_utc',
  '_exec_host',
  '_runtime_s',
  '_status',
  '_error',
  '_params',
  'a',
  'b',
  'y',
];
const rows = Array.from({ length: N }, (_, i) => [
  randomUUID(),
  'f'.repeat(40),
  'r',
  1,
  null,
  new Date().toISOString(),
  os.hostname(),
  0.0001,
  'storing',
  null,
  JSON.stringify({ a: i % 1000, b: i }),
  i % 1000,
  i,
  i,
]);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-db-'));
console.log(`run database rows: ${N} cases (${os.availableParallelism()} cores)`);
for (const perStatement of [1, 8, 64]) {
  const file = path.join(dir, `runs-${perStatement}.sqlite`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE runs (run_id TEXT PRIMARY KEY); INSERT INTO runs VALUES ('r');
    CREATE TABLE psets (_pset_seq INTEGER PRIMARY KEY, _pset_id TEXT NOT NULL, _pset_hash TEXT NOT NULL,
      _run_id TEXT NOT NULL REFERENCES runs(run_id), _run_seq INTEGER NOT NULL, _calc_dir TEXT, _time_utc TEXT,
      _exec_host TEXT, _runtime_s REAL, _status TEXT NOT NULL, _error TEXT, _params TEXT NOT NULL, a REAL, b REAL, y REAL)`);
  const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
  const insert = db.prepare(
    `INSERT INTO psets (${COLUMNS.join(', ')}) VALUES ${Array(perStatement).fill(tuple).join(', ')}`,
  );
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const start = performance.now();
  const startCpu = cpu();
  db.transaction(() => {
    for (let i = 0; i + perStatement <= N; i += perStatement) insert.run(rows.slice(i, i + perStatement).flat());
  }).immediate();
  const inserted = performance.now();
  const insertedCpu = cpu();
  db.prepare(
    `UPDATE psets SET _status = 'done', _error = NULL
     WHERE _pset_seq > 0 AND _pset_seq <= ? AND _run_id = 'r' AND _status = 'storing'`,
  ).run(N);
  const settled = performance.now();
  const settledCpu = cpu();
  db.close();
  const us = (ms) => ((ms / N) * 1000).toFixed(2);
  console.log(
    `  ${String(perStatement).padStart(2)} rows per INSERT: insert ${us(inserted - start)} µs a case (${us(insertedCpu - startCpu)} µs of CPU), settle ${us(settled - inserted)} µs a case (${us(settledCpu - insertedCpu)} µs of CPU)`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
