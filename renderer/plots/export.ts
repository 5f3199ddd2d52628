// A facet plot as a file: SVG straight from plotly, PNG at twice the size, and PDF as vectors with its text kept
// as text (jsPDF + svg2pdf.js, with DejaVu Sans embedded: the PDF base fonts have no U+2212, the minus sign plotly
// writes on its axes). Heatmaps of up to 40,000 cells are redrawn as vectors (vector-heatmap.ts). The same code
// runs in the app, in a browser on `furrow serve`, and under `furrow export`.
import fontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import type { EngineClient } from '../../shared/api';
import type { PlotData } from '../../shared/plot-spec';
import { figureOf } from './figure';
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
export async function exportPlot(plot: PlotData, format: ExportFormat): Promise<Uint8Array> {
  const { width, height } = exportSize(plot);
  const figure = figureOf(plot, { forExport: true, font: FONT });
  const host = document.createElement('div');
  host.style.cssText = `position: fixed; left: -10000px; top: 0; width: ${width}px; height: ${height}px;`;
  document.body.append(host);
  try {
    return await withPlotly(host, async (Plotly) => {
      await Plotly.newPlot(host, figure.data, { ...figure.layout, width, height }, { staticPlot: true });
      if (format === 'png') {
        const url = await Plotly.toImage(host, { format: 'png', width, height, scale: 2 });
        return Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
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

/** An SVG as a one-page vector PDF, its text in the embedded font. */
async function svgToPdf(svg: string, width: number, height: number): Promise<Uint8Array> {
  const [{ jsPDF }, font] = await Promise.all([import('jspdf'), loadFont(), import('svg2pdf.js')]);
  const doc = new jsPDF({
    orientation: width > height ? 'landscape' : 'portrait',
    unit: 'pt',
    format: [width, height],
    compress: true, // the page's drawing as a deflated stream: a vector heatmap's cells are many
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
    furrowExport?: (spec: Record<string, unknown>, format: ExportFormat) => Promise<{ data: string; spec: unknown }>;
  }
}

/** Let `furrow export` render plots through this page. */
export function exposeExport(engine: EngineClient): void {
  window.furrowExport = async (spec, format) => {
    const data = await engine.request('plot.data', { spec });
    return { data: toBase64(await exportPlot(data, format)), spec: data.spec };
  };
}
