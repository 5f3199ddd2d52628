// The Sobol analysis's bootstrap spread over the cores (worker_threads): each resample's weighted sums of the per-row
// terms. Resample r draws its weights from a stream of its own (seeded by the seed and r), so which thread computes
// it changes nothing: the intervals are the same on one core or many. The calling thread takes a share and waits
// (Atomics.wait) for the others, so the analysis stays a plain function call (the library's, the CLI's, the engine's).
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Rng } from '../../../shared/sampling';

/** P(X ≤ x) of a Poisson(1) variable, as thresholds of a 16-bit draw: a table from draw to count. */
const POISSON_ONE = (() => {
  const table = new Uint8Array(65536);
  let x = 0;
  let p = Math.exp(-1);
  let cdf = p;
  for (let u = 0; u < 65536; u++) {
    while ((u + 0.5) / 65536 > cdf && x < 255) {
      x++;
      p /= x;
      cdf += p;
    }
    table[u] = x;
  }
  return table;
})();

/** Resample r's stream: the seed and r through one 32-bit mix, so that neighbouring resamples share nothing. */
const streamOf = (seed: number, r: number) =>
  new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(r + 1, 0x85ebca6b)) >>> 0);

/**
 * A Poisson bootstrap resample (Hanley & MacGibbon 2006; Chamandy et al. 2012): each row drawn Poisson(1) times,
 * independently. Asymptotically the same as drawing m rows with replacement, and a pass over the rows rather than
 * m scattered draws. Fills `weights`; returns their sum.
 */
function poissonWeights(rng: Rng, weights: Uint8Array): number {
  let total = 0;
  for (let t = 0; t < weights.length; t += 2) {
    const u = rng.uint32();
    const first = POISSON_ONE[u >>> 16]!;
    weights[t] = first;
    total += first;
    if (t + 1 < weights.length) {
      const second = POISSON_ONE[u & 0xffff]!;
      weights[t + 1] = second;
      total += second;
    }
  }
  return total;
}

/**
 * sums[q] = Σ_t weights[t] · columns[q][t]. Four columns a pass (each summed in the same order as alone): the
 * weights are read once for four sums, which halves the bootstrap's time (`npm run bench:sensitivity`).
 */
export function weightedSums(columns: Float64Array[], weights: Uint8Array, sums: Float64Array, at = 0): void {
  const m = weights.length;
  for (let q = 0; q < columns.length; q += 4) {
    const c0 = columns[q]!;
    const c1 = columns[q + 1] ?? c0;
    const c2 = columns[q + 2] ?? c0;
    const c3 = columns[q + 3] ?? c0;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let t = 0; t < m; t++) {
      const w = weights[t]!;
      a0 += w * c0[t]!;
      a1 += w * c1[t]!;
      a2 += w * c2[t]!;
      a3 += w * c3[t]!;
    }
    sums[at + q] = a0;
    if (q + 1 < columns.length) sums[at + q + 1] = a1;
    if (q + 2 < columns.length) sums[at + q + 2] = a2;
    if (q + 3 < columns.length) sums[at + q + 3] = a3;
  }
}

/**
 * Resamples [from, to): for each, its weights' total in totals[r] and its weighted sums of the columns in
 * sums[r·T … r·T + T).
 */
export function resampleRange(
  columns: Float64Array[],
  seed: number,
  from: number,
  to: number,
  sums: Float64Array,
  totals: Float64Array,
): void {
  const weights = new Uint8Array(columns[0]?.length ?? 0);
  for (let r = from; r < to; r++) {
    totals[r] = poissonWeights(streamOf(seed, r), weights);
    weightedSums(columns, weights, sums, r * columns.length);
  }
}

/** What a bootstrap thread is given: the columns, where to write, its range and its state (see `spread`). */
export interface BootstrapShare {
  columns: SharedArrayBuffer;
  rows: number;
  count: number;
  sums: SharedArrayBuffer;
  totals: SharedArrayBuffer;
  seed: number;
  from: number;
  to: number;
  /** Int32 per thread: 0 waiting to start, 1 working, 2 done, 3 taken back by the caller, 4 failed. */
  state: SharedArrayBuffer;
  slot: number;
}

const WAITING = 0;
const WORKING = 1;
const DONE = 2;
const TAKEN = 3;
const FAILED = 4;

/** The work of one thread's share: claim it (unless the caller took it back), compute it, say it is done. */
export function runShare(share: BootstrapShare): void {
  const state = new Int32Array(share.state);
  if (Atomics.compareExchange(state, share.slot, WAITING, WORKING) !== WAITING) return;
  const columns = Array.from(
    { length: share.count },
    (_, q) => new Float64Array(share.columns, q * share.rows * 8, share.rows),
  );
  try {
    resampleRange(
      columns,
      share.seed,
      share.from,
      share.to,
      new Float64Array(share.sums),
      new Float64Array(share.totals),
    );
    Atomics.store(state, share.slot, DONE);
  } catch {
    Atomics.store(state, share.slot, FAILED); // the caller does the share itself
  } finally {
    Atomics.notify(state, share.slot);
  }
}

/** The built thread entry (bootstrap.mjs, beside this module once bundled); none when run from source. */
function entry(): string | null {
  try {
    const file = fileURLToPath(new URL('./bootstrap.mjs', import.meta.url));
    return fs.existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** Below this much work (rows × columns × resamples) a thread costs more to start than it saves. */
const WORTH_A_THREAD = 5e7;
/** How long the caller waits for a thread to start before it takes the thread's share back (ms). */
const START_WAIT = 2000;

/**
 * Every resample's weighted sums and weight total, over the cores: `threads` (default: the cores but this one)
 * workers each take an equal share of the resamples, the calling thread the first. A thread that does not start in
 * time, or fails, has its share done by the caller; the result is the same either way. Returns, with them, how
 * many threads did a share (1: the caller alone).
 */
export function bootstrapSums(
  columns: Float64Array[],
  resamples: number,
  seed: number,
  threads = Math.max(0, (os.availableParallelism?.() ?? os.cpus().length) - 1),
): { sums: Float64Array; totals: Float64Array; threads: number } {
  const rows = columns[0]?.length ?? 0;
  const count = columns.length;
  const file = entry();
  const helpers = file && rows * count * resamples >= WORTH_A_THREAD ? Math.min(threads, resamples - 1) : 0;
  if (helpers <= 0) {
    const sums = new Float64Array(resamples * count);
    const totals = new Float64Array(resamples);
    resampleRange(columns, seed, 0, resamples, sums, totals);
    return { sums, totals, threads: 1 };
  }
  const shared = new SharedArrayBuffer(rows * count * 8);
  columns.forEach((c, q) => new Float64Array(shared, q * rows * 8, rows).set(c));
  const sumsBuffer = new SharedArrayBuffer(resamples * count * 8);
  const totalsBuffer = new SharedArrayBuffer(resamples * 8);
  const stateBuffer = new SharedArrayBuffer(4 * helpers);
  const state = new Int32Array(stateBuffer);
  const per = Math.ceil(resamples / (helpers + 1));
  const shares: BootstrapShare[] = Array.from({ length: helpers }, (_, i) => ({
    columns: shared,
    rows,
    count,
    sums: sumsBuffer,
    totals: totalsBuffer,
    seed,
    from: Math.min(resamples, (i + 1) * per),
    to: Math.min(resamples, (i + 2) * per),
    state: stateBuffer,
    slot: i,
  }));
  const workers = shares.map((share) => {
    // None of this process's Node options: `--input-type` (node -e) stops a thread from a file before it starts.
    const worker = new Worker(file!, { workerData: share, execArgv: [] });
    worker.unref();
    worker.on('error', () => undefined); // its share is taken back below
    return worker;
  });
  const sharedColumns = Array.from({ length: count }, (_, q) => new Float64Array(shared, q * rows * 8, rows));
  const sums = new Float64Array(sumsBuffer);
  const totals = new Float64Array(totalsBuffer);
  resampleRange(sharedColumns, seed, 0, Math.min(resamples, per), sums, totals);
  let used = 1;
  shares.forEach((share, i) => {
    Atomics.wait(state, i, WAITING, START_WAIT);
    if (Atomics.compareExchange(state, i, WAITING, TAKEN) === WAITING) {
      resampleRange(sharedColumns, seed, share.from, share.to, sums, totals);
      return;
    }
    while (Atomics.load(state, i) === WORKING) Atomics.wait(state, i, WORKING);
    if (Atomics.load(state, i) === FAILED) resampleRange(sharedColumns, seed, share.from, share.to, sums, totals);
    else used++;
  });
  for (const worker of workers) void worker.terminate();
  return { sums: sums.slice(), totals: totals.slice(), threads: used };
}
