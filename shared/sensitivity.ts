// What a sensitivity analysis answers (`furrow sensitivity`, the library's sensitivity(), the app's What matters
// view): per output, per parameter, its indices. Keys are as SALib names them (S1, S1_conf, ST, ST_conf, mu_star, …).
import { z } from 'zod';
import { REDUCERS } from './plot-spec';
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

/**
 * A list per index: one value per coordinate of the output's own dims (C order); null where the output is constant,
 * or (a full grid) not a number in some cell.
 */
const perCoordinate = z.array(z.number().nullable());

/** One parameter's indices along an output's own dims (per coordinate); which are present depends on the method. */
export const paramIndicesAlongSchema = z.object({
  S1: perCoordinate.optional(),
  S1_conf: perCoordinate.optional(),
  ST: perCoordinate.optional(),
  ST_conf: perCoordinate.optional(),
  /** Second-order indices with each other parameter, each a list over the coordinates (as S2 of a scalar output). */
  S2: z.record(z.string(), z.object({ value: perCoordinate, conf: perCoordinate })).optional(),
  /** A full grid: at each of the parameter's levels, the output's mean (and standard deviation) at each coordinate. */
  main_effect: z
    .object({ levels: z.array(scalar), mean: z.array(perCoordinate), std: z.array(perCoordinate) })
    .optional(),
  mu: perCoordinate.optional(),
  mu_star: perCoordinate.optional(),
  mu_star_conf: perCoordinate.optional(),
  sigma: perCoordinate.optional(),
});
export type ParamIndicesAlong = z.infer<typeof paramIndicesAlongSchema>;
/** The indices along an output's dims that are one list over the coordinates (S2 and main_effect nest theirs). */
export const ALONG_LISTS = ['S1', 'S1_conf', 'ST', 'ST_conf', 'mu', 'mu_star', 'mu_star_conf', 'sigma'] as const;
export type AlongList = (typeof ALONG_LISTS)[number];

/** An output with dims of its own (left after the reductions asked for): its indices at each coordinate. */
export const indicesAlongSchema = z.object({
  /** The dims left, with their coordinates (the study's `coords:`, else positions 0, 1, …). */
  dims: z.array(z.object({ name: z.string(), values: z.array(scalar) })),
  /** parameter → indices, each a list over the coordinates. */
  params: z.record(z.string(), paramIndicesAlongSchema),
});
export type IndicesAlong = z.infer<typeof indicesAlongSchema>;

/** How an output's own dim is reduced before the analysis: as the plot builder reduces (`reduce: {time: mean}`). */
export const sensitivityReduceSchema = z.record(z.string().min(1), z.enum(REDUCERS));

export const sensitivityReportSchema = z.object({
  method: sensitivityMethodSchema,
  /** The parameters analysed, in the design's order. */
  params: z.array(z.string()),
  /** The evaluations (done cases) the analysis used. */
  evaluations: z.number(),
  /** The design the cases came from (`furrow sample --design`), when they did. */
  design: z.object({ name: z.string(), n: z.number(), seed: z.number() }).nullable(),
  /** The reductions of outputs' own dims applied before the analysis (dim → reducer); {} for none. */
  reduce: sensitivityReduceSchema,
  /** output → parameter → indices: the scalar outputs, and those whose own dims were all reduced. */
  outputs: z.record(z.string(), z.record(z.string(), paramIndicesSchema)),
  /** output → its indices per coordinate: the outputs with dims of their own left. */
  along: z.record(z.string(), indicesAlongSchema),
});
export type SensitivityReport = z.infer<typeof sensitivityReportSchema>;
