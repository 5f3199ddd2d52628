// Each case's latest attempt (db.cases `latest`) against what an index for it would cost. Prints figures; asserts
// nothing. `node bench/latest-attempt.mjs [rows]` (default 10^5). For a psets-like table of `rows` rows, a fifth of
// them second attempts: the time to record them (in transactions of 2,000, as a run flushes) and the database's
// size, and the time of the latest-attempt count and of a page of it, without and with an index on
// (_pset_hash, _pset_seq). The engine has no such index (electron/engine/db/db-query.ts says why).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

const rows = Number(process.argv[2] ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-latest-'));
const hashes = Array.from({ length: rows }, (_, i) =>
  createHash('sha1')
    .update(String(i % Math.ceil(rows * 0.8)))
    .digest('hex'),
);
const LATEST = '_pset_seq IN (SELECT MAX(_pset_seq) FROM psets GROUP BY _pset_hash)';
const ms = (start) => Math.round(performance.now() - start);

for (const index of [false, true]) {
  const file = path.join(dir, `${index ? 'with' : 'without'}-index.sqlite`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE psets (_pset_seq INTEGER PRIMARY KEY, _pset_hash TEXT NOT NULL, _status TEXT, _params TEXT, a, b)',
  );
  if (index) db.exec('CREATE INDEX psets_latest ON psets(_pset_hash, _pset_seq)');
  const insert = db.prepare('INSERT INTO psets (_pset_hash, _status, _params, a, b) VALUES (?, ?, ?, ?, ?)');
  let start = performance.now();
  for (let i = 0; i < rows; i += 2000)
    db.transaction(() => {
      for (let j = i; j < Math.min(rows, i + 2000); j++) insert.run(hashes[j], 'done', '{"a":1,"b":2}', j, j % 7);
    })();
  const record = ms(start);
  start = performance.now();
  const cases = db.prepare(`SELECT COUNT(*) FROM psets WHERE ${LATEST}`).pluck().get();
  const count = ms(start);
  start = performance.now();
  db.prepare(`SELECT * FROM psets WHERE ${LATEST} ORDER BY _pset_seq LIMIT 200 OFFSET 1000`).all();
  const page = ms(start);
  db.close();
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  console.log(
    `${rows} rows, ${index ? 'with' : 'without'} the index: recorded in ${record} ms (${mb} MB); latest count (${cases} cases) ${count} ms, a page ${page} ms`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
