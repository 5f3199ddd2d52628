// A Delaunay triangulation of the unit cube in 2 to 4 dimensions, grown one point at a time (Bowyer–Watson: the
// simplices whose circumsphere holds the new point are removed and the hole is filled with simplices that join the
// point to the hole's faces), as python-adaptive's LearnerND keeps its own. Inserting touches only the region
// around the point, so the learners' cost per point does not grow with the number of points. The cube's corners
// start it (Kuhn's triangulation: one simplex per ordering of the axes), so every point asked lies inside the hull.

/** Solves the d×d system a·x = b (a row-major) by Gaussian elimination with partial pivoting; null if singular. */
export function solve(a: number[], b: number[], d: number): number[] | null {
  const m = a.slice();
  const x = b.slice();
  for (let c = 0; c < d; c++) {
    let pivot = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]!) > Math.abs(m[pivot * d + c]!)) pivot = r;
    const p = m[pivot * d + c]!;
    if (p === 0 || !Number.isFinite(p)) return null;
    if (pivot !== c) {
      for (let k = 0; k < d; k++) [m[c * d + k], m[pivot * d + k]] = [m[pivot * d + k]!, m[c * d + k]!];
      [x[c], x[pivot]] = [x[pivot]!, x[c]!];
    }
    for (let r = c + 1; r < d; r++) {
      const f = m[r * d + c]! / p;
      if (f === 0) continue;
      for (let k = c; k < d; k++) m[r * d + k]! -= f * m[c * d + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < d; k++) s -= m[r * d + k]! * x[k]!;
    x[r] = s / m[r * d + r]!;
  }
  return x;
}

/** The determinant of the d×d matrix a (row-major). */
export function determinant(a: number[], d: number): number {
  const m = a.slice();
  let det = 1;
  for (let c = 0; c < d; c++) {
    let pivot = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r * d + c]!) > Math.abs(m[pivot * d + c]!)) pivot = r;
    const p = m[pivot * d + c]!;
    if (p === 0) return 0;
    if (pivot !== c) {
      for (let k = 0; k < d; k++) [m[c * d + k], m[pivot * d + k]] = [m[pivot * d + k]!, m[c * d + k]!];
      det = -det;
    }
    det *= p;
    for (let r = c + 1; r < d; r++) {
      const f = m[r * d + c]! / p;
      for (let k = c; k < d; k++) m[r * d + k]! -= f * m[c * d + k]!;
    }
  }
  return det;
}

export class Triangulation {
  readonly d: number;
  /** Vertex i's coordinates: coords[i·d … i·d + d − 1]. */
  readonly coords: number[] = [];
  /** Simplex s's vertices: verts[s·(d+1) + k]; nbrs[s·(d+1) + k] is the simplex across the face opposite vertex k (−1: the hull). */
  readonly verts: number[] = [];
  readonly nbrs: number[] = [];
  readonly alive: boolean[] = [];
  private readonly center: number[] = [];
  private readonly radius2: number[] = [];
  /** One living simplex holding each vertex. */
  private readonly vertexSimplex: number[] = [];
  private readonly mark: number[] = [];
  private stamp = 0;
  private aliveCount = 0;
  /** The latest simplex made: where a walk to a point starts when no better start is known. */
  last = 0;

  constructor(d: number) {
    if (!Number.isInteger(d) || d < 2 || d > 4)
      throw new RangeError(`a triangulation needs 2 to 4 dimensions, not ${d}`);
    this.d = d;
    for (let corner = 0; corner < 1 << d; corner++) {
      for (let k = 0; k < d; k++) this.coords.push((corner >> k) & 1);
    }
    const faces = new Map<string, [number, number]>();
    for (const order of permutations(d)) {
      const vs = [0];
      let corner = 0;
      for (const axis of order) vs.push((corner |= 1 << axis));
      const s = this.addSimplex(vs);
      for (let k = 0; k <= d; k++) this.link(faces, s, k, this.faceKey(s, k));
    }
  }

  get vertexCount(): number {
    return this.coords.length / this.d;
  }

  get simplexCount(): number {
    return this.aliveCount;
  }

  point(v: number): number[] {
    return this.coords.slice(v * this.d, v * this.d + this.d);
  }

  simplexVertices(s: number): number[] {
    return this.verts.slice(s * (this.d + 1), (s + 1) * (this.d + 1));
  }

  /** Barycentric coordinates of p in simplex s (d + 1 numbers summing to 1), null if s is degenerate. */
  barycentric(s: number, p: readonly number[]): number[] | null {
    const d = this.d;
    const v0 = this.verts[s * (d + 1)]! * d;
    const a = new Array<number>(d * d);
    const b = new Array<number>(d);
    for (let r = 0; r < d; r++) {
      b[r] = p[r]! - this.coords[v0 + r]!;
      for (let c = 0; c < d; c++)
        a[r * d + c] = this.coords[this.verts[s * (d + 1) + c + 1]! * d + r]! - this.coords[v0 + r]!;
    }
    const l = solve(a, b, d);
    if (l === null) return null;
    let sum = 0;
    for (const x of l) sum += x;
    return [1 - sum, ...l];
  }

  /** The living simplex holding p (on its boundary counts), walking from `start` towards p. */
  locate(p: readonly number[], start = this.last): number {
    let s = this.alive[start] ? start : this.anyAlive();
    for (let step = 0; step < 100_000; step++) {
      const l = this.barycentric(s, p);
      if (l === null) break;
      let k = 0;
      for (let i = 1; i < l.length; i++) if (l[i]! < l[k]!) k = i;
      if (l[k]! >= -1e-12) return s;
      const n = this.nbrs[s * (this.d + 1) + k]!;
      if (n < 0) return s;
      s = n;
    }
    // Rounding can trap a walk in a cycle: look at every simplex.
    let best = s;
    let bestMin = -Infinity;
    for (let t = 0; t < this.alive.length; t++) {
      if (!this.alive[t]) continue;
      const l = this.barycentric(t, p);
      if (l === null) continue;
      const min = Math.min(...l);
      if (min > bestMin) [best, bestMin] = [t, min];
    }
    return best;
  }

  /** Adds a vertex at p (unit-cube coordinates) and re-triangulates around it; the simplices made and removed. */
  insert(p: readonly number[], start?: number): { vertex: number; created: number[]; removed: number[] } {
    const d = this.d;
    const vertex = this.vertexCount;
    for (let k = 0; k < d; k++) this.coords.push(p[k]!);
    const first = this.locate(p, start);
    const stamp = ++this.stamp;
    const cavity = [first];
    this.mark[first] = stamp;
    for (let i = 0; i < cavity.length; i++) {
      const t = cavity[i]!;
      for (let k = 0; k <= d; k++) {
        const n = this.nbrs[t * (d + 1) + k]!;
        if (n >= 0 && this.mark[n] !== stamp && this.inSphere(n, p)) {
          this.mark[n] = stamp;
          cavity.push(n);
        }
      }
    }
    // The hole must be star-shaped from p: a face p does not see strictly from inside takes its neighbour in too.
    let faces: [number, number][] = [];
    for (let grown = true; grown;) {
      grown = false;
      faces = [];
      for (const t of cavity) {
        for (let k = 0; k <= d; k++) {
          const n = this.nbrs[t * (d + 1) + k]!;
          if (n >= 0 && this.mark[n] === stamp) continue;
          const l = this.barycentric(t, p);
          if (l !== null && l[k]! > 1e-12) faces.push([t, k]);
          else if (n >= 0) {
            this.mark[n] = stamp;
            cavity.push(n);
            grown = true;
          } // else p lies on this face of the hull: the faces around it close the hole
        }
      }
    }
    const created: number[] = [];
    const links = new Map<string, [number, number]>();
    for (const [t, k] of faces) {
      const vs = this.simplexVertices(t);
      vs[k] = vertex;
      const s = this.addSimplex(vs);
      created.push(s);
      const at = this.verts.indexOf(vertex, s * (d + 1)) - s * (d + 1); // addSimplex may have reordered
      const outside = this.nbrs[t * (d + 1) + k]!;
      this.nbrs[s * (d + 1) + at] = outside;
      if (outside >= 0) {
        for (let j = 0; j <= d; j++) if (this.nbrs[outside * (d + 1) + j] === t) this.nbrs[outside * (d + 1) + j] = s;
      }
      for (let j = 0; j <= d; j++) if (j !== at) this.link(links, s, j, this.faceKey(s, j));
    }
    for (const t of cavity) {
      this.alive[t] = false;
      this.aliveCount--;
    }
    return { vertex, created, removed: cavity };
  }

  /** The living simplices that hold vertex v. */
  star(v: number): number[] {
    const d = this.d;
    const first = this.vertexSimplex[v]!;
    const stamp = ++this.stamp;
    const out = [first];
    this.mark[first] = stamp;
    for (let i = 0; i < out.length; i++) {
      const t = out[i]!;
      for (let k = 0; k <= d; k++) {
        if (this.verts[t * (d + 1) + k] === v) continue; // the face opposite v does not hold v
        const n = this.nbrs[t * (d + 1) + k]!;
        if (n >= 0 && this.mark[n] !== stamp) {
          this.mark[n] = stamp;
          out.push(n);
        }
      }
    }
    return out;
  }

  /** The vertices joined to v by an edge. */
  neighbours(v: number): number[] {
    const d = this.d;
    const seen = new Set<number>();
    for (const t of this.star(v)) {
      for (let k = 0; k <= d; k++) {
        const u = this.verts[t * (d + 1) + k]!;
        if (u !== v) seen.add(u);
      }
    }
    return [...seen];
  }

  /** The volume of simplex s. */
  volume(s: number): number {
    const d = this.d;
    const v0 = this.verts[s * (d + 1)]! * d;
    const a = new Array<number>(d * d);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++)
        a[r * d + c] = this.coords[this.verts[s * (d + 1) + c + 1]! * d + r]! - this.coords[v0 + r]!;
    }
    return Math.abs(determinant(a, d)) / FACTORIAL[d]!;
  }

  /** Whether the circumcentre of s lies inside s (python-adaptive's test for a well-shaped simplex). */
  centreInside(s: number): boolean {
    const c = this.center.slice(s * this.d, s * this.d + this.d);
    const l = this.barycentric(s, c);
    return l !== null && l.every((x) => x >= -1e-12);
  }

  private anyAlive(): number {
    for (let t = this.alive.length - 1; t >= 0; t--) if (this.alive[t]) return t;
    throw new Error('the triangulation has no simplex');
  }

  private inSphere(s: number, p: readonly number[]): boolean {
    const d = this.d;
    let dist = 0;
    for (let k = 0; k < d; k++) dist += (p[k]! - this.center[s * d + k]!) ** 2;
    return dist < this.radius2[s]! * (1 - 1e-12);
  }

  /** Stores a simplex with its vertices ordered for a positive volume, and its circumsphere. */
  private addSimplex(vs: number[]): number {
    const d = this.d;
    const s = this.alive.length;
    const v0 = vs[0]! * d;
    const a = new Array<number>(d * d);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) a[r * d + c] = this.coords[vs[c + 1]! * d + r]! - this.coords[v0 + r]!;
    }
    if (determinant(a, d) < 0) [vs[0], vs[1]] = [vs[1]!, vs[0]!];
    const o = vs[0]! * d;
    const m = new Array<number>(d * d);
    const b = new Array<number>(d);
    for (let i = 0; i < d; i++) {
      let norm = 0;
      for (let k = 0; k < d; k++) {
        const e = this.coords[vs[i + 1]! * d + k]! - this.coords[o + k]!;
        m[i * d + k] = e;
        norm += e * e;
      }
      b[i] = norm / 2;
    }
    const c = solve(m, b, d) ?? new Array<number>(d).fill(0);
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      this.center.push(this.coords[o + k]! + c[k]!);
      r2 += c[k]! ** 2;
    }
    this.radius2.push(r2);
    for (const v of vs) {
      this.verts.push(v);
      this.nbrs.push(-1);
      this.vertexSimplex[v] = s;
    }
    this.alive.push(true);
    this.mark.push(0);
    this.aliveCount++;
    this.last = s;
    return s;
  }

  private faceKey(s: number, k: number): string {
    const d = this.d;
    const face: number[] = [];
    for (let j = 0; j <= d; j++) if (j !== k) face.push(this.verts[s * (d + 1) + j]!);
    return face.sort((x, y) => x - y).join(',');
  }

  /** Joins s across its face opposite k to the simplex already waiting at that face, or leaves s waiting there. */
  private link(faces: Map<string, [number, number]>, s: number, k: number, key: string): void {
    const other = faces.get(key);
    if (other === undefined) {
      faces.set(key, [s, k]);
      return;
    }
    faces.delete(key);
    this.nbrs[s * (this.d + 1) + k] = other[0];
    this.nbrs[other[0] * (this.d + 1) + other[1]] = s;
  }
}

const FACTORIAL = [1, 1, 2, 6, 24, 120];

function permutations(d: number): number[][] {
  if (d === 1) return [[0]];
  const out: number[][] = [];
  for (const rest of permutations(d - 1)) {
    for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), d - 1, ...rest.slice(i)]);
  }
  return out;
}
