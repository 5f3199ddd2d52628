// Adaptive sampling (`furrow adapt`, the app's Adapt mode): what a person asks for, and what the engine reports while
// its learners choose where to call the model next (where the output changes fastest), as python-adaptive does.
import { z } from 'zod';
import { scalarSchema as scalar } from './space';

/** How a learner scores where to sample next: `default` (distance, in 2-D area and interpolation error), `curvature`, `uniform`. */
export const ADAPT_LOSSES = ['default', 'curvature', 'uniform'] as const;
export const adaptLossSchema = z.enum(ADAPT_LOSSES);
export type AdaptLoss = z.infer<typeof adaptLossSchema>;

/** One learned parameter and its range (`--param x=LO:HI`). */
export const adaptRangeSchema = z
  .object({ name: z.string().min(1), lo: z.number(), hi: z.number() })
  .refine((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi) && r.lo < r.hi, {
    message: 'a range needs LO < HI, both finite numbers',
  });
export type AdaptRange = z.infer<typeof adaptRangeSchema>;

/** When to stop (`--goal`): the first goal met ends the run. At least one is needed. */
export const adaptGoalSchema = z
  .object({
    /** The learners' loss at or below this. */
    loss: z.number().positive().optional(),
    /** This many points evaluated in all (those stored by earlier runs count). */
    points: z.number().int().min(1).optional(),
    /** This many seconds of this run. */
    seconds: z.number().positive().optional(),
  })
  .refine((g) => g.loss !== undefined || g.points !== undefined || g.seconds !== undefined, {
    message: 'give a goal: loss, points or seconds',
  });
export type AdaptGoal = z.infer<typeof adaptGoalSchema>;

/** What `furrow adapt` and `adapt.start` take. The study's other parameters stay combos (one learner each) or constants. */
export const adaptOptionsSchema = z.object({
  params: z.array(adaptRangeSchema).min(1).max(4),
  /** A scalar output of the study's model. */
  output: z.string().min(1),
  loss: adaptLossSchema.default('default'),
  goal: adaptGoalSchema,
  workers: z.number().int().min(1).max(256).optional(),
});
export type AdaptOptions = z.input<typeof adaptOptionsSchema>;

/** A point a learner was told: its learned parameters' values (in `params` order) and the output there (null: failed). */
export const adaptPointSchema = z.object({
  learner: z.number().int().min(0),
  x: z.array(z.number()),
  y: z.number().nullable(),
});
export type AdaptPoint = z.infer<typeof adaptPointSchema>;

/** One learner: the combination of the other parameters it learns for, and where it stands. */
export const adaptLearnerSchema = z.object({
  combo: z.record(z.string(), scalar),
  points: z.number(),
  loss: z.number().nullable(),
});

/** Where an adaptive run stands; announced as it goes (`adapt.progress`) and answered by `adapt.status`. */
export const adaptProgressSchema = z.object({
  type: z.literal('adapt.progress'),
  runId: z.string(),
  params: z.array(adaptRangeSchema),
  output: z.string(),
  /** Points evaluated in all (stored by earlier runs included), failed, and being evaluated now. */
  points: z.number(),
  failed: z.number(),
  pending: z.number(),
  /** The largest loss of any learner (null before it has one): it falls as the learners learn. */
  loss: z.number().nullable(),
  learners: z.array(adaptLearnerSchema),
  /** Points told since the last announcement (adapt.status: every point so far). */
  added: z.array(adaptPointSchema),
  seconds: z.number(),
});
export type AdaptProgress = z.infer<typeof adaptProgressSchema>;

/** How an adaptive run ended. */
export const adaptSummarySchema = z.object({
  runId: z.string(),
  /** The run database's run number. */
  run: z.number(),
  points: z.number(),
  /** Points this run evaluated (the rest were stored before). */
  evaluated: z.number(),
  failed: z.number(),
  loss: z.number().nullable(),
  /** Why it stopped: a goal was met, it was stopped, or it could not go on. */
  reason: z.enum(['goal', 'stopped', 'error']),
  /** The point dataset (a `point` dim, the parameters as coordinates on it). */
  dataset: z.string(),
});
export type AdaptSummary = z.infer<typeof adaptSummarySchema>;
