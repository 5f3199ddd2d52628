// Memory against the number of cases (`npm run bench:memory`). Prints figures; asserts nothing.
//   1. `furrow run` of a trivial module model over a grid of 10^6 and 10^7 cases (BENCH_MEMORY_CASES to choose,
//      comma-separated): wall time, cases per second, and the peak resident memory of the run's main process and
//      of all its processes together, and the CPU time of them all and of the run's process alone, per 10^6 cases
//      (sampled every 50 ms from /proc: on a machine that is busy with other work, CPU per case says more than
//      cases per second; the run's process does its work on one thread, so 10^6 over its CPU seconds bounds the
//      throughput)
//   2. `furrow run --simulate` of 10^7 cases, which writes them into .furrow-simulate/runs.sqlite, and
//      `--simulate --json`, which also lists them (the list is counted, not kept): time and peak
//   3. `furrow dataset expand-dims` of a 160 MB dataset: its peak against the file's size
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('.vite/build/cli.mjs');
const MiB = 2 ** 20;

function study(yaml, model) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-memory-'));
  fs.writeFileSync(path.join(dir, 'study.yaml'), yaml);
  fs.writeFileSync(path.join(dir, 'model.mjs'), model);
  return dir;
}

const TICK = 100; // clock ticks per second (USER_HZ) on Linux

/**
 * Resident bytes of every process in process group `pgid`, and of `pid` alone; `cpu` gets each process's CPU
 * seconds so far (user + system), so the group's CPU time is the sum of the last figures seen.
 */
function resident(pgid, pid, cpu) {
  let group = 0;
  let main = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const rss = Number(fields[21]) * 4096;
      cpu.set(entry, (Number(fields[11]) + Number(fields[12])) / TICK);
      group += rss;
      if (Number(entry) === pid) main = rss;
    } catch {
      // gone meanwhile
    }
  }
  return { group, main };
}

/** Run the command line in a process group of its own; its time and peaks. */
function measure(args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let bytes = 0;
    child.stdout.on('data', (d) => {
      bytes += d.length;
      if (!options.countOnly) stdout += d;
    });
    child.stderr.on('data', (d) => (stderr += d));
    const peak = { group: 0, main: 0 };
    const cpu = new Map();
    const poll = setInterval(() => {
      const now = resident(child.pid, child.pid, cpu);
      peak.group = Math.max(peak.group, now.group);
      peak.main = Math.max(peak.main, now.main);
    }, 50);
    child.on('exit', (code) => {
      clearInterval(poll);
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0) reject(new Error(`furrow ${args.join(' ')} ended with ${code}:\n${stderr}`));
      else
        resolve({
          seconds,
          peak,
          stdout,
          bytes,
          cpu: [...cpu.values()].reduce((a, b) => a + b, 0),
          mainCpu: cpu.get(String(child.pid)) ?? 0,
        });
    });
  });
}

const mib = (bytes) => `${(bytes / MiB).toFixed(0)} MiB`;
const sizes = (process.env.BENCH_MEMORY_CASES ?? '1000000,10000000').split(',').filter(Boolean).map(Number);
/** BENCH_MEMORY_SIMULATE=0 leaves the --simulate figure out, BENCH_MEMORY_EDIT=0 the expand-dims one. */
const simulate = process.env.BENCH_MEMORY_SIMULATE !== '0';

console.log(`memory against cases (${os.availableParallelism()} cores)`);
for (const cases of sizes) {
  const a = 1000;
  const b = cases / a;
  const dir = study(
    `name: m\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  a: {range: [0, ${a}]}\n  b: {range: [0, ${b}]}\nmax_cases: ${cases}\n`,
    'export default ({ a, b }) => a + b;\n',
  );
  const load = os.loadavg()[0];
  const run = await measure(['run', dir, '--json']);
  const perMillion = (seconds) => ((seconds * 1e6) / cases).toFixed(1);
  console.log(
    `  furrow run, ${cases.toExponential(0)} cases: ${run.seconds.toFixed(1)} s, ${Math.round(cases / run.seconds)} cases/s (load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}); ${run.cpu.toFixed(1)} s of CPU, ${perMillion(run.cpu)} s per 10^6 cases (${perMillion(run.mainCpu)} s in the run's process); peak ${mib(run.peak.main)} (main process), ${mib(run.peak.group)} (all its processes)`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

if (simulate) {
  const dir = study(
    `name: m\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  a: {range: [0, 1000]}\n  b: {range: [0, 10000]}\nmax_cases: 10000000\n`,
    'export default ({ a, b }) => a + b;\n',
  );
  const sim = await measure(['run', dir, '--simulate']);
  console.log(`  furrow run --simulate, 1e7 cases: ${sim.seconds.toFixed(1)} s; peak ${mib(sim.peak.main)}`);
  const json = await measure(['run', dir, '--simulate', '--json'], { countOnly: true });
  console.log(
    `  furrow run --simulate --json, 1e7 cases: ${json.seconds.toFixed(1)} s, ${mib(json.bytes)} of JSON; peak ${mib(json.peak.main)}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

if (process.env.BENCH_MEMORY_EDIT !== '0') {
  // 2,000 cases of a 10,000-value vector: 160 MB of float64.
  const dir = study(
    `name: m\nmodel: {module: ./model.mjs}\noutputs:\n  y: {dims: [t]}\ncoords:\n  t: {range: [0, 10000]}\nconstants: {k: 3}\ncombos:\n  a: {range: [0, 2000]}\n`,
    'export default ({ a }) => ({ y: Array.from({ length: 10000 }, (_, i) => a + i) });\n',
  );
  const made = spawnSync(process.execPath, [cli, 'run', dir], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  const size = fs.statSync(path.join(dir, 'data', 'm.nc')).size;
  const edit = await measure(['dataset', 'expand-dims', dir, 'k', '3']);
  console.log(
    `  furrow dataset expand-dims of a ${mib(size)} file: ${edit.seconds.toFixed(1)} s; peak ${mib(edit.peak.main)} (${(edit.peak.main / size).toFixed(2)}× the file)`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}
