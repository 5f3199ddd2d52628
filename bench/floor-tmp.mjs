import Database from 'better-sqlite3';
import fs from 'node:fs';
fs.rmSync('/tmp/floor.sqlite', { force: true });
const db = new Database('/tmp/floor.sqlite');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const cols =
  '_pset_id,_pset_hash,_run_id,_run_seq,_calc_dir,_time_utc,_exec_host,_runtime_s,_status,_error,_params,a,b,y';
db.exec(`CREATE TABLE psets (_pset_seq INTEGER PRIMARY KEY, ${cols})`);
const n = 200_000;
const row = (i) => [
  '0f8fad5b-d9cb-469f-a165-70867728950e',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'run',
  1,
  null,
  '2026-11-23T17:00:00.000Z',
  'host',
  0.001,
  'done',
  null,
  `{"a":${i % 1000},"b":${(i / 1000) | 0}}`,
  i % 1000,
  (i / 1000) | 0,
  i,
];
const rows = Array.from({ length: n }, (_, i) => row(i));
const one = db.prepare(`INSERT INTO psets (${cols}) VALUES (${Array(14).fill('?').join(',')})`);
let t = performance.now();
db.transaction(() => {
  for (const r of rows) one.run(r);
})();
console.log('one row per statement', (((performance.now() - t) * 1000) / n).toFixed(2), 'us/row');
for (const k of [16, 64]) {
  const many = db.prepare(
    `INSERT INTO psets (${cols}) VALUES ${Array(k)
      .fill(`(${Array(14).fill('?').join(',')})`)
      .join(',')}`,
  );
  t = performance.now();
  db.transaction(() => {
    for (let i = 0; i + k <= n; i += k) many.run(rows.slice(i, i + k).flat());
  })();
  console.log(k, 'rows per statement', (((performance.now() - t) * 1000) / n).toFixed(2), 'us/row');
}
