// Particular cases at scale (issue 20). Prints figures; asserts nothing. `npm run bench:cases`.
// `furrow run --cases FILE --simulate` on 10^5 and 10^6 rows of a CSV file (BENCH_CASES_ROWS: the larger), and
// `furrow run --simulate` on 5·10^4 to 3·10^5 rows of study.yaml's `cases:` list: wall time and the process's peak
// memory, which grow linearly with the rows (goal: 10^6 CSV rows checked in under 10 s).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('.vite/build/cli.mjs');
const rows = Number(process.env.BENCH_CASES_ROWS ?? 1_000_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-cases-'));
const study = path.join(dir, 'study');
fs.mkdirSync(study);
fs.writeFileSync(path.join(study, 'm.mjs'), 'export default ({ a, b }) => a * b;\n');
const head = 'name: c\nmodel: {module: ./m.mjs}\noutputs: {y: {}}\n';

/** Row i: a different whole number a in every row (the case dim a has as many coords as rows), b one of 7 decimals. */
const row = (i) => [i, ((i % 7) / 10).toFixed(1)];

// The child reports its peak resident memory and the CPU time it used as it exits: on a busy machine the wall time
// includes waiting for a core, the CPU time does not.
const usage =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write(`usage ${u.maxRSS} ${u.userCPUTime+u.systemCPUTime}\\n`)})';

function simulate(label, n, extra) {
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--import', usage, cli, 'run', study, '--simulate', '--json', ...extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 30, // the list of the cases it would run: about 100 bytes each
  });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`furrow run --simulate failed:\n${run.stderr}`);
  const cases = JSON.parse(run.stdout).cases;
  if (cases !== n) throw new Error(`${label}: ${cases} cases, not ${n}`);
  const [, kib, micros] = (/usage (\d+) (\d+)/.exec(run.stderr) ?? []).map(Number);
  const cpu = micros / 1e6;
  console.log(
    `${label.padEnd(28)} ${String(n).padStart(8)} rows  ${seconds.toFixed(2).padStart(6)} s  CPU ${cpu.toFixed(2).padStart(6)} s = ${((cpu / n) * 1e6).toFixed(1).padStart(5)} µs/row  peak ${(kib / 1024).toFixed(0).padStart(5)} MiB`,
  );
}

try {
  fs.writeFileSync(path.join(study, 'study.yaml'), `${head}cases: [{a: 0, b: 0}]\n`);
  for (const n of [100_000, rows]) {
    const csv = path.join(dir, `cases-${n}.csv`);
    const lines = ['a,b'];
    for (let i = 0; i < n; i++) lines.push(row(i).join(','));
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
    simulate('furrow run --cases FILE.csv', n, ['--cases', csv]);
  }
  for (const n of [50_000, 100_000, 300_000]) {
    const lines = [];
    for (let i = 0; i < n; i++) lines.push(`  - {a: ${row(i)[0]}, b: ${row(i)[1]}}`);
    fs.writeFileSync(path.join(study, 'study.yaml'), `${head}cases:\n${lines.join('\n')}\n`);
    simulate("study.yaml's cases: list", n, []);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
