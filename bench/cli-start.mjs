// How long the command line takes to answer before it does any work (issue 27): `furrow --version`, `--help`, and
// the `furrow __complete` the shell's completion calls on every Tab. Prints the CPU time of each (the median of 9;
// on a busy machine the wall time includes waiting for a core) beside `node -e 0`'s. Asserts nothing.
// `npm run bench:cli`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('.vite/build/cli.mjs');
const usage =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write(`cpu ${u.userCPUTime+u.systemCPUTime}\\n`)})';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-cli-'));
spawnSync(process.execPath, [cli, 'init', path.join(dir, 'study'), '-q']);
fs.writeFileSync(path.join(dir, 'study', 'plots.yaml'), 'energy:\n  kind: line\n  x: a\n  y: a_out\n');

function cpu(args) {
  const times = [];
  for (let i = 0; i < 9; i++) {
    const r = spawnSync(process.execPath, ['--import', usage, ...args], { cwd: dir, encoding: 'utf8' });
    times.push(Number(/cpu (\d+)/.exec(r.stderr)[1]) / 1000);
  }
  return times.sort((a, b) => a - b)[4];
}

const rows = [
  ['node -e 0 (Node alone)', ['-e', '0']],
  ['furrow --version', [cli, '--version']],
  ['furrow run --help', [cli, 'run', '--help']],
  ['Tab: furrow crop <Tab>', [cli, '__complete', 'crop', '']],
  ['Tab: furrow run <Tab> (study folders)', [cli, '__complete', 'run', '']],
  ['Tab: furrow export study --only <Tab> (plots.yaml)', [cli, '__complete', 'export', 'study', '--only', '']],
];
console.log('command line start: CPU time, median of 9 (ms)');
for (const [label, args] of rows) console.log(`  ${label.padEnd(52)} ${cpu(args).toFixed(0).padStart(5)}`);
fs.rmSync(dir, { recursive: true, force: true });
