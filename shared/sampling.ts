// Random sampling of a parameter space (xyzpy's Sampler): distributions, a seeded generator that draws the same
// numbers on every machine, and the draws themselves. Samples go into the run database, never into the gridded
// dataset.
import { z } from 'zod';
import type { Scalar } from './space';
import { scalarSchema as scalar } from './space';
const pair = z.tuple([z.number(), z.number()]);

/** One parameter's distribution, as written in `sample.distributions` or `--set name=…`. */
export const distributionSchema = z.union([
  /** A uniform choice among these values. */
  z.array(scalar).min(1),
  z.object({ uniform: pair }).strict(),
  z.object({ loguniform: pair }).strict(),
  z.object({ normal: pair }).strict(),
  /** Integers from lo to hi - 1 (numpy's randint). */
  z.object({ randint: pair }).strict(),
  /** An ES module's export (default unless `export:`), called as `(rng) => value` for each sample. */
  z.object({ module: z.string().min(1), export: z.string().min(1).optional() }).strict(),
]);
export type DistributionSpec = z.infer<typeof distributionSchema>;

/**
 * A seeded generator: sfc32 (32-bit integer arithmetic only, so the same seed gives the same draws on every
 * machine), seeded through splitmix32. Normal draws use Box-Muller.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  private spare: number | null = null;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 53 random bits. */
  random(): number {
    return ((this.uint32() >>> 5) * 67108864 + (this.uint32() >>> 6)) / 9007199254740992;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  /** An integer in [lo, hi). */
  integers(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo));
  }

  normal(mu: number, sigma: number): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mu + sigma * z;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.random();
    this.spare = r * Math.sin(theta);
    return mu + sigma * r * Math.cos(theta);
  }

  choice<T>(values: readonly T[]): T {
    return values[this.integers(0, values.length)]!;
  }
}

export type Draw = (rng: Rng) => unknown;

/** The draw for a distribution that needs no code of its own (a module distribution is resolved by the engine). */
export function builtinDraw(spec: Exclude<DistributionSpec, { module: string }>, where: string): Draw {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`${where}: ${what}`);
  };
  if (Array.isArray(spec)) return (rng) => rng.choice(spec);
  if ('uniform' in spec) {
    const [lo, hi] = spec.uniform;
    check(lo < hi, `uniform [lo, hi] needs lo < hi`);
    return (rng) => rng.uniform(lo, hi);
  }
  if ('loguniform' in spec) {
    const [lo, hi] = spec.loguniform;
    check(lo > 0 && lo < hi, `loguniform [lo, hi] needs 0 < lo < hi`);
    return (rng) => Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
  }
  if ('normal' in spec) {
    const [mu, sigma] = spec.normal;
    check(sigma > 0, `normal [mu, sigma] needs sigma > 0`);
    return (rng) => rng.normal(mu, sigma);
  }
  const [lo, hi] = spec.randint;
  check(Number.isInteger(lo) && Number.isInteger(hi) && lo < hi, `randint [lo, hi] needs integers lo < hi`);
  return (rng) => rng.integers(lo, hi);
}

/** `n` samples: sample by sample, each parameter drawn in the order given. */
export function drawSamples(n: number, draws: [string, Draw][], seed: number): Record<string, Scalar>[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const sample: Record<string, Scalar> = {};
    for (const [name, draw] of draws) {
      const value = draw(rng);
      if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
        throw new Error(`the distribution of '${name}' gave ${typeof value}; a sample is a number, string or boolean`);
      }
      sample[name] = value;
    }
    return sample;
  });
}
