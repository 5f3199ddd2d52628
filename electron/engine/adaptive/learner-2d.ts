// The 2-D learner: python-adaptive's Learner2D method (Nijholt, Weston, Hoofwijk, Akhmerov, "Adaptive: parallel
// active learning of mathematical functions", 2019), our own code, on the incremental triangulation LearnerND keeps.
// A triangle's `default` loss is python-adaptive's: dev·√A + 0.3·A, with A its area (the bounds scaled to the unit
// square) and dev how far each vertex's linear extrapolation (from its gradient) misses the other vertices (outputs
// scaled to their range). python-adaptive estimates the gradients over the whole triangulation at each step (scipy's
// CloughTocher2DInterpolator); here each vertex's gradient is the area-weighted mean of its triangles' slopes, so a
// new point changes only the losses around it. `uniform` is √A; `curvature` is LearnerND's. The new point is the
// triangle's centre, or the middle of its longest edge when the triangle is thin (python-adaptive's badness > 5).
import type { LearnerNDOptions } from './learner-nd';
import { LearnerND } from './learner-nd';

export type Learner2DOptions = LearnerNDOptions;

const MAX_BADNESS = 5;

export class Learner2D extends LearnerND {
  constructor(bounds: readonly (readonly [number, number])[], options: Learner2DOptions = {}) {
    if (bounds.length !== 2) throw new RangeError(`Learner2D: give 2 parameters' bounds, not ${bounds.length}`);
    super(bounds, options, 'Learner2D');
  }

  /** The default loss uses each vertex's gradient, which its neighbours' values and triangles set. */
  protected override usesNeighbours(): boolean {
    return this.lossName !== 'uniform';
  }

  protected override vertexChanged(v: number): void {
    if (this.lossName !== 'default') return;
    let gx = 0;
    let gy = 0;
    let weight = 0;
    for (const s of this.tri.star(v)) {
      const [a, b, c] = this.tri.simplexVertices(s) as [number, number, number];
      const [pa, pb, pc] = [this.tri.point(a), this.tri.point(b), this.tri.point(c)];
      const [ux, uy, wx, wy] = [pb[0]! - pa[0]!, pb[1]! - pa[1]!, pc[0]! - pa[0]!, pc[1]! - pa[1]!];
      const det = ux * wy - uy * wx;
      if (det === 0) continue;
      const [du, dw] = [this.value[b]! - this.value[a]!, this.value[c]! - this.value[a]!];
      const area = Math.abs(det) / 2;
      gx += ((du * wy - dw * uy) / det) * area;
      gy += ((dw * ux - du * wx) / det) * area;
      weight += area;
    }
    this.gradient[2 * v] = weight > 0 ? gx / weight : 0;
    this.gradient[2 * v + 1] = weight > 0 ? gy / weight : 0;
  }

  protected override simplexLoss(s: number): number {
    if (this.lossName === 'curvature') return super.simplexLoss(s);
    const area = this.tri.volume(s);
    if (this.lossName === 'uniform') return Math.sqrt(area);
    const vs = this.tri.simplexVertices(s);
    const p = vs.map((v) => this.tri.point(v));
    const y = vs.map((v) => this.value[v]! / this.yScaleUsed);
    let dev = 0;
    for (let j = 0; j < 3; j++) {
      const [gx, gy] = [this.gradient[2 * vs[j]!]! / this.yScaleUsed, this.gradient[2 * vs[j]! + 1]! / this.yScaleUsed];
      let worst = 0;
      for (let k = 0; k < 3; k++) {
        const estimate = y[j]! + gx * (p[k]![0]! - p[j]![0]!) + gy * (p[k]![1]! - p[j]![1]!);
        worst = Math.max(worst, Math.abs(estimate - y[k]!));
      }
      dev += worst;
    }
    return dev * Math.sqrt(area) + 0.3 * area;
  }

  protected override choosePoint(s: number): number[] {
    const vs = this.tri.simplexVertices(s);
    const p = vs.map((v) => this.tri.point(v));
    let longest = 0;
    for (let i = 0; i < 3; i++) {
      const [a, b] = [p[i]!, p[(i + 1) % 3]!];
      longest = Math.max(longest, (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2);
    }
    // python-adaptive's badness: the longest edge squared over the area, 1 for an equilateral triangle.
    const badness = (longest / this.tri.volume(s)) * (Math.sqrt(3) / 4);
    if (badness > MAX_BADNESS) return this.longestEdgeMiddle(vs);
    return [0, 1].map((k) => (p[0]![k]! + p[1]![k]! + p[2]![k]!) / 3);
  }
}
