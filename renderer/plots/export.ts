// A facet plot as a file: SVG straight from plotly, PNG at a chosen dpi, and PDF as vectors with its text kept
// as text (jsPDF + svg2pdf.js, with DejaVu Sans embedded, and only the fonts used: no unembedded base-14 font for a
// journal's preflight to flag; the base fonts have no U+2212 either, the minus sign plotly writes on its axes).
// A figure is sized as a journal asks (one column, two columns, a slide, or mm/in given) with its font in points.
// Heatmaps of up to 40,000 cells are redrawn as vectors (vector-heatmap.ts). The same code runs in the app, in a
// browser on `furrow serve`, and under `furrow export`.
import fontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import type { EngineClient } from '../../shared/api';
import { exportFontSize, pagePoints } from '../../shared/plot-export';
import type { ExportOptions } from '../../shared/plot-export';
import type { PlotData } from '../../shared/plot-spec';
import { figureOf } from './figure';
import type { Figure } from './figure';
import { withPlotly } from './plotly';
import { vectorHeatmaps } from './vector-heatmap';

export type ExportFormat = 'pdf' | 'svg' | 'png';

/** The font the figure is laid out in and the PDF embeds. */
const FONT = 'DejaVu Sans';
const PDF_FONT = 'DejaVuSans';

let fontBase64: Promise<string> | undefined;
function loadFont(): Promise<string> {
  fontBase64 ??= fetch(fontUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`the PDF font could not be loaded (${r.status})`);
      return r.arrayBuffer();
    })
    .then((buffer) => {
      const bytes = new Uint8Array(buffer);
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(bin);
    });
  return fontBase64;
}

/** The size of an exported plot, in CSS pixels (PDF points): larger for more panels. */
export function exportSize(plot: PlotData): { width: number; height: number } {
  return { width: Math.max(640, 320 * plot.cols + 160), height: Math.max(440, 280 * plot.rows + 140) };
}

/** Render a plot off screen and return the file's bytes. */
export async function exportPlot(
  plot: PlotData,
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<Uint8Array> {
  const size = pagePoints(options.size) ?? exportSize(plot);
  return exportFigure((font) => figureOf(plot, { forExport: true, ...font }), size, format, options);
}

/**
 * Render any figure off screen at `size` (CSS pixels, PDF points) and return the file's bytes; `figure` is made for
 * the export's font (the What matters page's figures export through this too).
 */
export async function exportFigure(
  figureFor: (font: { font: string; fontSize: number }) => Pick<Figure, 'data' | 'layout'>,
  { width, height }: { width: number; height: number },
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<Uint8Array> {
  const figure = figureFor({ font: FONT, fontSize: exportFontSize(options) });
  const host = document.createElement('div');
  host.style.cssText = `position: fixed; left: -10000px; top: 0; width: ${width}px; height: ${height}px;`;
  document.body.append(host);
  try {
    return await withPlotly(host, async (Plotly) => {
      await Plotly.newPlot(host, figure.data, { ...figure.layout, width, height }, { staticPlot: true });
      if (format === 'png') {
        // The figure is laid out a point to a pixel: dpi / 72 pixels to the point.
        const dpi = options.dpi ?? (pagePoints(options.size) ? 300 : 144);
        const url = await Plotly.toImage(host, { format: 'png', width, height, scale: dpi / 72 });
        return withDpi(
          Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0)),
          dpi,
        );
      }
      const url = await Plotly.toImage(host, { format: 'svg', width, height });
      const svg = await vectorHeatmaps(host, decodeURIComponent(url.slice(url.indexOf(',') + 1)));
      Plotly.purge(host);
      if (format === 'svg') return new TextEncoder().encode(svg);
      return svgToPdf(svg, width, height);
    });
  } finally {
    host.remove();
  }
}

/** CRC-32 of PNG chunks. */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG that says its resolution (a pHYs chunk after IHDR), so a journal's check reads the dpi it was made at. */
export function withDpi(png: Uint8Array, dpi: number): Uint8Array {
  const perMetre = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(21);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // pHYs
  view.setUint32(8, perMetre);
  view.setUint32(12, perMetre);
  chunk[16] = 1; // the unit is the metre
  view.setUint32(17, crc32(chunk.subarray(4, 17)));
  const at = 8 + 25; // the signature, then IHDR (13 bytes of data, with its length, type and CRC)
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, at));
  out.set(chunk, at);
  out.set(png.subarray(at), at + chunk.length);
  return out;
}

/** An SVG as a one-page vector PDF, its text in the embedded font. */
async function svgToPdf(svg: string, width: number, height: number): Promise<Uint8Array> {
  const [{ jsPDF }, font] = await Promise.all([import('jspdf'), loadFont(), import('svg2pdf.js')]);
  const doc = new jsPDF({
    orientation: width > height ? 'landscape' : 'portrait',
    unit: 'pt',
    format: [width, height],
    compress: true, // the page's drawing as a deflated stream: a vector heatmap's cells are many
    putOnlyUsedFonts: true, // else the 14 base fonts are listed too, unembedded
  });
  doc.addFileToVFS(`${PDF_FONT}.ttf`, font);
  doc.addFont(`${PDF_FONT}.ttf`, PDF_FONT, 'normal');
  doc.addFont(`${PDF_FONT}.ttf`, PDF_FONT, 'bold');
  doc.setFont(PDF_FONT);
  const element = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  // Every text in the embedded font: plotly writes its family list on each text element's style.
  for (const el of element.querySelectorAll('[style*="font-family"], [font-family]')) {
    const style = el.getAttribute('style');
    if (style) el.setAttribute('style', style.replace(/font-family:[^;]*/g, `font-family: ${PDF_FONT}`));
    if (el.hasAttribute('font-family')) el.setAttribute('font-family', PDF_FONT);
  }
  await doc.svg(element, { x: 0, y: 0, width, height });
  doc.setProperties({ title: 'Furrow plot', creator: 'Furrow' });
  return new Uint8Array(doc.output('arraybuffer'));
}

/** Bytes as base64, to travel to the engine. */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

declare global {
  interface Window {
    /** For `furrow export`, which drives this page headless: a plot spec → the file's bytes (base64) and the spec drawn. */
    furrowExport?: (
      spec: Record<string, unknown>,
      format: ExportFormat,
      options?: ExportOptions,
    ) => Promise<{ data: string; spec: unknown }>;
  }
}

/** Let `furrow export` render plots through this page. */
export function exposeExport(engine: EngineClient): void {
  window.furrowExport = async (spec, format, options = {}) => {
    const data = await engine.request('plot.data', { spec });
    return { data: toBase64(await exportPlot(data, format, options)), spec: data.spec };
  };
}
