// A surface through scattered points (a point dataset's, or an adaptive run's as it learns): their Delaunay
// triangulation (delaunator), each triangle the plane through its three points, sampled on a regular grid over the
// points' extent, NaN outside their hull (no value is made up where no point is). The linear interpolation on the
// triangulation is the one python-adaptive's Learner2D uses for its loss and its plots (scipy's
// LinearNDInterpolator); a grid lets plotly draw it as any heatmap or contour, and an export keeps it vector
// (vector-heatmap.ts redraws up to 40,000 cells as rectangles).
import Delaunator from 'delaunator';

/** Grid nodes along each axis: 25,600 cells, fine enough for the eye, few enough for a vector export. */
export const GRID_NODES = 160;

export interface Surface {
  /** The grid's nodes along x and y. */
  x: Float64Array;
  y: Float64Array;
  /** Row-major, y.length rows of x.length: the interpolated value at each node, NaN outside the points' hull. */
  z: Float64Array;
}

/**
 * The triangulated surface through (x[i], y[i], z[i]) on an n×n grid over the points' extent; null with fewer than
 * three points or all of them on a line (no triangle).
 */
export function triangulatedSurface(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  n = GRID_NODES,
): Surface | null {
  const count = Math.min(x.length, y.length, z.length);
  if (count < 3) return null;
  const coords = new Float64Array(2 * count);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < count; i++) {
    coords[2 * i] = x[i]!;
    coords[2 * i + 1] = y[i]!;
    x0 = Math.min(x0, x[i]!);
    x1 = Math.max(x1, x[i]!);
    y0 = Math.min(y0, y[i]!);
    y1 = Math.max(y1, y[i]!);
  }
  const { triangles } = new Delaunator(coords);
  if (triangles.length === 0 || !(x1 > x0) || !(y1 > y0)) return null;
  const gx = Float64Array.from({ length: n }, (_, i) => x0 + ((x1 - x0) * i) / (n - 1));
  const gy = Float64Array.from({ length: n }, (_, j) => y0 + ((y1 - y0) * j) / (n - 1));
  const gz = new Float64Array(n * n).fill(NaN);
  const dx = (x1 - x0) / (n - 1);
  const dy = (y1 - y0) / (n - 1);
  // Each triangle fills the nodes inside it (barycentric weights all ≥ 0, with a little slack so a node on a shared
  // edge is not lost to rounding): every node is visited by the few triangles whose bounding box holds it.
  const eps = -1e-9;
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!;
    const b = triangles[t + 1]!;
    const c = triangles[t + 2]!;
    const ax = x[a]!;
    const ay = y[a]!;
    const bx = x[b]!;
    const by = y[b]!;
    const cx = x[c]!;
    const cy = y[c]!;
    const det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy);
    if (det === 0) continue;
    const i0 = Math.max(0, Math.ceil((Math.min(ax, bx, cx) - x0) / dx - 1e-9));
    const i1 = Math.min(n - 1, Math.floor((Math.max(ax, bx, cx) - x0) / dx + 1e-9));
    const j0 = Math.max(0, Math.ceil((Math.min(ay, by, cy) - y0) / dy - 1e-9));
    const j1 = Math.min(n - 1, Math.floor((Math.max(ay, by, cy) - y0) / dy + 1e-9));
    for (let j = j0; j <= j1; j++) {
      const py = gy[j]!;
      for (let i = i0; i <= i1; i++) {
        const px = gx[i]!;
        const wa = ((by - cy) * (px - cx) + (cx - bx) * (py - cy)) / det;
        const wb = ((cy - ay) * (px - cx) + (ax - cx) * (py - cy)) / det;
        const wc = 1 - wa - wb;
        if (wa < eps || wb < eps || wc < eps) continue;
        gz[j * n + i] = wa * z[a]! + wb * z[b]! + wc * z[c]!;
      }
    }
  }
  return { x: gx, y: gy, z: gz };
}
