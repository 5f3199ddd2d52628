// Sampling designs for sensitivity analysis, as SALib's samplers make them: points in the unit hypercube (one row per
// evaluation, one column per parameter), then mapped through each parameter's distribution by its inverse CDF.
// Deterministic given the seed: the analysis makes the same design again to know which row is which.
import erfinv from '@stdlib/math-base-special-erfinv';
import type { DistributionSpec } from '../../../shared/sampling';
import { DESIGN_NAMES } from '../../../shared/sensitivity';
import { builtinDraw, Rng } from '../../../shared/sampling';
import type { Scalar } from '../../../shared/space';
import { MAX_SOBOL_DIMENSIONS, sobolPoints } from './sobol-sequence';

export const DESIGNS = DESIGN_NAMES;
export type DesignName = (typeof DESIGNS)[number];

/** What `furrow sample --design` chooses besides the size and the seed. */
export interface DesignOptions {
  design: DesignName;
  /** Saltelli: also the matrices second-order indices need (N·(2k+2) evaluations instead of N·(k+2)). */
  secondOrder?: boolean | undefined;
  /** Morris: the number of grid levels (even; 4 by default). */
  levels?: number | undefined;
}

export interface DesignSpec extends DesignOptions {
  /** Saltelli: base samples N; Morris: trajectories R; sobol, lhs: points. */
  n: number;
  seed: number;
}

/** A design as the run database records it (the designs table): its spec and its parameters in column order. */
export interface DesignRecord extends DesignSpec {
  params: string[];
}

/** A design in the unit hypercube: `rows` points of `k` coordinates, row after row. */
export interface UnitDesign {
  rows: number;
  k: number;
  points: Float64Array;
}

/** How many evaluations a design of `spec` over `k` parameters takes. */
export function designSize(spec: DesignSpec, k: number): number {
  if (spec.design === 'saltelli') return spec.n * (spec.secondOrder ? 2 * k + 2 : k + 2);
  if (spec.design === 'morris') return spec.n * (k + 1);
  return spec.n;
}

/**
 * Saltelli's scheme (Saltelli et al. 2010, as SALib's `saltelli.sample`): two independent matrices A and B from one
 * scrambled Sobol sequence of 2k dimensions, and for each base row j the block A_j, AB_j^1..AB_j^k (A_j with
 * column i from B_j), with `secondOrder` also BA_j^1..BA_j^k (B_j with column i from A_j), then B_j.
 */
export function saltelli(n: number, k: number, secondOrder: boolean, seed: number): UnitDesign {
  if (2 * k > MAX_SOBOL_DIMENSIONS) {
    throw new RangeError(`a Saltelli design here takes at most ${MAX_SOBOL_DIMENSIONS >> 1} parameters, not ${k}`);
  }
  const base = sobolPoints(n, 2 * k, seed);
  const step = secondOrder ? 2 * k + 2 : k + 2;
  const points = new Float64Array(n * step * k);
  for (let j = 0; j < n; j++) {
    const a = base.subarray(j * 2 * k, j * 2 * k + k);
    const b = base.subarray(j * 2 * k + k, (j + 1) * 2 * k);
    const row = (r: number) => points.subarray((j * step + r) * k, (j * step + r + 1) * k);
    row(0).set(a);
    for (let i = 0; i < k; i++) {
      const ab = row(1 + i);
      ab.set(a);
      ab[i] = b[i]!;
      if (secondOrder) {
        const ba = row(1 + k + i);
        ba.set(b);
        ba[i] = a[i]!;
      }
    }
    row(step - 1).set(b);
  }
  return { rows: n * step, k, points };
}

/**
 * Morris's elementary effects (Morris 1991, the trajectories of Campolongo et al. 2007 without their optimisation):
 * `r` trajectories of k + 1 points on a grid of `levels` levels, each step moving one parameter (in a random order)
 * by Δ = levels / (2 (levels − 1)), up or down. Points are grid values p / (levels − 1).
 */
export function morris(r: number, k: number, levels: number, seed: number): UnitDesign {
  if (levels < 2 || levels % 2 !== 0) throw new RangeError(`--levels ${levels}: give an even number, at least 2`);
  const rng = new Rng(seed);
  const delta = levels / (2 * (levels - 1));
  const points = new Float64Array(r * (k + 1) * k);
  // Starting levels from which a step of Δ up stays on the grid: the lower half.
  const starts = levels / 2;
  for (let t = 0; t < r; t++) {
    const x = Float64Array.from({ length: k }, () => rng.integers(0, starts) / (levels - 1));
    const up = Array.from({ length: k }, () => rng.random() < 0.5);
    // A start in the lower half steps up; mirrored into the upper half, it steps down.
    for (let i = 0; i < k; i++) if (!up[i]) x[i] = x[i]! + delta;
    const order = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const j = rng.integers(0, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const at = (step: number) => points.subarray((t * (k + 1) + step) * k, (t * (k + 1) + step + 1) * k);
    at(0).set(x);
    order.forEach((i, s) => {
      x[i] = x[i]! + (up[i] ? delta : -delta);
      at(s + 1).set(x);
    });
  }
  return { rows: r * (k + 1), k, points };
}

/** A Latin hypercube: each parameter's range cut into n strata, one point in each, strata paired at random. */
export function latinHypercube(n: number, k: number, seed: number): UnitDesign {
  const rng = new Rng(seed);
  const points = new Float64Array(n * k);
  for (let d = 0; d < k; d++) {
    const strata = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.integers(0, i + 1);
      [strata[i], strata[j]] = [strata[j]!, strata[i]!];
    }
    for (let i = 0; i < n; i++) points[i * k + d] = (strata[i]! + rng.random()) / n;
  }
  return { rows: n, k, points };
}

export function unitDesign(spec: DesignSpec, k: number): UnitDesign {
  switch (spec.design) {
    case 'saltelli':
      return saltelli(spec.n, k, spec.secondOrder ?? false, spec.seed);
    case 'morris':
      return morris(spec.n, k, spec.levels ?? 4, spec.seed);
    case 'lhs':
      return latinHypercube(spec.n, k, spec.seed);
    case 'sobol':
      return { rows: spec.n, k, points: sobolPoints(spec.n, k, spec.seed) };
  }
}

/**
 * A distribution's inverse CDF: where the quantile u of the unit interval lands. Lists are uniform choices (the
 * u-th of equal parts); randint as numpy's (lo to hi − 1). A module's draw has no inverse CDF: refused.
 */
export function inverseCdf(spec: DistributionSpec, where: string): (u: number) => Scalar {
  // The same checks of the bounds as a random draw's (lo < hi, sigma > 0, …).
  if (Array.isArray(spec) || !('module' in spec)) builtinDraw(spec, where);
  if (Array.isArray(spec)) return (u) => spec[Math.min(spec.length - 1, Math.floor(u * spec.length))]!;
  if ('uniform' in spec) {
    const [lo, hi] = spec.uniform;
    return (u) => lo + (hi - lo) * u;
  }
  if ('loguniform' in spec) {
    const [lo, hi] = spec.loguniform;
    if (!(lo > 0 && hi > 0)) throw new RangeError(`${where}: loguniform needs bounds above 0`);
    return (u) => lo * (hi / lo) ** u;
  }
  if ('normal' in spec) {
    const [mu, sigma] = spec.normal;
    return (u) => mu + sigma * Math.SQRT2 * erfinv(2 * u - 1);
  }
  if ('randint' in spec) {
    const [lo, hi] = spec.randint;
    return (u) => Math.min(hi - 1, lo + Math.floor(u * (hi - lo)));
  }
  throw new RangeError(
    `${where}: a design maps quantiles through a distribution's inverse CDF, and a module's draw has none; give this parameter a uniform, loguniform, normal, randint or list distribution`,
  );
}

/** The design's points as parameter sets, each parameter through its distribution. */
export function designSamples(
  spec: DesignSpec,
  params: { name: string; distribution: DistributionSpec; where: string }[],
): Record<string, Scalar>[] {
  const k = params.length;
  const maps = params.map((p) => inverseCdf(p.distribution, p.where));
  const unit = unitDesign(spec, k);
  return Array.from({ length: unit.rows }, (_, r) => {
    const row: Record<string, Scalar> = {};
    for (let i = 0; i < k; i++) row[params[i]!.name] = maps[i]!(unit.points[r * k + i]!);
    return row;
  });
}
