// The library's comboRunner on a trivial inline function, in this process: cases per second.
// Goal (issue 9): at least xyzpy's in-process combo_runner, 0.7–1.3·10^6 cases per second on these machines.
import { comboRunner } from 'furrow';

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
