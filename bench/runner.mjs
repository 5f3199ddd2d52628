// Runner benchmarks (issue 3). Prints figures; asserts nothing. `npm run bench` builds first.
//   1. a trivial module model over N combos (BENCH_CASES, default 10^5; the goal is 10^6 per second), beside the
//      floor the run database sets: SQLite alone inserting one row per case
//   2. a 20 ms CPU-bound module model, 400 cases, 1 vs 2 workers: the speed-up (goal ≥ 1.9), end to end and over
//      the cases alone (from the first case's start to the last case's end, as the run database has them)
//   3. a command model that only prints its output (/bin/echo): the cost per case above a bare spawn (goal ≤ 2 ms)
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('.vite/build/cli.mjs');

function study(yaml, files = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-'));
  fs.writeFileSync(path.join(dir, 'study.yaml'), yaml);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function run(dir, ...args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [cli, 'run', dir, '--json', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`furrow run failed:\n${result.stderr}`);
  const db = new Database(path.join(dir, 'runs.sqlite'), { readonly: true });
  // Each row has the case's end (_time_utc) and its runtime: the cases span from the first start to the last end.
  const span = db
    .prepare(`SELECT (MAX(julianday(_time_utc)) - MIN(julianday(_time_utc) - _runtime_s / 86400.0)) * 86400 FROM psets`)
    .pluck()
    .get();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { seconds, caseSeconds: span, summary: JSON.parse(result.stdout.trim().split('\n').pop()) };
}

/** Rows per second SQLite itself takes for n rows shaped as the run database's (better-sqlite3, WAL, one transaction). */
function sqliteFloor(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-'));
  const db = new Database(path.join(dir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const columns =
    '_pset_id, _pset_hash, _run_id, _run_seq, _calc_dir, _time_utc, _exec_host, _runtime_s, _status, _error, _params, a, b, y';
  db.exec(`CREATE TABLE psets (_pset_seq INTEGER PRIMARY KEY, ${columns})`);
  const insert = db.prepare(`INSERT INTO psets (${columns}) VALUES (${Array(14).fill('?').join(', ')})`);
  const rows = Array.from({ length: n }, (_, i) => [
    '0f8fad5b-d9cb-469f-a165-70867728950e',
    '6773f537e12881321ac5aca774c9ac2dd80f3a12',
    'run',
    1,
    null,
    '2026-11-23T17:00:00.000Z',
    'host',
    0.001,
    'done',
    null,
    `{"a":${i % 1000},"b":${Math.floor(i / 1000)}}`,
    i % 1000,
    Math.floor(i / 1000),
    i,
  ]);
  const start = performance.now();
  db.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  const seconds = (performance.now() - start) / 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return n / seconds;
}

// 1. throughput of a trivial model
const n = Number(process.env.BENCH_CASES ?? 100_000);
const side = Math.ceil(Math.sqrt(n));
for (const workers of [1, 2]) {
  const dir = study(
    `name: t\nmodel: {module: ./m.mjs}\noutputs: {y: {}}\ncombos:\n  a: {range: [0, ${side}]}\n  b: {range: [0, ${Math.ceil(n / side)}]}\n`,
    {
      'm.mjs': 'export default ({ a, b }) => a * b;\n',
    },
  );
  const { seconds, summary } = run(dir, '--workers', String(workers));
  console.log(
    `trivial module model, ${summary.cases} cases, ${workers} worker(s): ${seconds.toFixed(2)} s = ${Math.round(summary.cases / seconds)} cases/s (goal 1000000/s)`,
  );
}
console.log(
  `  the run database's floor: SQLite alone inserts ${Math.round(sqliteFloor(n))} rows/s of the psets table's shape`,
);

// 2. parallel speed-up of a CPU-bound model
const cpu =
  'export default ({ i }) => { const end = Date.now() + 20; let x = 0; while (Date.now() < end) x += Math.sqrt(i + x); return x; };\n';
const [one, two] = [1, 2].map((workers) =>
  run(
    study('name: c\nmodel: {module: ./m.mjs}\noutputs: {y: {}}\ncombos: {i: {range: [0, 400]}}\n', { 'm.mjs': cpu }),
    '--workers',
    String(workers),
  ),
);
console.log(
  `20 ms CPU-bound model, 400 cases: 1 worker ${one.seconds.toFixed(2)} s, 2 workers ${two.seconds.toFixed(2)} s, speed-up ${(one.seconds / two.seconds).toFixed(2)} (goal ≥ 1.9 on ${os.availableParallelism()} cores)`,
);
console.log(
  `  the cases alone: 1 worker ${one.caseSeconds.toFixed(2)} s, 2 workers ${two.caseSeconds.toFixed(2)} s, speed-up ${(one.caseSeconds / two.caseSeconds).toFixed(2)}; the rest is start-up (two Node processes) and the harvest`,
);

// 3. overhead of a command model over a bare spawn of the same program
const cases = 300;
const bareStart = performance.now();
for (let i = 0; i < cases; i++) spawnSync('/bin/echo', ['{"y": 1}']);
const bareMs = (performance.now() - bareStart) / cases;
const empty = run(
  study('name: e\nmodel: {module: ./m.mjs}\noutputs: {y: {}}\ncombos: {i: [0]}\n', {
    'm.mjs': 'export default () => 1;\n',
  }),
);
const cmd = run(
  study(
    `name: k\nmodel: {command: [/bin/echo, '{"y": {i}}']}\noutputs: {y: {}}\ncombos: {i: {range: [0, ${cases}]}}\n`,
  ),
  '--workers',
  '1',
);
const perCase = ((cmd.seconds - empty.seconds) * 1000) / cases;
console.log(
  `command model /bin/echo, ${cases} cases, 1 worker: ${perCase.toFixed(2)} ms per case vs ${bareMs.toFixed(2)} ms for a bare spawn: ${(perCase - bareMs).toFixed(2)} ms of Furrow per case (goal ≤ 2 ms)`,
);
