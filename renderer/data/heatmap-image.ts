// A large heatmap of the Data tab as one image Furrow colours itself: a pixel per cell, through a 256-colour table
// of viridis, placed on plotly's axes at the cells' edges (a layout image, which zooms and pans with them). plotly's
// own heatmap colours each of 10^6 cells through its colour scale and encodes the image as a PNG on the page's
// thread: most of a second, where this takes a few tens of milliseconds and the PNG is encoded off it (toBlob).
// It needs evenly spaced numeric coordinates; other heatmaps stay plotly's.
import { viridis } from '../plots/palette';

type Numbers = Float64Array | Float32Array;

/** Evenly spaced numbers (within a millionth of a step): their first value and step; else null. */
export function evenSteps(coord: ArrayLike<unknown>): { start: number; step: number } | null {
  const n = coord.length;
  if (n === 0 || typeof coord[0] !== 'number' || !Number.isFinite(coord[0])) return null;
  const start = coord[0];
  if (n === 1) return { start, step: 1 };
  const last = coord[n - 1];
  if (typeof last !== 'number' || !Number.isFinite(last) || last === start) return null;
  const step = (last - start) / (n - 1);
  for (let i = 1; i < n - 1; i++) {
    const v = coord[i];
    if (typeof v !== 'number' || Math.abs(v - (start + i * step)) > Math.abs(step) * 1e-6) return null;
  }
  return { start, step };
}

let table: Uint8Array | undefined;

/** viridis in 256 steps, as r, g, b. */
function viridisTable(): Uint8Array {
  if (table) return table;
  table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const n = Number.parseInt(viridis(i / 255).slice(1), 16);
    table.set([(n >> 16) & 255, (n >> 8) & 255, n & 255], i * 3);
  }
  return table;
}

/**
 * The RGBA pixels of `values` (rows × cols, row-major, row 0 at the first y) coloured on viridis from zmin to
 * zmax, the image's top row being the highest y (`yUp`: y grows with the row) as plotly draws it. A missing value
 * (NaN, ±Infinity) is transparent.
 */
export function heatmapPixels(
  values: Numbers,
  rows: number,
  cols: number,
  zmin: number,
  zmax: number,
  yUp: boolean,
): Uint8ClampedArray<ArrayBuffer> {
  const lut = viridisTable();
  const out = new Uint8ClampedArray(new ArrayBuffer(rows * cols * 4));
  const scale = zmax > zmin ? 255 / (zmax - zmin) : 0;
  for (let r = 0; r < rows; r++) {
    const top = yUp ? rows - 1 - r : r;
    let o = top * cols * 4;
    const row = r * cols;
    for (let c = 0; c < cols; c++, o += 4) {
      const v = values[row + c]!;
      if (!Number.isFinite(v)) continue;
      const k = Math.min(255, Math.max(0, Math.round((v - zmin) * scale))) * 3;
      out[o] = lut[k]!;
      out[o + 1] = lut[k + 1]!;
      out[o + 2] = lut[k + 2]!;
      out[o + 3] = 255;
    }
  }
  return out;
}

export interface HeatmapImage {
  /** A pixel per cell, the top row the highest y. */
  canvas: HTMLCanvasElement;
  /** The cells' outer edges in data coordinates, lowest first. */
  x: [number, number];
  y: [number, number];
}

/**
 * The image of a heatmap whose coordinates are evenly spaced numbers, or null when they are not (plotly draws it).
 */
export function heatmapImage(
  values: Numbers,
  xs: ArrayLike<unknown>,
  ys: ArrayLike<unknown>,
  zmin: number,
  zmax: number,
): HeatmapImage | null {
  const ex = evenSteps(xs);
  const ey = evenSteps(ys);
  if (!ex || !ey) return null;
  const [rows, cols] = [ys.length, xs.length];
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.putImageData(new ImageData(heatmapPixels(values, rows, cols, zmin, zmax, ey.step > 0), cols, rows), 0, 0);
  const edges = ({ start, step }: { start: number; step: number }, n: number): [number, number] => {
    const a = start - step / 2;
    const b = start + (n - 0.5) * step;
    return a < b ? [a, b] : [b, a];
  };
  return { canvas, x: edges(ex, cols), y: edges(ey, rows) };
}

/**
 * Draw the part of `image` within the axes' ranges onto `target`, which covers the plot area (`width` × `height`
 * CSS pixels) exactly: each cell a block of pixels, not blurred, as plotly draws a large heatmap.
 */
export function paintHeatmap(
  target: HTMLCanvasElement,
  image: HeatmapImage,
  xRange: [number, number],
  yRange: [number, number],
  width: number,
  height: number,
): void {
  const ratio = window.devicePixelRatio || 1;
  target.width = Math.round(width * ratio);
  target.height = Math.round(height * ratio);
  target.style.width = `${width}px`;
  target.style.height = `${height}px`;
  const context = target.getContext('2d');
  if (!context) return;
  context.imageSmoothingEnabled = false;
  const { canvas } = image;
  const [ix0, ix1] = image.x;
  const [iy0, iy1] = image.y;
  const [x0, x1] = xRange;
  const [yLow, yHigh] = yRange[0] < yRange[1] ? yRange : [yRange[1], yRange[0]];
  // The source rectangle: the axes' window in the image's pixels (the top row is the highest y).
  const sx = ((x0 - ix0) / (ix1 - ix0)) * canvas.width;
  const sw = ((x1 - x0) / (ix1 - ix0)) * canvas.width;
  const sy = ((iy1 - yHigh) / (iy1 - iy0)) * canvas.height;
  const sh = ((yHigh - yLow) / (iy1 - iy0)) * canvas.height;
  context.drawImage(canvas, sx, sy, sw, sh, 0, 0, target.width, target.height);
}

/** The index of the cell at data coordinate `at` along evenly spaced coordinates, or null outside them. */
export function cellAt(coord: ArrayLike<unknown>, at: number): number | null {
  const e = evenSteps(coord);
  if (!e) return null;
  const i = Math.round((at - e.start) / e.step);
  return i >= 0 && i < coord.length ? i : null;
}
