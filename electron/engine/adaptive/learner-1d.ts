// The 1-D learner: python-adaptive's Learner1D method (Nijholt, Weston, Hoofwijk, Akhmerov, "Adaptive: parallel
// active learning of mathematical functions", 2019), our own code. The known points cut [lo, hi] into intervals;
// each interval between two points with a value has a loss (x and y scaled to the bounds' width and the outputs'
// range): `default` its length in the scaled x-y plane, `curvature` also the area of the triangles it makes with its
// neighbours, `uniform` its width. The next point halves the interval with the largest loss. Pending and failed
// points also cut intervals (the loss of an interval with a value at both ends is shared among its pieces by
// width), so N free workers get N different points, and a failed point is never asked again.
import type { AdaptLoss } from '../../../shared/adaptive';
import type { Learner, Point } from './learner';
import { askEach, LossQueue, lowerBound } from './loss-queue';

export interface Learner1DOptions {
  loss?: AdaptLoss | undefined;
}

/** A piece between two neighbouring known, pending or failed points, with the loss it had when queued. */
interface Piece {
  a: number;
  b: number;
  loss: number;
}

type State = 'pending' | 'value' | 'void';

const before = (p: Piece, q: Piece) =>
  p.loss !== q.loss ? p.loss > q.loss : p.b - p.a !== q.b - q.a ? p.b - p.a > q.b - q.a : p.a < q.a;

export class Learner1D implements Learner {
  readonly bounds: readonly (readonly [number, number])[];
  readonly lossName: AdaptLoss;
  private readonly lo: number;
  private readonly hi: number;
  private readonly xScale: number;
  /** Below this width an interval cannot be halved in floating point: its loss is 0. */
  private readonly dxEps: number;
  /** Every point told or asked, sorted (pending, with a value, or void: failed or not finite). */
  private readonly xs: number[] = [];
  private readonly state = new Map<number, State>();
  /** The points with a finite value, sorted, their values, and the loss of the interval to the next (rLoss[i]). */
  private readonly rx: number[] = [];
  private readonly ry: number[] = [];
  private readonly rLoss: number[] = [];
  private yMin = Infinity;
  private yMax = -Infinity;
  /** The output range the losses were computed with: a new range recomputes them all, so they depend on the points alone. */
  private yScaleUsed = 1;
  private readonly queue = new LossQueue<Piece>(before);
  private readonly told: { x: number[]; y: number | null }[] = [];
  private valued = 0;

  constructor(bounds: readonly [number, number], options: Learner1DOptions = {}) {
    const [lo, hi] = bounds;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new RangeError(`Learner1D: bounds [${lo}, ${hi}] need lo < hi, both finite`);
    }
    this.lo = lo;
    this.hi = hi;
    this.bounds = [[lo, hi]];
    this.lossName = options.loss ?? 'default';
    this.xScale = hi - lo;
    this.dxEps = 2 * Math.max(Math.abs(lo), Math.abs(hi)) * Number.EPSILON;
  }

  get npoints(): number {
    return this.valued;
  }

  data(): { x: number[]; y: number | null }[] {
    return this.told.map((d) => ({ x: [...d.x], y: d.y }));
  }

  loss(): number {
    const known = (b: number) => {
      const s = this.state.get(b);
      return s === 'value' || s === 'void';
    };
    if (!known(this.lo) || !known(this.hi) || this.rx.length < 2) return Infinity;
    let worst = 0;
    for (const l of this.rLoss) if (l > worst) worst = l;
    return worst;
  }

  ask(n: number): { points: number[][]; lossImprovements: number[] } {
    return askEach(n, () => this.askOne());
  }

  tell(x: Point, y: number): void {
    const at = this.coordinate(x);
    const was = this.state.get(at);
    if (was === 'value' || was === 'void') return; // told before (a retold point changes nothing)
    this.told.push({ x: [at], y });
    this.valued++;
    if (!Number.isFinite(y)) {
      this.place(at, 'void');
      return;
    }
    this.place(at, 'value');
    const i = lowerBound(this.rx, at);
    this.rx.splice(i, 0, at);
    this.ry.splice(i, 0, y);
    if (this.rx.length >= 2) this.rLoss.splice(Math.min(i, this.rLoss.length), 0, 0);
    this.yMin = Math.min(this.yMin, y);
    this.yMax = Math.max(this.yMax, y);
    if (this.lossName !== 'uniform' && this.yScale() !== this.yScaleUsed) {
      this.recomputeAll();
      return;
    }
    // The intervals whose loss depends on this point: its own two, and their neighbours for the curvature loss.
    const reach = this.lossName === 'curvature' ? 2 : 1;
    for (let j = Math.max(0, i - reach); j <= Math.min(this.rLoss.length - 1, i + reach - 1); j++) this.updateReal(j);
  }

  tellFailed(x: Point): void {
    const at = this.coordinate(x);
    const was = this.state.get(at);
    if (was === 'value' || was === 'void') return;
    this.told.push({ x: [at], y: null });
    this.place(at, 'void');
  }

  tellPending(x: Point): void {
    const at = this.coordinate(x);
    if (this.state.has(at)) return;
    this.place(at, 'pending');
  }

  forget(x: Point): void {
    const at = this.coordinate(x);
    if (this.state.get(at) !== 'pending') return;
    this.state.delete(at);
    const i = lowerBound(this.xs, at);
    this.xs.splice(i, 1);
    if (i > 0 && i < this.xs.length) this.queuePiece(this.xs[i - 1]!, this.xs[i]!);
  }

  private coordinate(x: Point): number {
    const at = x[0];
    if (x.length !== 1 || at === undefined || !(at >= this.lo && at <= this.hi)) {
      throw new RangeError(`Learner1D: the point [${x.join(', ')}] is not one number within [${this.lo}, ${this.hi}]`);
    }
    return at;
  }

  private yScale(): number {
    const range = this.yMax - this.yMin;
    return range > 0 && Number.isFinite(range) ? range : 1;
  }

  /** Puts a new point among the pieces, or changes the state of one already there. */
  private place(at: number, state: State): void {
    const had = this.state.has(at);
    this.state.set(at, state);
    if (had) return;
    const i = lowerBound(this.xs, at);
    this.xs.splice(i, 0, at);
    if (i > 0) this.queuePiece(this.xs[i - 1]!, at);
    if (i + 1 < this.xs.length) this.queuePiece(at, this.xs[i + 1]!);
  }

  private askOne(): { x: number[]; improvement: number } | null {
    for (const bound of [this.lo, this.hi]) {
      if (!this.state.has(bound)) {
        this.place(bound, 'pending');
        return { x: [bound], improvement: Infinity };
      }
    }
    for (;;) {
      const top = this.queue.pop();
      if (top === undefined) return null;
      const i = lowerBound(this.xs, top.a);
      if (this.xs[i] !== top.a || this.xs[i + 1] !== top.b || this.pieceLoss(top.a, top.b) !== top.loss) continue;
      const x = top.a + (top.b - top.a) / 2;
      if (x <= top.a || x >= top.b) continue; // cannot be halved in floating point
      this.place(x, 'pending');
      this.compact();
      return { x: [x], improvement: top.loss };
    }
  }

  /** The loss of the piece (a, b): its share, by width, of the interval between points with a value around it. */
  private pieceLoss(a: number, b: number): number {
    if (b - a < this.dxEps) return 0;
    const j = lowerBound(this.rx, b) - 1; // the interval [rx[j], rx[j + 1]] holding the piece, if any
    if (j < 0 || j + 1 >= this.rx.length || this.rx[j]! > a) return (b - a) / this.xScale;
    const width = this.rx[j + 1]! - this.rx[j]!;
    return (this.rLoss[j]! * (b - a)) / width;
  }

  private queuePiece(a: number, b: number): void {
    this.queue.push({ a, b, loss: this.pieceLoss(a, b) });
  }

  /** Recomputes the loss of the interval (rx[j], rx[j + 1]) and queues its pieces again. */
  private updateReal(j: number): void {
    this.rLoss[j] = this.intervalLoss(j);
    const a = this.rx[j]!;
    const b = this.rx[j + 1]!;
    for (let i = lowerBound(this.xs, a); i + 1 < this.xs.length && this.xs[i]! < b; i++) {
      this.queuePiece(this.xs[i]!, this.xs[i + 1]!);
    }
  }

  private recomputeAll(): void {
    this.yScaleUsed = this.yScale();
    for (let j = 0; j + 1 < this.rx.length; j++) this.rLoss[j] = this.intervalLoss(j);
    this.queue.clear();
    for (let i = 0; i + 1 < this.xs.length; i++) this.queuePiece(this.xs[i]!, this.xs[i + 1]!);
  }

  /** Drops stale entries once they outnumber the live pieces, so the queue stays as large as the pieces. */
  private compact(): void {
    if (this.queue.size > 4 * this.xs.length + 64) {
      this.queue.clear();
      for (let i = 0; i + 1 < this.xs.length; i++) this.queuePiece(this.xs[i]!, this.xs[i + 1]!);
    }
  }

  private intervalLoss(j: number): number {
    const sx = (k: number) => this.rx[k]! / this.xScale;
    const sy = (k: number) => this.ry[k]! / this.yScaleUsed;
    const dx = sx(j + 1) - sx(j);
    if (this.rx[j + 1]! - this.rx[j]! < this.dxEps) return 0;
    if (this.lossName === 'uniform') return dx;
    const distance = Math.hypot(dx, sy(j + 1) - sy(j));
    if (this.lossName === 'default') return distance;
    // python-adaptive's curvature_loss_function(area_factor=1, euclid_factor=0.02, horizontal_factor=0.02): the
    // mean area of the triangles this interval makes with its neighbouring points, square-rooted.
    const ks = [j - 1, j, j + 1, j + 2].filter((k) => k >= 0 && k < this.rx.length);
    let area = dx;
    if (ks.length > 2) {
      let sum = 0;
      for (let t = 0; t + 2 < ks.length; t++) {
        const [p, q, r] = [ks[t]!, ks[t + 1]!, ks[t + 2]!];
        sum += Math.abs((sx(q) - sx(p)) * (sy(r) - sy(p)) - (sx(r) - sx(p)) * (sy(q) - sy(p))) / 2;
      }
      area = sum / (ks.length - 2);
    }
    return Math.sqrt(area) + 0.02 * distance + 0.02 * dx;
  }
}
