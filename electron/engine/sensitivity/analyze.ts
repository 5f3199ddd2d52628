// Sensitivity indices from a model's outputs: Sobol's (from a Saltelli design), Morris's elementary effects (from
// Morris trajectories), first-order indices from any sample (given data), and exact main effects of a full grid.
// Each estimate comes with a bootstrap confidence interval, as SALib gives them: the estimate ± z · the standard
// deviation of the estimates over resamples of the base rows.
import erfinv from '@stdlib/math-base-special-erfinv';
import { Rng } from '../../../shared/sampling';
import { bootstrapSums, weightedSums } from './bootstrap';

export interface Interval {
  value: number;
  /** Half the width of the interval: value ± conf. */
  conf: number;
}

export interface SobolIndices {
  S1: Interval[];
  ST: Interval[];
  /** S2[i][j] for i < j, when the design has the matrices for it. */
  S2: (Interval | null)[][] | null;
  /** Base rows used (those whose evaluations all succeeded). */
  n: number;
  /** The threads the bootstrap's resamples were computed on (1: the calling one alone). */
  threads: number;
}

export interface BootstrapOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
  /** Sobol: threads beside this one for the resamples (default: the cores but one; 0: this thread only). */
  threads?: number;
}

/** The standard normal quantile of (1 + confidence) / 2: 1.96 for 95 %. */
function zOf(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence ${confidence}: give a level in (0, 1)`);
  return Math.SQRT2 * erfinv(confidence);
}

/** The sample standard deviation (ddof 1) of `xs`. */
function std(xs: Float64Array): number {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return Math.sqrt(ss / Math.max(1, xs.length - 1));
}

/** A uniform index in [0, n) from one 32-bit draw. */
const indexOf = (rng: Rng, n: number) => Math.floor((rng.uint32() * n) / 4294967296);

/**
 * Sobol's indices from the outputs `y` of a Saltelli design (saltelli() in designs.ts, in its row order) of `n` base
 * rows over `k` parameters. First order by Saltelli et al. (2010), Table 2 (b):
 *   S1_i = mean(f(B) · (f(AB_i) − f(A))) / Var(f(A), f(B)),
 * total order by Jansen (1999), as in Saltelli et al. (2010), Table 2 (f):
 *   ST_i = mean((f(A) − f(AB_i))²) / (2 Var),
 * second order by Saltelli (2002): V_ij = mean(f(BA_i) · f(AB_j) − f(A) · f(B)) / Var, S2_ij = V_ij − S1_i − S1_j.
 * A base row with a missing (NaN) evaluation is left out whole.
 */
export function sobolIndices(
  y: Float64Array,
  n: number,
  k: number,
  secondOrder: boolean,
  options: BootstrapOptions = {},
): SobolIndices {
  const step = secondOrder ? 2 * k + 2 : k + 2;
  if (y.length !== n * step) throw new RangeError(`expected ${n * step} evaluations (${n} base rows), got ${y.length}`);
  const rows: number[] = [];
  for (let j = 0; j < n; j++) {
    let ok = true;
    for (let r = 0; r < step && ok; r++) ok = Number.isFinite(y[j * step + r]!);
    if (ok) rows.push(j * step);
  }
  const m = rows.length;
  // Every estimate is a ratio of means over the base rows of per-row terms: a + b and a² + b² (the variance),
  // b (ab_i − a) for S1_i, (a − ab_i)² for ST_i, ba_i ab_j − a b for V_ij. Computed once, a column per term; a
  // resample only reweights the rows.
  const pairs = secondOrder ? (k * (k - 1)) / 2 : 0;
  const T = 2 + 2 * k + pairs;
  const terms = Array.from({ length: T }, () => new Float64Array(m));
  rows.forEach((at, t) => {
    const a = y[at]!;
    const b = y[at + step - 1]!;
    terms[0]![t] = a + b;
    terms[1]![t] = a * a + b * b;
    for (let i = 0; i < k; i++) {
      const ab = y[at + 1 + i]!;
      terms[2 + i]![t] = b * (ab - a);
      terms[2 + k + i]![t] = (a - ab) * (a - ab);
    }
    let p = 2 + 2 * k;
    if (secondOrder) {
      for (let i = 0; i < k; i++)
        for (let j = i + 1; j < k; j++) terms[p++]![t] = y[at + 1 + k + i]! * y[at + 1 + j]! - a * b;
    }
  });
  /** The indices from the terms' weighted sums over `weight` rows: S1 (k), ST (k), V_ij (pairs). */
  const indices = (sums: Float64Array, weight: number): Float64Array => {
    const mean = sums[0]! / (2 * weight);
    const variance = sums[1]! / (2 * weight) - mean * mean;
    const out = new Float64Array(2 * k + pairs);
    for (let i = 0; i < k; i++) {
      out[i] = sums[2 + i]! / (weight * variance);
      out[k + i] = sums[2 + k + i]! / (2 * weight * variance);
    }
    for (let p = 0; p < pairs; p++) out[2 * k + p] = sums[2 + 2 * k + p]! / (weight * variance);
    return out;
  };
  const sums = new Float64Array(T);
  const ones = new Uint8Array(m).fill(1);
  weightedSums(terms, ones, sums);
  const point = indices(sums, m);

  const { resamples = 1000, confidence = 0.95, seed = 1 } = options;
  const boot = Array.from({ length: point.length }, () => new Float64Array(resamples));
  // Every resample's weighted sums, over the cores (bootstrap.ts), then its indices.
  const resampled = bootstrapSums(terms, resamples, seed, options.threads);
  for (let r = 0; r < resamples; r++) {
    const once = indices(resampled.sums.subarray(r * T, (r + 1) * T), resampled.totals[r]!);
    for (let s = 0; s < once.length; s++) boot[s]![r] = once[s]!;
  }
  const z = zOf(confidence);
  const interval = (s: number): Interval => ({ value: point[s]!, conf: z * std(boot[s]!) });
  const pairIndex = (i: number, j: number) => 2 * k + i * k - (i * (i + 1)) / 2 + (j - i - 1);
  const s2 = (i: number, j: number): Interval => {
    const v = pairIndex(i, j);
    // S2_ij = V_ij − S1_i − S1_j, per resample too.
    const per = boot[v]!.map((x, r) => x - boot[i]![r]! - boot[j]![r]!);
    return { value: point[v]! - point[i]! - point[j]!, conf: z * std(per) };
  };
  return {
    S1: Array.from({ length: k }, (_, i) => interval(i)),
    ST: Array.from({ length: k }, (_, i) => interval(k + i)),
    S2: secondOrder
      ? Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (j > i ? s2(i, j) : null)))
      : null,
    n: m,
    threads: resampled.threads,
  };
}

export interface MorrisIndices {
  mu: number[];
  muStar: Interval[];
  sigma: number[];
  /** Trajectories used (those whose evaluations all succeeded). */
  r: number;
}

/**
 * Morris's elementary effects (Morris 1991) with μ* (Campolongo et al. 2007): from the unit points `x` and outputs
 * `y` of `r` trajectories of k + 1 points (morris() in designs.ts), EE_i = (f(after) − f(before)) / Δ for the step
 * that moved parameter i, signed by its direction; μ = mean EE, μ* = mean |EE|, σ = sd EE (ddof 1).
 */
export function morrisIndices(
  x: Float64Array,
  y: Float64Array,
  r: number,
  k: number,
  options: BootstrapOptions = {},
): MorrisIndices {
  const effects = Array.from({ length: k }, () => [] as number[]);
  let used = 0;
  for (let t = 0; t < r; t++) {
    const base = t * (k + 1);
    let ok = true;
    for (let s = 0; s <= k && ok; s++) ok = Number.isFinite(y[base + s]!);
    if (!ok) continue;
    used++;
    for (let s = 0; s < k; s++) {
      const before = (base + s) * k;
      const after = (base + s + 1) * k;
      for (let i = 0; i < k; i++) {
        const delta = x[after + i]! - x[before + i]!;
        if (delta !== 0) effects[i]!.push((y[base + s + 1]! - y[base + s]!) / delta);
      }
    }
  }
  const { resamples = 1000, confidence = 0.95, seed = 1 } = options;
  const rng = new Rng(seed);
  const z = zOf(confidence);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    mu: effects.map(mean),
    sigma: effects.map((ee) => std(Float64Array.from(ee))),
    muStar: effects.map((ee) => {
      const abs = ee.map(Math.abs);
      const boot = new Float64Array(resamples);
      for (let b = 0; b < resamples; b++) {
        let s = 0;
        for (let t = 0; t < abs.length; t++) s += abs[indexOf(rng, abs.length)]!;
        boot[b] = s / abs.length;
      }
      return { value: mean(abs), conf: z * std(boot) };
    }),
    r: used,
  };
}

/**
 * First-order indices from any sample (no design): the variance of the output's mean over equiprobable bins of each
 * parameter, over the output's variance (the binned conditional-variance estimator; Plischke, Borgonovo & Smith
 * 2013 discuss it and its bias). The bias of the binned means' variance, (bins − 1)/n of the mean within-bin
 * variance, is taken off. `columns[i]` holds parameter i's values, one per evaluation.
 */
export function givenDataIndices(
  columns: Float64Array[],
  y: Float64Array,
  options: BootstrapOptions & { bins?: number } = {},
): { S1: Interval[]; n: number } {
  const keep: number[] = [];
  for (let e = 0; e < y.length; e++)
    if (Number.isFinite(y[e]!) && columns.every((c) => Number.isFinite(c[e]!))) keep.push(e);
  const n = keep.length;
  const bins = options.bins ?? Math.max(2, Math.min(50, Math.round(Math.cbrt(n))));
  const { resamples = 1000, confidence = 0.95, seed = 1 } = options;
  const rng = new Rng(seed);
  const z = zOf(confidence);
  return {
    S1: columns.map((column) => {
      // Each evaluation's bin by the rank of its parameter value: equiprobable whatever the distribution.
      const order = keep.slice().sort((a, b) => column[a]! - column[b]!);
      const binOf = new Int32Array(y.length);
      order.forEach((e, rank) => (binOf[e] = Math.min(bins - 1, Math.floor((rank * bins) / n))));
      const estimate = (pick: (t: number) => number) => {
        const count = new Float64Array(bins);
        const sum = new Float64Array(bins);
        const squares = new Float64Array(bins);
        let total = 0;
        let totalSquares = 0;
        for (let t = 0; t < n; t++) {
          const e = keep[pick(t)]!;
          const v = y[e]!;
          const b = binOf[e]!;
          count[b] = count[b]! + 1;
          sum[b] = sum[b]! + v;
          squares[b] = squares[b]! + v * v;
          total += v;
          totalSquares += v * v;
        }
        const mean = total / n;
        const variance = totalSquares / n - mean * mean;
        let between = 0;
        let within = 0;
        for (let b = 0; b < bins; b++) {
          if (count[b] === 0) continue;
          const mb = sum[b]! / count[b]!;
          between += (count[b]! / n) * (mb - mean) ** 2;
          within += (count[b]! / n) * (squares[b]! / count[b]! - mb * mb);
        }
        return (between - ((bins - 1) / n) * within) / variance;
      };
      const boot = new Float64Array(resamples);
      for (let r = 0; r < resamples; r++) boot[r] = estimate(() => indexOf(rng, n));
      return { value: estimate((t) => t), conf: z * std(boot) };
    }),
    n,
  };
}

export interface MainEffect {
  /** The parameter's levels, as the grid has them. */
  levels: number;
  /** The output's mean at each level (over every other parameter), and its standard deviation there. */
  mean: number[];
  std: number[];
  /** Exact first-order index of the grid: the variance of the means over the output's variance. */
  S1: number;
}

/**
 * Exact main effects of a full grid (ANOVA): `values` over dims of sizes `shape` (C order), every cell filled; for
 * each dim, the mean of the output at each of its levels, and S1 = Var(means) / Var(values) (each level weighted
 * equally, as the grid has them; 0 for a constant output).
 */
export function gridMainEffects(values: Float64Array, shape: number[]): MainEffect[] {
  const anova = new GridAnova(shape, 1);
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const levels = new Int32Array(shape.length);
  for (let c = 0; c < values.length; c++) {
    shape.forEach((size, axis) => (levels[axis] = Math.floor(c / strides[axis]!) % size));
    anova.add(levels, values.subarray(c, c + 1));
  }
  return anova.effects().map((e, axis) => ({
    levels: shape[axis]!,
    mean: e.mean.map((m) => m[0]!),
    std: e.std.map((s) => s[0]!),
    S1: Number.isNaN(e.S1[0]!) ? 0 : e.S1[0]!,
  }));
}

/** A grid's S1 below this is rounding, not an effect. */
const ROUNDING = 1e-12;

/** A grid's main effects at each of `width` coordinates: per level, the mean and std there; S1 per coordinate. */
export interface MainEffectsAlong {
  /** mean[level][coordinate] */
  mean: Float64Array[];
  std: Float64Array[];
  /** NaN where the output is constant, or not a number in some cell. */
  S1: Float64Array;
}

/**
 * The exact main effects of a full grid (ANOVA), at each of `width` coordinates at once (an output with dims of its
 * own), fed a cell at a time in any order, so the grid's values need never be in memory together. Each sum is of a
 * value less the first cell's there, which keeps Σ(y − ȳ)² from cancelling when the spread is small beside the mean.
 */
export class GridAnova {
  private readonly offsets: number[];
  private readonly shift: Float64Array;
  private readonly sums: Float64Array;
  private readonly squares: Float64Array;
  /** Per dim and level (offsets[dim] + level), a row of `width`. */
  private readonly levelSums: Float64Array;
  private readonly levelSquares: Float64Array;
  private cells = 0;

  constructor(
    private readonly shape: number[],
    private readonly width: number,
  ) {
    let at = 0;
    this.offsets = shape.map((size) => ((at += size), at - size));
    this.shift = new Float64Array(width);
    this.sums = new Float64Array(width);
    this.squares = new Float64Array(width);
    this.levelSums = new Float64Array(at * width);
    this.levelSquares = new Float64Array(at * width);
  }

  /** One cell: its level on each dim, and the output's `width` values there (NaN where it has none). */
  add(levels: ArrayLike<number>, values: ArrayLike<number>): void {
    const w = this.width;
    if (this.cells++ === 0) for (let c = 0; c < w; c++) this.shift[c] = values[c]!;
    const rows = this.offsets.map((offset, axis) => (offset + levels[axis]!) * w);
    for (let c = 0; c < w; c++) {
      const v = values[c]! - this.shift[c]!;
      const v2 = v * v;
      this.sums[c] = this.sums[c]! + v;
      this.squares[c] = this.squares[c]! + v2;
      for (const row of rows) {
        this.levelSums[row + c] = this.levelSums[row + c]! + v;
        this.levelSquares[row + c] = this.levelSquares[row + c]! + v2;
      }
    }
  }

  /** Each dim's main effects; every cell of the grid must have been added once. */
  effects(): MainEffectsAlong[] {
    const total = this.shape.reduce((a, b) => a * b, 1);
    if (this.cells !== total) throw new RangeError(`${this.cells} cells of the grid's ${total} were given`);
    const w = this.width;
    const grand = Float64Array.from(this.sums, (s) => s / total);
    const variance = Float64Array.from(this.squares, (q, c) => q / total - grand[c]! ** 2);
    return this.shape.map((size, axis) => {
      const per = total / size;
      const mean: Float64Array[] = [];
      const std: Float64Array[] = [];
      const between = new Float64Array(w);
      for (let level = 0; level < size; level++) {
        const row = (this.offsets[axis]! + level) * w;
        const m = new Float64Array(w);
        const s = new Float64Array(w);
        for (let c = 0; c < w; c++) {
          const shifted = this.levelSums[row + c]! / per;
          m[c] = this.shift[c]! + shifted;
          s[c] = Math.sqrt(Math.max(0, this.levelSquares[row + c]! / per - shifted * shifted));
          between[c] = between[c]! + (shifted - grand[c]!) ** 2 / size;
        }
        mean.push(m);
        std.push(s);
      }
      // Below 1e-12 is rounding of level means that are equal (sums taken in another order): 0, as it is.
      const S1 = Float64Array.from(between, (b, c) =>
        variance[c]! > 0 ? (b / variance[c]! < ROUNDING ? 0 : b / variance[c]!) : NaN,
      );
      return { mean, std, S1 };
    });
  }
}
