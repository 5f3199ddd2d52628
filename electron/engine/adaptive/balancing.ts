// One learner per combination of the study's other combos, balanced: python-adaptive's BalancingLearner with its
// default strategy (loss improvements), our own code. Each learner proposes its best next point and how much it
// expects that point to lower its loss; the point with the largest expected improvement is asked. A learner's
// proposal is kept until it is asked, and dropped when the learner is told something new (which may change its mind).
import type { Learner, Point } from './learner';

/** A point of one of the balanced learners (its index among them). */
export interface BalancedPoint {
  learner: number;
  x: number[];
}

interface Proposal {
  x: number[];
  improvement: number;
}

export class BalancingLearner {
  readonly learners: readonly Learner[];
  private readonly proposals: (Proposal | null)[];
  private readonly told: { learner: number; x: number[]; y: number | null }[] = [];

  constructor(learners: readonly Learner[]) {
    if (learners.length === 0) throw new RangeError('BalancingLearner: give at least one learner');
    this.learners = learners;
    this.proposals = learners.map(() => null);
  }

  get npoints(): number {
    return this.learners.reduce((n, l) => n + l.npoints, 0);
  }

  /** The largest loss of any learner: the run's loss. */
  loss(): number {
    return this.learners.reduce((worst, l) => Math.max(worst, l.loss()), 0);
  }

  /** Each learner's loss, in order. */
  losses(): number[] {
    return this.learners.map((l) => l.loss());
  }

  /** Every point told to any learner, in the order told. */
  data(): { learner: number; x: number[]; y: number | null }[] {
    return this.told.map((d) => ({ learner: d.learner, x: [...d.x], y: d.y }));
  }

  ask(n: number): { points: BalancedPoint[]; lossImprovements: number[] } {
    const points: BalancedPoint[] = [];
    const lossImprovements: number[] = [];
    for (let k = 0; k < n; k++) {
      let best = -1;
      for (let i = 0; i < this.learners.length; i++) {
        const p = this.proposal(i);
        if (p !== null && (best < 0 || p.improvement > this.proposals[best]!.improvement)) best = i;
      }
      if (best < 0) break;
      const chosen = this.proposals[best]!;
      this.proposals[best] = null;
      points.push({ learner: best, x: chosen.x });
      lossImprovements.push(chosen.improvement);
    }
    return { points, lossImprovements };
  }

  tell(learner: number, x: Point, y: number): void {
    this.at(learner).tell(x, y);
    this.told.push({ learner, x: [...x], y });
    this.drop(learner, x);
  }

  tellFailed(learner: number, x: Point): void {
    this.at(learner).tellFailed(x);
    this.told.push({ learner, x: [...x], y: null });
    this.drop(learner, x);
  }

  tellPending(learner: number, x: Point): void {
    this.at(learner).tellPending(x);
    this.drop(learner, x);
  }

  forget(learner: number, x: Point): void {
    this.at(learner).forget(x);
    this.drop(learner, x);
  }

  private at(learner: number): Learner {
    const l = this.learners[learner];
    if (l === undefined)
      throw new RangeError(`BalancingLearner: no learner ${learner} (there are ${this.learners.length})`);
    return l;
  }

  private proposal(i: number): Proposal | null {
    if (this.proposals[i] === null) {
      const { points, lossImprovements } = this.learners[i]!.ask(1);
      if (points.length > 0) this.proposals[i] = { x: points[0]!, improvement: lossImprovements[0]! };
    }
    return this.proposals[i] ?? null;
  }

  /** News for a learner: its kept proposal may no longer be its best, so it is handed back (unless it is x itself). */
  private drop(learner: number, x: Point): void {
    const p = this.proposals[learner];
    if (p === null || p === undefined) return;
    this.proposals[learner] = null;
    if (p.x.length !== x.length || p.x.some((xi, k) => xi !== x[k])) this.learners[learner]!.forget(p.x);
  }
}
