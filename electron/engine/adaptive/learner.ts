// What every learner answers (python-adaptive's ask/tell): where to evaluate next given what is known and what is
// still being evaluated, and what is known so far. Learners are pure (no Node, no I/O) and deterministic: the same
// calls in the same order give the same points, so a resumed run retells the stored points and goes on as before.

/** A point in the learned parameters' space: one value per learned parameter, in the order of the options' `params`. */
export type Point = readonly number[];

export interface Learner {
  /** The learned parameters' ranges, [lo, hi] each, in order. */
  readonly bounds: readonly (readonly [number, number])[];
  /**
   * Proposes `n` new points, as if the pending ones were already evaluated (so N free workers get N different
   * points), and marks them pending. `lossImprovements[i]`: how much point i is expected to lower the loss (a
   * balancing learner picks the learner with the largest).
   */
  ask(n: number): { points: number[][]; lossImprovements: number[] };
  /** Records the output at a point, pending or not (retelling stored points on resume). */
  tell(x: Point, y: number): void;
  /** Records that the model failed at a point: it is not asked again, and it carries no value. */
  tellFailed(x: Point): void;
  /** Marks a point as being evaluated without asking for it. */
  tellPending(x: Point): void;
  /** Forgets a pending point (its evaluation was cancelled): it may be asked again. */
  forget(x: Point): void;
  /** The loss of the worst interval, triangle or simplex; Infinity until the learner has enough points. */
  loss(): number;
  /** Points told with a value. */
  readonly npoints: number;
  /** Every point told (value or failure), in the order told. */
  data(): { x: number[]; y: number | null }[];
}
