// Adaptive sampling benchmark (issue 26). Prints figures; asserts nothing. `npm run bench:adaptive`.
// - 1-D, python-adaptive's peak f(x) = x + a²/(a² + x²), a = 0.01 on [-1, 1]: the points the learner needs for a
//   maximum error of linear interpolation (on 10^5 test points) under 0.01, beside the uniform grid that reaches it
//   (goal: at least 5× fewer).
// - 2-D, python-adaptive's ring f = x + exp(-(x² + y² - 0.75²)² / a⁴), a = 0.2 on [-1, 1]²: the L2 error of the
//   learner's linear interpolation after N points, beside the uniform grid that reaches the same (goal: 3× fewer).
// - The cost of choosing the next point at 10^4 points in 2-D (goal: under 1 ms), in wall-clock and CPU time (on a
//   busy machine the slowest asks are the process waiting for a core: the CPU time says what the learner costs).
// - 2 worker processes and a model that takes 20 ms: the share of the time both are in the model (goal: 90 %).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromModule, Learner1D, Learner2D, LearnerND, runLearner } from 'furrow';

const only = process.env.BENCH_ONLY?.split(',');
const want = (part) => !only || only.includes(part);

// ---- 1-D peak
const a1 = 0.01;
const peak = (x) => x + (a1 * a1) / (a1 * a1 + x * x);
const TEST_1D = 100_000;
const testX = Float64Array.from({ length: TEST_1D }, (_, t) => -1 + (2 * t) / (TEST_1D - 1));
const testPeak = testX.map(peak);

/** Largest error of the linear interpolation of sorted (xs, ys) on the test points. */
function maxError1D(xs, ys) {
  let worst = 0;
  let k = 0;
  for (let t = 0; t < TEST_1D; t++) {
    const x = testX[t];
    while (k + 2 < xs.length && xs[k + 1] < x) k++;
    const y = ys[k] + ((ys[k + 1] - ys[k]) * (x - xs[k])) / (xs[k + 1] - xs[k]);
    worst = Math.max(worst, Math.abs(y - testPeak[t]));
  }
  return worst;
}

function learnerPointsFor1D(loss, target) {
  const learner = new Learner1D([-1, 1], { loss });
  for (let n = 1; n <= 100_000; n++) {
    const [[x]] = learner.ask(1).points;
    learner.tell([x], peak(x));
    if (n < 3) continue;
    const sorted = learner
      .data()
      .map((p) => [p.x[0], p.y])
      .sort((p, q) => p[0] - q[0]);
    const error = maxError1D(
      sorted.map((p) => p[0]),
      sorted.map((p) => p[1]),
    );
    if (error < target) return { n, error };
  }
  return { n: NaN, error: NaN };
}

/** The uniform grids: the smallest size under the target, and the smallest from which every larger one is too. */
function gridPointsFor1D(target, upTo) {
  let first = null;
  let lastOver = 0;
  for (let n = 3; n <= upTo; n++) {
    const xs = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
    const error = maxError1D(xs, xs.map(peak));
    if (error < target) first ??= { n, error };
    else lastOver = n;
  }
  return { first, always: lastOver + 1 };
}

if (want('1d')) {
  console.log('1-D peak, a = 0.01 on [-1, 1]: points for a maximum interpolation error < 0.01 (10^5 test points)');
  const grid = gridPointsFor1D(0.01, 3000);
  console.log(
    `  uniform grid: ${grid.first.n} points (error ${grid.first.error.toFixed(4)}); every grid of ${grid.always} points or more`,
  );
  for (const loss of ['default', 'curvature']) {
    const { n, error } = learnerPointsFor1D(loss, 0.01);
    console.log(
      `  Learner1D (${loss} loss): ${n} points (error ${error.toFixed(4)}): ${(grid.first.n / n).toFixed(1)}× fewer than the grid (goal ≥ 5×)`,
    );
  }
}

// ---- 2-D ring
const a2 = 0.2;
const ring = (x, y) => x + Math.exp(-((x * x + y * y - 0.75 * 0.75) ** 2) / a2 ** 4);
const M = 400; // test points per side, at cell centres
const testRing = new Float64Array(M * M);
for (let i = 0; i < M; i++) {
  for (let j = 0; j < M; j++) testRing[i * M + j] = ring(-1 + (2 * (i + 0.5)) / M, -1 + (2 * (j + 0.5)) / M);
}

function l2Learner(learner) {
  let sum = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      const y = learner.interpolate([-1 + (2 * (i + 0.5)) / M, -1 + (2 * (j + 0.5)) / M]);
      sum += (y - testRing[i * M + j]) ** 2;
    }
  }
  return Math.sqrt(sum / (M * M));
}

/** The L2 error of the linear interpolation on an n × n grid, each cell cut into two triangles. */
function l2Grid(n) {
  const h = 2 / (n - 1);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[i * n + j] = ring(-1 + i * h, -1 + j * h);
  let sum = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      const x = -1 + (2 * (i + 0.5)) / M;
      const y = -1 + (2 * (j + 0.5)) / M;
      const ci = Math.min(n - 2, Math.floor((x + 1) / h));
      const cj = Math.min(n - 2, Math.floor((y + 1) / h));
      const u = (x + 1) / h - ci;
      const w = (y + 1) / h - cj;
      const [v00, v10, v01, v11] = [v[ci * n + cj], v[(ci + 1) * n + cj], v[ci * n + cj + 1], v[(ci + 1) * n + cj + 1]];
      const est = u >= w ? v00 + u * (v10 - v00) + w * (v11 - v10) : v00 + w * (v01 - v00) + u * (v11 - v01);
      sum += (est - testRing[i * M + j]) ** 2;
    }
  }
  return Math.sqrt(sum / (M * M));
}

if (want('2d')) {
  console.log('2-D ring, a = 0.2 on [-1, 1]²: L2 error of linear interpolation (400 × 400 test points)');
  const grids = [];
  for (let n = 5; n <= 400; n++) grids.push({ n, error: l2Grid(n) });
  const learner = new Learner2D([
    [-1, 1],
    [-1, 1],
  ]);
  let told = 0;
  for (const target of [500, 1000, 2000, 4000, 10000]) {
    for (; told < target; told++) {
      const [[x, y]] = learner.ask(1).points;
      learner.tell([x, y], ring(x, y));
    }
    const error = l2Learner(learner);
    const grid = grids.find((g) => g.error <= error);
    const gridPoints = grid ? grid.n * grid.n : NaN;
    console.log(
      `  Learner2D ${target} points: L2 ${error.toExponential(2)}; the grid that reaches it: ${grid?.n}² = ${gridPoints} points, ${(gridPoints / target).toFixed(1)}× more (goal ≥ 3×)`,
    );
  }
}

// ---- the cost of asking at 10^4 points
if (want('ask')) {
  const learner = new Learner2D([
    [-1, 1],
    [-1, 1],
  ]);
  for (let n = 0; n < 10_000; n++) {
    const [[x, y]] = learner.ask(1).points;
    learner.tell([x, y], ring(x, y));
  }
  const asks = [];
  const tells = [];
  let askCpu = 0;
  for (let n = 0; n < 2000; n++) {
    let t = performance.now();
    const cpu = process.cpuUsage();
    const [[x, y]] = learner.ask(1).points;
    const used = process.cpuUsage(cpu);
    asks.push(performance.now() - t);
    askCpu += (used.user + used.system) / 1000;
    const value = ring(x, y);
    t = performance.now();
    learner.tell([x, y], value);
    tells.push(performance.now() - t);
  }
  const q = (xs, p) => [...xs].sort((u, v) => u - v)[Math.floor(p * (xs.length - 1))];
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(
    `2-D, 10^4 to 1.2·10^4 points: choosing the next point (ask) ${mean(asks).toFixed(3)} ms mean, median ${q(asks, 0.5).toFixed(3)}, 99th percentile ${q(asks, 0.99).toFixed(3)} (goal < 1 ms), CPU time ${(askCpu / asks.length).toFixed(3)} ms mean; telling a value ${mean(tells).toFixed(3)} ms mean`,
  );
}

// ---- N-D: the CPU time of a point (ask and tell) up to 10^3 points, on a thin spherical shell
if (want('nd')) {
  const shell = (x) => Math.exp(-((Math.hypot(...x) - 0.5) ** 2) / 0.005);
  for (const d of [3, 4]) {
    const learner = new LearnerND(Array.from({ length: d }, () => [-1, 1]));
    const cpu = process.cpuUsage();
    for (let n = 0; n < 1000; n++) {
      const [x] = learner.ask(1).points;
      learner.tell(x, shell(x));
    }
    const used = process.cpuUsage(cpu);
    console.log(
      `LearnerND ${d}-D, 10^3 points: ${((used.user + used.system) / 1e6).toFixed(2)} ms of CPU time per point (ask and tell)`,
    );
  }
}

// ---- 2 workers, a 20 ms model
if (want('workers')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-adaptive-'));
  const file = path.join(dir, 'model.mjs');
  fs.writeFileSync(
    file,
    `const a = 0.2;
const pause = new Int32Array(new SharedArrayBuffer(4));
/** The ring, taking 20 ms (asleep, so the figure does not depend on how busy the cores are). */
export function ring([x, y]) {
  Atomics.wait(pause, 0, 0, 20);
  return x + Math.exp(-((x * x + y * y - 0.75 * 0.75) ** 2) / a ** 4);
}
`,
  );
  const model = await fromModule(file, 'ring');
  for (const points of [200, 1000]) {
    const learner = new Learner2D([
      [-1, 1],
      [-1, 1],
    ]);
    const run = await runLearner(learner, model, { goal: { points }, workers: 2 });
    console.log(
      `2 worker processes, a 20 ms model, ${points} points: ${run.seconds.toFixed(2)} s (${run.startup.toFixed(2)} s of it starting the workers; ideal ${((points * 0.02) / 2).toFixed(2)} s + start-up); from the first call on both workers were in the model ${(100 * run.busy).toFixed(1)} % of the time (goal ≥ 90 %)`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
