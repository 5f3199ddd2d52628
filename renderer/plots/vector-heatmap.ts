// Heatmaps as vectors in exported files. Plotly draws a heatmap as one raster <image>, so a PDF of it holds a
// bitmap. For an export, each heatmap of up to VECTOR_CELLS cells is redrawn as a <rect> per cell: the cell
// edges are plotly's own (its calcdata bricks, through the axes' own data-to-pixel maps) and each colour is the
// cell's value through the colour axis's scale, interpolated in RGB between its stops as plotly does, so a cell
// narrower than a pixel still gets its own colour. Where the scale cannot be read (a colour named in words),
// the colour is read from plotly's raster at the cell's centre instead. Larger heatmaps stay images (a rect per
// cell would make files of many megabytes that viewers draw slowly).

/** The most cells a heatmap may have to be drawn as vectors. */
export const VECTOR_CELLS = 40_000;

interface Axis {
  c2p(v: number): number;
}
interface ColourAxis {
  colorscale?: [number, string][];
  cmin?: number;
  cmax?: number;
  reversescale?: boolean;
}
interface PlotlyInternals {
  calcdata?: {
    0: {
      x?: number[];
      y?: number[];
      z?: number[][];
      trace?: { type?: string; xaxis?: string; yaxis?: string; coloraxis?: string };
    };
  }[];
  _fullLayout?: Record<string, unknown>;
}

const svgNs = 'http://www.w3.org/2000/svg';

type Rgb = [number, number, number];

/** '#rgb', '#rrggbb', 'rgb(r, g, b)' or 'rgba(r, g, b, a)' as numbers; null for anything else. */
export function parseColour(text: string): Rgb | null {
  const t = text.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(t)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(t);
  return rgb ? ([1, 2, 3].map((i) => Number(rgb[i])) as Rgb) : null;
}

/** A colour scale as plotly applies it: z → the colour between the stops around its place in [cmin, cmax]. */
export function scaleColour(
  stops: [number, string][],
  cmin: number,
  cmax: number,
  reverse = false,
): ((z: number) => string) | null {
  const parsed = stops.map(([at, colour]) => [reverse ? 1 - at : at, parseColour(colour)] as const);
  if (parsed.some(([at, c]) => c === null || !Number.isFinite(at)) || !(cmax >= cmin)) return null;
  const sorted = (parsed as [number, Rgb][]).sort((a, b) => a[0] - b[0]);
  return (z) => {
    const f = cmax === cmin ? 0.5 : Math.min(1, Math.max(0, (z - cmin) / (cmax - cmin)));
    let k = 1;
    while (k < sorted.length - 1 && sorted[k]![0] < f) k++;
    const [a0, c0] = sorted[k - 1]!;
    const [a1, c1] = sorted[k]!;
    const w = a1 === a0 ? 0 : Math.min(1, Math.max(0, (f - a0) / (a1 - a0)));
    const mix = c0.map((v, i) => Math.round(v + (c1[i]! - v) * w));
    return `rgb(${mix[0]},${mix[1]},${mix[2]})`;
  };
}

function loadImage(href: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('a heatmap image could not be read'));
    img.src = href;
  });
}

/** Axis name in a trace ('x2') → its layout key ('xaxis2'). */
const layoutKey = (name: string) => `${name[0]}axis${name.slice(1)}`;

/**
 * The exported SVG `svg` of the plot drawn in `host`, with each small heatmap image replaced by rects. The images
 * are matched to the heatmap traces subplot by subplot, in drawing order.
 */
export async function vectorHeatmaps(host: HTMLElement, svg: string): Promise<string> {
  const internals = host as HTMLElement & PlotlyInternals;
  const heatmaps = (internals.calcdata ?? [])
    .map((cd) => cd[0])
    .filter((c) => c.trace?.type === 'heatmap' && c.x && c.y && c.z);
  if (heatmaps.length === 0) return svg;
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const bySubplot = new Map<string, typeof heatmaps>();
  for (const c of heatmaps) {
    const key = `${c.trace!.xaxis ?? 'x'}${c.trace!.yaxis ?? 'y'}`;
    bySubplot.set(key, [...(bySubplot.get(key) ?? []), c]);
  }
  let changed = false;
  for (const [subplot, traces] of bySubplot) {
    const group = doc.querySelector(`g.subplot.${subplot}`);
    const images = group ? [...group.querySelectorAll('g.heatmaplayer image')] : [];
    if (images.length !== traces.length) continue; // not as expected: leave the images as they are
    for (const [i, c] of traces.entries()) {
      const image = images[i]!;
      const xEdges = c.x!;
      const yEdges = c.y!;
      const z = c.z!;
      const nx = xEdges.length - 1;
      const ny = yEdges.length - 1;
      if (nx < 1 || ny < 1 || nx * ny > VECTOR_CELLS || z.length !== ny) continue;
      const layout = internals._fullLayout ?? {};
      const xa = layout[layoutKey(c.trace!.xaxis ?? 'x')] as Axis | undefined;
      const ya = layout[layoutKey(c.trace!.yaxis ?? 'y')] as Axis | undefined;
      const href = image.getAttribute('href') ?? image.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
      if (!xa || !ya || !href) continue;
      const axis = layout[c.trace!.coloraxis ?? 'coloraxis'] as ColourAxis | undefined;
      const computed =
        axis?.colorscale && Number.isFinite(axis.cmin) && Number.isFinite(axis.cmax)
          ? scaleColour(axis.colorscale, axis.cmin!, axis.cmax!, axis.reversescale ?? false)
          : null;
      const raster = await loadImage(href);
      const canvas = document.createElement('canvas');
      canvas.width = raster.naturalWidth;
      canvas.height = raster.naturalHeight;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) continue;
      ctx.drawImage(raster, 0, 0);
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const box = ['x', 'y', 'width', 'height'].map((a) => Number(image.getAttribute(a)));
      const [bx, by, bw, bh] = box as [number, number, number, number];
      const xp = xEdges.map((v) => xa.c2p(v));
      const yp = yEdges.map((v) => ya.c2p(v));
      const cells = doc.createElementNS(svgNs, 'g');
      cells.setAttribute('class', 'hm-vector');
      for (let j = 0; j < ny; j++) {
        const top = Math.min(yp[j]!, yp[j + 1]!);
        const height = Math.abs(yp[j + 1]! - yp[j]!);
        for (let k = 0; k < nx; k++) {
          if (!Number.isFinite(z[j]![k]!)) continue; // a missing cell is left blank, as plotly leaves it
          const left = Math.min(xp[k]!, xp[k + 1]!);
          const width = Math.abs(xp[k + 1]! - xp[k]!);
          const px = Math.floor(((left + width / 2 - bx) / bw) * canvas.width);
          const py = Math.floor(((top + height / 2 - by) / bh) * canvas.height);
          if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) continue;
          const at = (py * canvas.width + px) * 4;
          if (!computed && pixels[at + 3] === 0) continue;
          const rect = doc.createElementNS(svgNs, 'rect');
          // A hair wider than the cell, so that no seam shows between neighbours in a viewer that antialiases.
          rect.setAttribute('x', (left - 0.05).toFixed(2));
          rect.setAttribute('y', (top - 0.05).toFixed(2));
          rect.setAttribute('width', (width + 0.1).toFixed(2));
          rect.setAttribute('height', (height + 0.1).toFixed(2));
          rect.setAttribute(
            'fill',
            computed ? computed(z[j]![k]!) : `rgb(${pixels[at]},${pixels[at + 1]},${pixels[at + 2]})`,
          );
          cells.append(rect);
        }
      }
      image.replaceWith(cells);
      changed = true;
    }
  }
  return changed ? new XMLSerializer().serializeToString(doc) : svg;
}
