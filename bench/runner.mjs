// Runner benchmarks (issue 3). Prints figures; asserts nothing. `npm run bench` builds first.
//   1. a trivial module model over N combos (BENCH_CASES, default 10^5; the goal is 10^6 per second)
//   2. a 20 ms CPU-bound module model, 400 cases, 1 vs 2 workers: the speed-up (goal ≥ 1.9)
//   3. a command model that only prints its output (/bin/echo): the cost per case above a bare spawn (goal ≤ 2 ms)
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
  fs.rmSync(dir, { recursive: true, force: true });
  return { seconds, summary: JSON.parse(result.stdout.trim().split('\n').pop()) };
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

// 2. parallel speed-up of a CPU-bound model
const cpu =
  'export default ({ i }) => { const end = Date.now() + 20; let x = 0; while (Date.now() < end) x += Math.sqrt(i + x); return x; };\n';
const times = [1, 2].map(
  (workers) =>
    run(
      study('name: c\nmodel: {module: ./m.mjs}\noutputs: {y: {}}\ncombos: {i: {range: [0, 400]}}\n', { 'm.mjs': cpu }),
      '--workers',
      String(workers),
    ).seconds,
);
console.log(
  `20 ms CPU-bound model, 400 cases: 1 worker ${times[0].toFixed(2)} s, 2 workers ${times[1].toFixed(2)} s, speed-up ${(times[0] / times[1]).toFixed(2)} (goal ≥ 1.9 on ${os.availableParallelism()} cores)`,
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
