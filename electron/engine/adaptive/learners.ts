// The learners an adaptive run uses: one per combination of the study's other combos, each over the learned
// parameters' ranges. Until the 1-D, 2-D and N-D learners of this room are merged, a plain 1-D bisection learner
// stands in (python-adaptive's Learner1D with its default loss, without its interpolation of pending points).
import type { AdaptLoss } from '../../../shared/adaptive';
import { FurrowError } from '../errors';
import type { Learner, Point } from './learner';

/** A learner over `bounds` scoring with `loss`. */
export function makeLearner(bounds: [number, number][], loss: AdaptLoss): Learner {
  if (bounds.length !== 1) {
    throw new FurrowError('bad-input', `learning ${bounds.length} parameters at once is not built yet; learn one`);
  }
  return new BisectionLearner(bounds[0]!, loss);
}

/** What the point dataset's attributes say of the learners (their kind and loss). */
export function learnerSettings(dims: number, loss: AdaptLoss): Record<string, string> {
  return { learner: dims === 1 ? 'Learner1D' : dims === 2 ? 'Learner2D' : 'LearnerND', loss };
}

class BisectionLearner implements Learner {
  readonly bounds: readonly (readonly [number, number])[];
  /** Every point told or pending, sorted by x: y a number, null (failed) or undefined (pending). */
  private readonly known = new Map<number, number | null | undefined>();
  private told: { x: number[]; y: number | null }[] = [];
  npoints = 0;

  constructor(
    private readonly range: readonly [number, number],
    private readonly lossKind: AdaptLoss,
  ) {
    this.bounds = [range];
  }

  private sorted(): number[] {
    return [...this.known.keys()].sort((a, b) => a - b);
  }

  private yScale(): number {
    const ys = [...this.known.values()].filter((y): y is number => typeof y === 'number');
    return ys.length < 2 ? 1 : Math.max(...ys) - Math.min(...ys) || 1;
  }

  /** An interval's loss: its scaled length, with the scaled change of the output where both ends have one. */
  private intervalLoss(a: number, b: number, yScale: number): number {
    const dx = (b - a) / (this.range[1] - this.range[0]);
    const ya = this.known.get(a);
    const yb = this.known.get(b);
    if (this.lossKind === 'uniform' || typeof ya !== 'number' || typeof yb !== 'number') return dx;
    return Math.hypot(dx, (yb - ya) / yScale);
  }

  ask(n: number): { points: number[][]; lossImprovements: number[] } {
    const points: number[][] = [];
    const lossImprovements: number[] = [];
    for (let k = 0; k < n; k++) {
      const edge = this.range.find((x) => !this.known.has(x));
      let x: number;
      let improvement = Infinity;
      if (edge !== undefined) x = edge;
      else {
        const xs = this.sorted();
        const yScale = this.yScale();
        let best = -1;
        for (let i = 0; i + 1 < xs.length; i++) {
          const loss = this.intervalLoss(xs[i]!, xs[i + 1]!, yScale);
          if (loss > best) [best, improvement, x] = [loss, loss, (xs[i]! + xs[i + 1]!) / 2];
        }
        x = x!;
      }
      this.known.set(x, undefined);
      points.push([x]);
      lossImprovements.push(improvement);
    }
    return { points, lossImprovements };
  }

  tell(x: Point, y: number): void {
    this.known.set(x[0]!, y);
    this.told.push({ x: [x[0]!], y });
    this.npoints++;
  }

  tellFailed(x: Point): void {
    this.known.set(x[0]!, null);
    this.told.push({ x: [x[0]!], y: null });
  }

  tellPending(x: Point): void {
    if (!this.known.has(x[0]!)) this.known.set(x[0]!, undefined);
  }

  forget(x: Point): void {
    if (this.known.get(x[0]!) === undefined) this.known.delete(x[0]!);
  }

  loss(): number {
    const xs = this.sorted().filter((x) => this.known.get(x) !== undefined);
    if (xs.length < 2) return Infinity;
    const yScale = this.yScale();
    let worst = 0;
    for (let i = 0; i + 1 < xs.length; i++) worst = Math.max(worst, this.intervalLoss(xs[i]!, xs[i + 1]!, yScale));
    return worst;
  }

  data(): { x: number[]; y: number | null }[] {
    return this.told;
  }
}
