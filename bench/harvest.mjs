// Harvest benchmark (issue 4). Prints figures; asserts nothing. `npm run bench:harvest` builds first.
// 40 rounds (BENCH_ROUNDS), one `furrow run` process per round, each adding 20 new values of `a` × 10 values of `b`,
// every case returning a 5,000-point series: in the end 800 × 10 × 5,000 float64, about 300 MB.
// Goals: the last round costs at most 1.5× the first; merging and writing a round stays under 50 ms at 300 MB;
// at least 2× less wall time than xyzpy's Harvester on the same workload (about 40 s here).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('.vite/build/cli.mjs');
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-harvest-'));
fs.writeFileSync(
  path.join(dir, 'study.yaml'),
  'name: h\nmodel: {module: ./m.mjs}\noutputs: {s: {dims: [t]}}\ncoords: {t: {range: [0, 5000]}}\ncombos:\n  a: [0]\n  b: {range: [0, 10]}\n',
);
fs.writeFileSync(
  path.join(dir, 'm.mjs'),
  'export default ({ a, b }) => Float64Array.from({ length: 5000 }, (_, t) => a + b / 10 + t * 1e-4);\n',
);
const file = path.join(dir, 'data', 'h.nc');

let total = 0;
const walls = [];
const harvests = [];
for (let round = 0; round < rounds; round++) {
  const a = Array.from({ length: 20 }, (_, i) => round * 20 + i);
  const start = performance.now();
  const run = spawnSync(process.execPath, [cli, 'run', dir, '--combo', `a=${a.join(',')}`, '--json'], {
    encoding: 'utf8',
  });
  const wall = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`round ${round + 1} failed:\n${run.stderr}`);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1));
  total += wall;
  walls.push(wall);
  harvests.push(summary.harvest_seconds);
  const mb = fs.statSync(file).size / 2 ** 20;
  console.log(
    `round ${String(round + 1).padStart(2)}: ${wall.toFixed(2)} s, of which merge and write ${(summary.harvest_seconds * 1000).toFixed(0)} ms (${summary.harvest}), dataset ${mb.toFixed(0)} MB`,
  );
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(
  `${rounds} rounds: ${total.toFixed(1)} s in all (xyzpy's Harvester: about 40 s for 40 rounds; goal at most half)`,
);
console.log(
  `last round ${walls.at(-1).toFixed(2)} s vs first ${walls[0].toFixed(2)} s: ${(walls.at(-1) / walls[0]).toFixed(2)}× (goal ≤ 1.5×)`,
);
console.log(
  `merge and write per round: first ${(harvests[0] * 1000).toFixed(0)} ms, median ${(median(harvests.slice(1)) * 1000).toFixed(0)} ms, last ${(harvests.at(-1) * 1000).toFixed(0)} ms (goal < 50 ms at 300 MB)`,
);
fs.rmSync(dir, { recursive: true, force: true });
