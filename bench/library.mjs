// The library's comboRunner on a trivial inline function, in this process: cases per second.
// Goal (issue 9): at least xyzpy's in-process combo_runner, 0.7–1.3·10^6 cases per second on these machines.
// Then the same function from a module file on worker processes, for what crossing processes costs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { comboRunner, fromModule, Runner } from 'furrow';

const n = 1000;
const combos = { a: Array.from({ length: n }, (_, i) => i), b: Array.from({ length: n }, (_, i) => i / n) };
for (let round = 0; round < 3; round++) {
  const started = performance.now();
  const out = comboRunner(({ a, b }) => a + b, combos);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `comboRunner, 10^6 cases of a + b in-process: ${seconds.toFixed(2)} s, ${Math.round((n * n) / seconds).toLocaleString('en')} cases/s (check: ${out[n - 1][n - 1]})`,
  );
}

// The same function from a module file, on worker processes (the engine's pool, as `furrow run` uses it): what a
// call costs when it crosses to another process and back. 10^5 cases.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-'));
fs.writeFileSync(path.join(dir, 'add.mjs'), 'export default ({ a, b }) => a + b;\n');
const add = await fromModule(path.join(dir, 'add.mjs'));
const small = { a: combos.a.slice(0, 100), b: combos.b };
for (const workers of [1, 2]) {
  const started = performance.now();
  const out = await comboRunner(add, small, { workers });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `comboRunner, 10^5 cases of a + b from a module on ${workers} worker${workers > 1 ? 's' : ''}: ${seconds.toFixed(2)} s, ${Math.round(10 ** 5 / seconds).toLocaleString('en')} cases/s (check: ${out[99][n - 1]})`,
  );
}
const started = performance.now();
const ds = await new Runner(add, { varNames: 'sum' }).runCombos(small, { workers: 2 });
const seconds = (performance.now() - started) / 1000;
console.log(
  `Runner.runCombos into a Dataset, the same on 2 workers: ${seconds.toFixed(2)} s (${ds.variables.sum.data.length.toLocaleString('en')} values)`,
);
fs.rmSync(dir, { recursive: true, force: true });
