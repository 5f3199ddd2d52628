// Thin antialiased lines drawn straight into pixels, for canvas-lines.ts: column by column where x only grows (the
// usual line over a coordinate), else segment by segment (Xiaolin Wu's algorithm). A canvas's own
// stroke() of 10^6 points costs about a third of a second here (software rendering) and as much again when the
// frame is painted; this costs a few tens of milliseconds, and the pixels go onto the canvas in one copy.
// Pure arithmetic on an RGBA buffer, so it is tested without a browser.

/** An RGBA picture (not premultiplied, as ImageData holds it) that lines are drawn into. */
export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** A colour as plotly writes ours: "#1f77b4". */
export function rgbOf(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Draws polylines into `pixels`, in device pixels, `width` pixels wide, inside the clip rectangle only. Implements
 * moveTo/lineTo, so traceDecimated (canvas-lines.ts) can drive it as it would a canvas context.
 */
export class LinePen {
  private x = 0;
  private y = 0;
  private r = 0;
  private g = 0;
  private b = 0;
  private clip: number[];

  constructor(
    private readonly pixels: Pixels,
    /** CSS px → device px. */
    private readonly ratio = 1,
    /** The line's width in device pixels (1, or 2 on a screen of twice the density). */
    private readonly width = 1,
  ) {
    this.clip = [0, 0, pixels.width, pixels.height];
  }

  /** The colour of the lines from here on. */
  colour(hex: string): void {
    [this.r, this.g, this.b] = rgbOf(hex);
  }

  /** Draw only inside this rectangle (CSS px): a panel's plot area. */
  clipTo(left: number, top: number, width: number, height: number): void {
    const k = this.ratio;
    this.clip = [
      Math.max(0, Math.floor(left * k)),
      Math.max(0, Math.floor(top * k)),
      Math.min(this.pixels.width, Math.ceil((left + width) * k)),
      Math.min(this.pixels.height, Math.ceil((top + height) * k)),
    ];
  }

  moveTo(x: number, y: number): void {
    this.x = x * this.ratio;
    this.y = y * this.ratio;
  }

  lineTo(x: number, y: number): void {
    const x1 = x * this.ratio;
    const y1 = y * this.ratio;
    this.segment(this.x, this.y, x1, y1);
    this.x = x1;
    this.y = y1;
  }

  /**
   * A line whose x never decreases (xs, ys: CSS px), drawn column by column: in each device pixel column, from the
   * line's lowest to its highest point there (where it enters and leaves the column, and every point inside), `width`
   * pixels taller, the end pixels covered in part. Each point costs a comparison or two, each column a few pixels: far
   * less than a segment per point when there are many points per column. A value that is not finite breaks the line.
   */
  sweep(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number): void {
    const k = this.ratio;
    // Only the columns of the clip rectangle are walked: zoomed far in, two points may lie 10^9 columns apart.
    const left = this.clip[0]! - 1;
    const right = this.clip[2]!;
    let column = Number.NaN;
    let low = 0;
    let high = 0;
    let x0 = Number.NaN;
    let y0 = 0;
    // A point with no neighbour is no line (as plotly draws lines): its column is drawn once a second point joins it.
    let alone = false;
    const end = () => {
      if (column === column && !alone) this.column(column, low, high);
    };
    for (let i = 0; i < n; i++) {
      const x = xs[i]! * k;
      const y = ys[i]! * k;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        end();
        column = Number.NaN;
        x0 = Number.NaN;
        continue;
      }
      const c = Math.floor(x);
      if (x0 !== x0) {
        column = c;
        low = high = y;
        alone = true;
      } else if (c === column) {
        if (y < low) low = y;
        if (y > high) high = y;
        alone = false;
      } else if (c < column) {
        // Against the promise, a step back: a column of its own.
        end();
        column = c;
        low = Math.min(y0, y);
        high = Math.max(y0, y);
        alone = false;
      } else {
        // From (x0, y0) in `column` to (x, y) in column c: through each column between, where it crosses their edges.
        alone = false;
        const slope = (y - y0) / (x - x0);
        let at = column;
        if (at < left) {
          // Left of the clip: straight to where the segment enters it (or to c), at the height it has there.
          at = Math.min(left, c);
          low = high = y0 + slope * (at - x0);
        }
        for (; at < c && at < right; at++) {
          const edge = y0 + slope * (at + 1 - x0);
          if (edge < low) low = edge;
          if (edge > high) high = edge;
          this.column(at, low, high);
          low = high = edge;
        }
        if (at < c) low = high = y; // past the clip: nothing more to draw of this segment
        column = c;
        if (y < low) low = y;
        if (y > high) high = y;
      }
      x0 = x;
      y0 = y;
    }
    end();
  }

  /** Column `c` covered from `low` to `high` (device px), widened by half the line's width each way. */
  private column(c: number, low: number, high: number): void {
    const clip = this.clip;
    if (c < clip[0]! || c >= clip[2]!) return;
    const top = low - this.width / 2;
    const bottom = high + this.width / 2;
    const first = Math.max(Math.floor(top), clip[1]!);
    const last = Math.min(Math.ceil(bottom), clip[3]!);
    const stride = this.pixels.width * 4;
    for (let row = first; row < last; row++) {
      const alpha = Math.min(row + 1, bottom) - Math.max(row, top);
      if (alpha > 0) this.cover(row * stride + c * 4, alpha);
    }
  }

  /** Cover the pixel at data index `i` by `alpha` of the colour, over what is there. */
  private cover(i: number, alpha: number): void {
    const d = this.pixels.data;
    const under = d[i + 3]!;
    if (under === 0) {
      d[i] = this.r;
      d[i + 1] = this.g;
      d[i + 2] = this.b;
      d[i + 3] = alpha * 255;
      return;
    }
    const u = under / 255;
    const out = alpha + u * (1 - alpha);
    const keep = (u * (1 - alpha)) / out;
    const add = alpha / out;
    d[i] = this.r * add + d[i]! * keep;
    d[i + 1] = this.g * add + d[i + 1]! * keep;
    d[i + 2] = this.b * add + d[i + 2]! * keep;
    d[i + 3] = out * 255;
  }

  /**
   * Xiaolin Wu's line from (xa, ya) to (xb, yb), its centre on the segment: pixel by pixel along the major axis
   * (pixel a spans [a, a + 1)), `width` pixels across it, the two edge pixels covered in part.
   */
  private segment(xa: number, ya: number, xb: number, yb: number): void {
    const steep = Math.abs(yb - ya) > Math.abs(xb - xa);
    let a0 = steep ? ya : xa;
    let b0 = steep ? xa : ya;
    let a1 = steep ? yb : xb;
    let b1 = steep ? xb : yb;
    if (a0 > a1) {
      const a = a0;
      const b = b0;
      a0 = a1;
      b0 = b1;
      a1 = a;
      b1 = b;
    }
    const clip = this.clip;
    const aLow = steep ? clip[1]! : clip[0]!;
    const aHigh = steep ? clip[3]! : clip[2]!;
    const bLow = steep ? clip[0]! : clip[1]!;
    const bHigh = steep ? clip[2]! : clip[3]!;
    const gradient = a1 > a0 ? (b1 - b0) / (a1 - a0) : 0;
    const w = this.width;
    const top = b0 - w / 2; // the line's edge, at a0
    const stride = this.pixels.width * 4;
    // One step along the major axis or across it, in the pixel data.
    const along = steep ? stride : 4;
    const across = steep ? 4 : stride;
    const first = Math.max(Math.floor(a0), aLow);
    const last = Math.min(a1, aHigh);
    for (let a = first; a < last; a++) {
      const cover = Math.min(a + 1, a1) - Math.max(a, a0); // less at the segment's ends
      if (cover <= 0) continue;
      const edge = top + gradient * (a + 0.5 - a0);
      const base = Math.floor(edge);
      const frac = edge - base;
      for (let k = 0; k <= w; k++) {
        const b = base + k;
        if (b < bLow || b >= bHigh) continue;
        const alpha = (k === 0 ? 1 - frac : k === w ? frac : 1) * cover;
        if (alpha > 0) this.cover(a * along + b * across, alpha);
      }
    }
  }
}
