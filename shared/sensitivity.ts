// What a sensitivity analysis answers (`furrow sensitivity`, the library's sensitivity(), the app's What matters
// view): per output, per parameter, its indices. Keys are as SALib names them (S1, S1_conf, ST, ST_conf, mu_star, …).
import { z } from 'zod';
import { scalarSchema as scalar } from './space';

/** The designs `furrow sample --design` (and a run's sample) can make. */
export const DESIGN_NAMES = ['saltelli', 'morris', 'sobol', 'lhs'] as const;
export const designOptionsSchema = z
  .object({
    design: z.enum(DESIGN_NAMES),
    /** Saltelli: also the cases second-order indices need. */
    secondOrder: z.boolean().optional(),
    /** Morris: the levels of its grid (even). */
    levels: z.number().int().min(2).max(1000).optional(),
  })
  .strict();

export const SENSITIVITY_METHODS = ['sobol', 'morris', 'given-data', 'grid'] as const;
export const sensitivityMethodSchema = z.enum(SENSITIVITY_METHODS);
export type SensitivityMethod = z.infer<typeof sensitivityMethodSchema>;

const interval = z.object({ value: z.number(), conf: z.number() });

/** One parameter's indices for one output; which are present depends on the method. `*_conf`: half the 95 % interval. */
export const paramIndicesSchema = z.object({
  S1: z.number().optional(),
  S1_conf: z.number().optional(),
  ST: z.number().optional(),
  ST_conf: z.number().optional(),
  /** Second-order indices with each other parameter (a Saltelli design with --second-order). */
  S2: z.record(z.string(), interval).optional(),
  mu: z.number().optional(),
  mu_star: z.number().optional(),
  mu_star_conf: z.number().optional(),
  sigma: z.number().optional(),
  /** A full grid: the output's mean (and standard deviation) at each of the parameter's levels. */
  main_effect: z.object({ levels: z.array(scalar), mean: z.array(z.number()), std: z.array(z.number()) }).optional(),
});
export type ParamIndices = z.infer<typeof paramIndicesSchema>;

export const sensitivityReportSchema = z.object({
  method: sensitivityMethodSchema,
  /** The parameters analysed, in the design's order. */
  params: z.array(z.string()),
  /** The evaluations (done cases) the analysis used. */
  evaluations: z.number(),
  /** The design the cases came from (`furrow sample --design`), when they did. */
  design: z.object({ name: z.string(), n: z.number(), seed: z.number() }).nullable(),
  /** output → parameter → indices. */
  outputs: z.record(z.string(), z.record(z.string(), paramIndicesSchema)),
});
export type SensitivityReport = z.infer<typeof sensitivityReportSchema>;
