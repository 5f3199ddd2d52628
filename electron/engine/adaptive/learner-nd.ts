// The N-D learner (2 to 4 parameters): python-adaptive's LearnerND method (Nijholt, Weston, Hoofwijk, Akhmerov,
// "Adaptive: parallel active learning of mathematical functions", 2019), our own code. The points are the vertices of
// a Delaunay triangulation of the bounds (scaled to the unit cube; the corners are asked first); each simplex has a
// loss, `default` its volume in the space of the parameters and the output (scaled to the outputs' range),
// `curvature` python-adaptive's curvature loss (the volumes it makes with its neighbours' far vertices), `uniform` its
// volume. The next point goes inside the simplex with the largest loss: its centre when the simplex is well shaped
// (its circumcentre inside it), else the middle of its longest edge. A pending point becomes a vertex at once, with
// the value interpolated where it lies, so N free workers get N different points; a failed one keeps that estimate
// and is never asked again. Losses sit in a priority queue and are recomputed only around what changed.
import type { AdaptLoss } from '../../../shared/adaptive';
import type { Learner, Point } from './learner';
import { askEach, LossQueue } from './loss-queue';
import { determinant, Triangulation } from './triangulation';

export interface LearnerNDOptions {
  loss?: AdaptLoss | undefined;
}

/** A vertex: never asked (a corner before it is asked, or a forgotten point), being evaluated, known, or void. */
const UNASKED = 0;
const PENDING = 1;
const VALUE = 2;
const VOID = 3;

/** A simplex with the loss it had when queued; ties go to the lower centre, which does not depend on history. */
interface Entry {
  s: number;
  loss: number;
  c0: number;
  c1: number;
}

const before = (p: Entry, q: Entry) =>
  p.loss !== q.loss ? p.loss > q.loss : p.c0 !== q.c0 ? p.c0 < q.c0 : p.c1 < q.c1;

/** A simplex whose chosen point is already a vertex (it cannot be split in floating point): never chosen again. */
const SPENT = -1;

export class LearnerND implements Learner {
  readonly bounds: readonly (readonly [number, number])[];
  readonly lossName: AdaptLoss;
  protected readonly d: number;
  protected readonly tri: Triangulation;
  /** Per vertex: its state, its value (or the estimate it carries while pending or void), its coordinates as told. */
  protected readonly state: number[] = [];
  protected readonly value: number[] = [];
  /** Per vertex, for a loss that needs it (Learner2D's): the output's gradient, d numbers each. */
  protected readonly gradient: number[] = [];
  private readonly xOf: number[][] = [];
  private readonly byKey = new Map<string, number>();
  private readonly unasked: number[] = [];
  /** Per simplex: its current loss. */
  private readonly lossOf: number[] = [];
  private readonly queue = new LossQueue<Entry>(before);
  private readonly lo: number[];
  private readonly width: number[];
  private yMin = Infinity;
  private yMax = -Infinity;
  /** The output range the losses were computed with; when the range grows or shrinks twofold, all are recomputed. */
  protected yScaleUsed = 1;
  private readonly told: { x: number[]; y: number | null }[] = [];
  private valued = 0;
  private readonly seen: number[] = [];
  private stamp = 0;
  private lastFound = 0;

  constructor(bounds: readonly (readonly [number, number])[], options: LearnerNDOptions = {}, name = 'LearnerND') {
    if (bounds.length < 2 || bounds.length > 4) {
      throw new RangeError(`${name}: give 2 to 4 parameters' bounds, not ${bounds.length} (one parameter: Learner1D)`);
    }
    for (const [lo, hi] of bounds) {
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
        throw new RangeError(`${name}: bounds [${lo}, ${hi}] need lo < hi, both finite`);
      }
    }
    this.bounds = bounds.map(([lo, hi]) => [lo, hi] as const);
    this.lossName = options.loss ?? 'default';
    this.d = bounds.length;
    this.lo = bounds.map((b) => b[0]);
    this.width = bounds.map(([lo, hi]) => hi - lo);
    this.tri = new Triangulation(this.d);
    for (let v = 0; v < this.tri.vertexCount; v++) {
      const x = this.unscale(this.tri.point(v));
      this.state.push(UNASKED);
      this.value.push(0);
      this.xOf.push(x);
      this.byKey.set(x.join(','), v);
      this.unasked.push(v);
    }
    this.recomputeAll();
  }

  get npoints(): number {
    return this.valued;
  }

  data(): { x: number[]; y: number | null }[] {
    return this.told.map((d) => ({ x: [...d.x], y: d.y }));
  }

  loss(): number {
    for (let v = 0; v < 1 << this.d; v++) if (this.state[v] !== VALUE && this.state[v] !== VOID) return Infinity;
    for (;;) {
      const top = this.queue.peek();
      if (top === undefined) return 0;
      if (this.tri.alive[top.s] && this.lossOf[top.s] === top.loss) return Math.max(top.loss, 0);
      this.queue.pop();
    }
  }

  ask(n: number): { points: number[][]; lossImprovements: number[] } {
    return askEach(n, () => this.askOne());
  }

  tell(x: Point, y: number): void {
    const v = this.vertexFor(x, VALUE);
    if (v === null) return;
    this.told.push({ x: [...x], y });
    this.valued++;
    if (!Number.isFinite(y)) {
      this.state[v] = VOID;
      return;
    }
    this.state[v] = VALUE;
    this.value[v] = y;
    this.yMin = Math.min(this.yMin, y);
    this.yMax = Math.max(this.yMax, y);
    if (this.lossName === 'uniform') return;
    const scale = this.yScale();
    if (scale > 2 * this.yScaleUsed || scale < this.yScaleUsed / 2) this.recomputeAll();
    else if (this.usesNeighbours()) this.refresh([v, ...this.tri.neighbours(v)]);
    else for (const s of this.tri.star(v)) this.setLoss(s);
  }

  tellFailed(x: Point): void {
    const v = this.vertexFor(x, VOID);
    if (v === null) return;
    this.told.push({ x: [...x], y: null });
    this.state[v] = VOID;
  }

  tellPending(x: Point): void {
    const key = this.check(x);
    if (!this.byKey.has(key)) this.addPoint([...x], PENDING);
  }

  forget(x: Point): void {
    const v = this.byKey.get(this.check(x));
    if (v === undefined || this.state[v] !== PENDING) return;
    this.state[v] = UNASKED;
    let i = 0;
    while (i < this.unasked.length && this.unasked[i]! < v) i++;
    this.unasked.splice(i, 0, v);
  }

  /**
   * The linear interpolation of the points at x (over the simplex holding it; a pending or failed vertex counts with
   * the value interpolated where it lies), as python-adaptive's learners interpolate their data.
   */
  interpolate(x: Point): number {
    const u = this.scale(x);
    this.check(x);
    const s = this.tri.locate(u, this.lastFound);
    this.lastFound = s;
    const l = this.tri.barycentric(s, u) ?? [];
    let y = 0;
    this.tri.simplexVertices(s).forEach((v, k) => (y += (l[k] ?? 0) * this.value[v]!));
    return y;
  }

  /** The loss of simplex s from its vertices' values (scaled by yScaleUsed) and coordinates (the unit cube). */
  protected simplexLoss(s: number): number {
    const d = this.d;
    if (this.lossName === 'uniform') return this.tri.volume(s);
    const vs = this.tri.simplexVertices(s);
    const lifted = vs.map((v) => [...this.tri.point(v), this.value[v]! / this.yScaleUsed]);
    if (this.lossName === 'default') return volumeInEmbedding(lifted);
    // python-adaptive's curvature_loss_function(exploration=0.05): the mean volume of the (d+1)-simplices this
    // simplex makes with each neighbour's far vertex, with a share of its own volume so no region is left out.
    let sum = 0;
    let count = 0;
    for (let k = 0; k <= d; k++) {
      const n = this.tri.nbrs[s * (d + 1) + k]!;
      if (n < 0) continue;
      const far = this.tri.simplexVertices(n).find((u) => !vs.includes(u))!;
      const m = [...lifted, [...this.tri.point(far), this.value[far]! / this.yScaleUsed]];
      const rows: number[] = [];
      for (let i = 1; i <= d + 1; i++) for (let c = 0; c <= d; c++) rows.push(m[i]![c]! - m[0]![c]!);
      sum += Math.abs(determinant(rows, d + 1)) / FACTORIAL[d + 1]!;
      count++;
    }
    const curvature = count === 0 ? 0 : sum / count;
    const volume = this.tri.volume(s);
    return (curvature + 0.05 * volume ** ((2 + d) / d)) ** (1 / (2 + d));
  }

  /** Where to split simplex s (unit-cube coordinates). */
  protected choosePoint(s: number): number[] {
    const vs = this.tri.simplexVertices(s);
    if (this.tri.centreInside(s)) return centroid(vs.map((v) => this.tri.point(v)));
    return this.longestEdgeMiddle(vs);
  }

  /**
   * Whether a simplex's loss depends on more than its own vertices (the curvature loss: its neighbours' far
   * vertices), so that a new point or value changes the losses of the simplices around its neighbours too.
   */
  protected usesNeighbours(): boolean {
    return this.lossName === 'curvature';
  }

  /** Called for the vertices whose neighbourhood or value changed, before the losses around them are recomputed. */
  protected vertexChanged(_v: number): void {}

  protected longestEdgeMiddle(vs: number[]): number[] {
    let best: [number[], number[]] = [this.tri.point(vs[0]!), this.tri.point(vs[1]!)];
    let longest = -1;
    for (let i = 0; i < vs.length; i++) {
      for (let j = i + 1; j < vs.length; j++) {
        const [p, q] = [this.tri.point(vs[i]!), this.tri.point(vs[j]!)];
        let l = 0;
        for (let k = 0; k < this.d; k++) l += (p[k]! - q[k]!) ** 2;
        if (l > longest) [longest, best] = [l, [p, q]];
      }
    }
    return best[0].map((p, k) => (p + best[1][k]!) / 2);
  }

  private askOne(): { x: number[]; improvement: number } | null {
    const v = this.unasked.shift();
    if (v !== undefined) {
      this.state[v] = PENDING;
      return { x: [...this.xOf[v]!], improvement: Infinity };
    }
    for (;;) {
      const top = this.queue.pop();
      if (top === undefined) return null;
      if (!this.tri.alive[top.s] || this.lossOf[top.s] !== top.loss || top.loss === SPENT) continue;
      const x = this.unscale(this.choosePoint(top.s));
      if (this.byKey.has(x.join(','))) {
        this.lossOf[top.s] = SPENT;
        continue;
      }
      this.addPoint(x, PENDING, top.s);
      return { x: [...x], improvement: top.loss };
    }
  }

  /** The vertex at x for a value or failure told now; null if one was told there before. */
  private vertexFor(x: Point, state: number): number | null {
    const v = this.byKey.get(this.check(x));
    if (v === undefined) return this.addPoint([...x], state);
    if (this.state[v] === VALUE || this.state[v] === VOID) return null;
    const i = this.unasked.indexOf(v);
    if (i >= 0) this.unasked.splice(i, 1);
    return v;
  }

  /** Makes x a vertex, carrying the value interpolated where it lies until it has its own. */
  private addPoint(x: number[], state: number, start?: number): number {
    const u = this.scale(x);
    const at = this.tri.locate(u, start);
    const l = this.tri.barycentric(at, u) ?? [];
    let estimate = 0;
    this.tri.simplexVertices(at).forEach((w, k) => (estimate += (l[k] ?? 0) * this.value[w]!));
    const { vertex, created } = this.tri.insert(u, at);
    this.state[vertex] = state;
    this.value[vertex] = estimate;
    this.xOf[vertex] = x;
    this.byKey.set(x.join(','), vertex);
    if (this.usesNeighbours()) {
      const touched = new Set<number>();
      for (const s of created) for (const w of this.tri.simplexVertices(s)) touched.add(w);
      this.refresh([...touched]);
    } else for (const s of created) this.setLoss(s);
    if (this.queue.size > 4 * this.tri.simplexCount + 64) this.requeue();
    return vertex;
  }

  /** Recomputes the losses of every simplex around the given vertices. */
  private refresh(vertices: number[]): void {
    for (const v of vertices) this.vertexChanged(v);
    const stamp = ++this.stamp;
    for (const v of vertices) {
      for (const s of this.tri.star(v)) {
        if (this.seen[s] === stamp) continue;
        this.seen[s] = stamp;
        this.setLoss(s);
      }
    }
  }

  private setLoss(s: number): void {
    const loss = this.simplexLoss(s);
    this.lossOf[s] = Number.isNaN(loss) ? 0 : loss;
    this.enqueue(s);
  }

  private enqueue(s: number): void {
    const d = this.d;
    let c0 = 0;
    let c1 = 0;
    for (let k = 0; k <= d; k++) {
      const v = this.tri.verts[s * (d + 1) + k]!;
      c0 += this.tri.coords[v * d]!;
      c1 += this.tri.coords[v * d + 1]!;
    }
    this.queue.push({ s, loss: this.lossOf[s]!, c0, c1 });
  }

  private requeue(): void {
    this.queue.clear();
    for (let s = 0; s < this.tri.alive.length; s++) if (this.tri.alive[s]) this.enqueue(s);
  }

  private recomputeAll(): void {
    this.yScaleUsed = this.yScale();
    for (let v = 0; v < this.tri.vertexCount; v++) this.vertexChanged(v);
    this.queue.clear();
    for (let s = 0; s < this.tri.alive.length; s++) if (this.tri.alive[s]) this.setLoss(s);
  }

  private yScale(): number {
    const range = this.yMax - this.yMin;
    return range > 0 && Number.isFinite(range) ? range : 1;
  }

  private check(x: Point): string {
    const ok = x.length === this.d && x.every((xi, k) => xi >= this.bounds[k]![0] && xi <= this.bounds[k]![1]);
    if (!ok) {
      const box = this.bounds.map(([lo, hi]) => `[${lo}, ${hi}]`).join(' × ');
      throw new RangeError(`the point [${x.join(', ')}] is not ${this.d} numbers within ${box}`);
    }
    return x.join(',');
  }

  /** Unit-cube coordinates of x, recomputed from x so a point retold later lands on the same coordinates. */
  private scale(x: readonly number[]): number[] {
    return x.map((xi, k) => Math.min(1, Math.max(0, (xi - this.lo[k]!) / this.width[k]!)));
  }

  private unscale(u: readonly number[]): number[] {
    return u.map((ui, k) => {
      const [lo, hi] = this.bounds[k]!;
      return ui <= 0 ? lo : ui >= 1 ? hi : Math.min(hi, Math.max(lo, lo + ui * this.width[k]!));
    });
  }
}

const FACTORIAL = [1, 1, 2, 6, 24, 120, 720];

/** The volume of the simplex with these vertices, in a space of as many or more dimensions (from its Gram matrix). */
export function volumeInEmbedding(points: number[][]): number {
  const k = points.length - 1;
  const edges = points.slice(1).map((p) => p.map((x, c) => x - points[0]![c]!));
  const gram: number[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) gram.push(edges[i]!.reduce((s, x, c) => s + x * edges[j]![c]!, 0));
  }
  return Math.sqrt(Math.max(0, determinant(gram, k))) / FACTORIAL[k]!;
}

function centroid(points: number[][]): number[] {
  return points[0]!.map((_, k) => points.reduce((s, p) => s + p[k]!, 0) / points.length);
}
