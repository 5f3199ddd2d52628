// How fast `furrow run` pushes cases of a trivial module model through its workers into the dataset.
// Prints figures; asserts nothing. `npm run bench` (builds first).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('.vite/build/cli.mjs');
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);

function study(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-'));
  const a = Math.round(Math.sqrt(n));
  fs.writeFileSync(
    path.join(dir, 'study.yaml'),
    `name: bench\nmodel: {module: ./model.mjs}\noutputs: {y: {}, z: {dims: [t]}}\ncoords: {t: {range: [0, 8]}}\ncombos:\n  a: {range: [0, ${a}]}\n  b: {range: [0, ${Math.ceil(n / a)}]}\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'model.mjs'),
    'export default ({ a, b }) => ({ y: a * b, z: [0, 1, 2, 3, 4, 5, 6, 7].map((t) => a + b * t) });\n',
  );
  return dir;
}

console.log('cases     workers  seconds  cases/s  dataset MB');
for (const n of sizes) {
  for (const workers of [1, 2]) {
    const dir = study(n);
    const start = performance.now();
    const run = spawnSync(process.execPath, [cli, 'run', dir, '--workers', String(workers), '--json'], {
      encoding: 'utf8',
    });
    const seconds = (performance.now() - start) / 1000;
    if (run.status !== 0) {
      console.log(`${n}: failed\n${run.stderr}`);
      continue;
    }
    const summary = JSON.parse(run.stdout.trim().split('\n').pop());
    const mb = fs.statSync(summary.dataset).size / 1e6;
    console.log(
      `${String(summary.cases).padEnd(9)} ${String(workers).padEnd(8)} ${seconds.toFixed(2).padStart(7)}  ${Math.round(
        summary.cases / seconds,
      )
        .toString()
        .padStart(7)}  ${mb.toFixed(2).padStart(10)}`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
