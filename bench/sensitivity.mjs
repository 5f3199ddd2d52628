// Sensitivity benchmark (issue 25). Prints figures; asserts nothing. `npm run bench:sensitivity`.
// The design of 10^6 points (a Saltelli design over k = 3 parameters: N = 200,000 base rows, N·(k+2) points; and a
// Latin hypercube of 10^6 points), and the Sobol analysis of 10^6 evaluations with 1,000 bootstrap resamples
// (goals: the design under 1 s, the analysis under 3 s), on one thread and with the bootstrap over the cores.
import os from 'node:os';
import { sobolIndices, unitDesign } from 'furrow';

const k = 3;
const evaluations = Number(process.env.BENCH_EVALUATIONS ?? 1_000_000);
const resamples = Number(process.env.BENCH_RESAMPLES ?? 1000);
const n = Math.floor(evaluations / (k + 2));

const time = (what, work) => {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - wall) / 1000;
  console.log(`${what}: ${seconds.toFixed(2)} s (CPU ${((used.user + used.system) / 1e6).toFixed(2)} s)`);
  return result;
};

const saltelli = time(`a Saltelli design of ${n * (k + 2)} points (N = ${n}, k = ${k}), goal < 1 s`, () =>
  unitDesign({ design: 'saltelli', n, seed: 1 }, k),
);
time(`a Latin hypercube of ${evaluations} points (k = ${k}), goal < 1 s`, () =>
  unitDesign({ design: 'lhs', n: evaluations, seed: 1 }, k),
);

// Ishigami on the design, mapped to (−π, π).
const { points, rows } = saltelli;
const y = new Float64Array(rows);
for (let r = 0; r < rows; r++) {
  const [x1, x2, x3] = [0, 1, 2].map((i) => -Math.PI + 2 * Math.PI * points[r * k + i]);
  y[r] = Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);
}
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')} on ${os.availableParallelism()} cores`,
);
const alone = time(`Sobol S1 and ST of ${rows} evaluations with ${resamples} bootstrap resamples, one thread`, () =>
  sobolIndices(y, n, k, false, { resamples, threads: 0 }),
);
// CPU here is this process's, every thread's: the bootstrap's threads add theirs to it.
const indices = time(
  `Sobol S1 and ST of ${rows} evaluations with ${resamples} bootstrap resamples, over the cores, goal < 3 s`,
  () => sobolIndices(y, n, k, false, { resamples }),
);
const same =
  indices.S1.every((s, i) => s.conf === alone.S1[i].conf) && indices.ST.every((s, i) => s.conf === alone.ST[i].conf);
console.log(`  on ${indices.threads} threads; the same intervals as on one: ${same}`);
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}`,
);
console.log(
  `  S1 ${indices.S1.map((s) => s.value.toFixed(3)).join(', ')}; ST ${indices.ST.map((s) => s.value.toFixed(3)).join(', ')}`,
);
