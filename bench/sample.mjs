// Sampler benchmark (issue 4). Prints figures; asserts nothing. Part of `npm run bench`.
// 10^5 samples (BENCH_SAMPLES) of a trivial module model into the run database: samples per second
// (goal ≥ 10^5/s; psweep does about 5·10^4 psets/s here).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const cli = path.resolve('.vite/build/cli.mjs');
const n = Number(process.env.BENCH_SAMPLES ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-sample-'));
fs.writeFileSync(
  path.join(dir, 'study.yaml'),
  'name: s\nmodel: {module: ./m.mjs}\noutputs: {y: {}}\nsample:\n  seed: 1\n  distributions:\n    a: {uniform: [0, 1]}\n    b: {normal: [0, 1]}\n    c: [x, y, z]\n',
);
fs.writeFileSync(path.join(dir, 'm.mjs'), 'export default ({ a, b }) => a * b;\n');
const start = performance.now();
const run = spawnSync(process.execPath, [cli, 'sample', dir, '-n', String(n), '--json'], { encoding: 'utf8' });
const seconds = (performance.now() - start) / 1000;
if (run.status !== 0) throw new Error(`furrow sample failed:\n${run.stderr}`);
console.log(
  `${n} samples of a trivial module model into the run database: ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} samples/s (goal ≥ 100000/s)`,
);
fs.rmSync(dir, { recursive: true, force: true });
