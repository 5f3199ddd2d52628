// Saved plots drawn by the app's own page and written to files: one loop for both ways Furrow exports without a
// person at the screen. `furrow export` drives the page in Chromium through playwright-core (electron/cli/export.ts);
// the desktop app drives it in an offscreen window (electron/shell/offscreen-export.ts). The page draws each plot as
// the Plots tab does, through `window.furrowExport` (renderer/plots/export.ts), and hands back the file's bytes.
// Here because it is the contract between that page and whatever drives it: neither side's code, no Node, no DOM.

/** The formats a plot is exported in (the engine's plot.export writes them; `--format` chooses one). */
export const EXPORT_FORMATS = ['pdf', 'svg', 'png'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Figure sizes a journal or a talk asks for: width × height in mm, and the font size that reads well at it. */
export const SIZE_PRESETS = {
  column: { label: 'one column (89 mm)', width: 89, height: 70, fontSize: 7 },
  'two-column': { label: 'two columns (183 mm)', width: 183, height: 110, fontSize: 8 },
  slide: { label: 'slide 16:9 (338.7 × 190.5 mm)', width: 338.6667, height: 190.5, fontSize: 14 },
} as const;
export type SizePreset = keyof typeof SIZE_PRESETS;

/** A figure's size: `auto` (larger for more panels, as on screen), a preset, or width × height in mm or in. */
export type FigureSize = 'auto' | SizePreset | { width: number; height: number; unit: 'mm' | 'in' };

/** How a plot is exported, besides its format. */
export interface ExportOptions {
  size?: FigureSize;
  /** Points; default: the preset's (12 for auto). */
  fontSize?: number;
  /** PNG only: dots per inch (default 144 for auto, 300 for a given size). */
  dpi?: number;
}

const MM_PER_IN = 25.4;

/** `--size`'s text: a preset's name, or WxH with mm or in ("89x60mm", "3.5x2.5in"); a mistake says what to give. */
export function parseSize(text: string): FigureSize {
  if (text === 'auto' || Object.hasOwn(SIZE_PRESETS, text)) return text as FigureSize;
  const m = /^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|in)\s*$/.exec(text);
  const width = Number(m?.[1]);
  const height = Number(m?.[2]);
  if (
    !m ||
    !(width > 0) ||
    !(height > 0) ||
    (m[3] === 'mm' ? Math.max(width, height) > 2000 : Math.max(width, height) > 80)
  ) {
    throw new Error(
      `size '${text}': give auto, ${Object.keys(SIZE_PRESETS).join(', ')}, or width x height in mm or in ` +
        '(89x60mm, 3.5x2.5in; at most 2000 mm)',
    );
  }
  return { width, height, unit: m[3] as 'mm' | 'in' };
}

/** A size as the text parseSize reads. */
export function sizeText(size: FigureSize): string {
  return typeof size === 'string' ? size : `${size.width}x${size.height}${size.unit}`;
}

/** Check a font size or a dpi given on a command line or in a form: a number in its range, or a message. */
export function checkExportOptions(options: ExportOptions): ExportOptions {
  if (options.fontSize !== undefined && !(options.fontSize >= 4 && options.fontSize <= 72)) {
    throw new Error(`font size ${options.fontSize}: give points from 4 to 72`);
  }
  if (options.dpi !== undefined && !(Number.isInteger(options.dpi) && options.dpi >= 50 && options.dpi <= 2400)) {
    throw new Error(`dpi ${options.dpi}: give a whole number from 50 to 2400`);
  }
  return options;
}

/** The page of a size in points (1/72 in; the figure is laid out 1 point to a CSS pixel), or null for auto. */
export function pagePoints(size: FigureSize | undefined): { width: number; height: number } | null {
  if (size === undefined || size === 'auto') return null;
  const { width, height } = typeof size === 'string' ? SIZE_PRESETS[size] : size;
  const per = typeof size === 'string' || size.unit === 'mm' ? 72 / MM_PER_IN : 72;
  return { width: Math.round(width * per * 100) / 100, height: Math.round(height * per * 100) / 100 };
}

/** The font size an export uses: the one given, else the preset's, else 12. */
export function exportFontSize(options: ExportOptions): number {
  if (options.fontSize !== undefined) return options.fontSize;
  return typeof options.size === 'string' && options.size !== 'auto' ? SIZE_PRESETS[options.size].fontSize : 12;
}

export interface PlotToDraw {
  name: string;
  spec: Record<string, unknown>;
}

/** What a page of the app draws for one spec: the file's bytes (base64) and the spec as it was filled in. */
export type DrawPlot = (
  spec: Record<string, unknown>,
  format: ExportFormat,
  options: ExportOptions,
) => Promise<{ data: string; spec: unknown }>;

/** The expression a page evaluates to draw one plot (for pages driven by code text, as Electron's are). */
export function drawExpression(
  spec: Record<string, unknown>,
  format: ExportFormat,
  options: ExportOptions = {},
): string {
  return `window.furrowExport(${JSON.stringify(spec)}, ${JSON.stringify(format)}, ${JSON.stringify(options)})`;
}

/**
 * Draw each plot and write it; a plot that fails is added to `failed` ("plot 'name': why") and the rest go on.
 * Returns the files written.
 */
export async function drawAll(
  plots: PlotToDraw[],
  format: ExportFormat,
  options: ExportOptions,
  draw: DrawPlot,
  write: (name: string, data: string, spec: unknown) => Promise<string>,
  failed: string[],
  log: (line: string) => void,
): Promise<string[]> {
  const written: string[] = [];
  for (const [i, { name, spec }] of plots.entries()) {
    log(`furrow: exporting ${name} (${i + 1} of ${plots.length})`);
    try {
      const result = await draw(spec, format, options);
      written.push(await write(name, result.data, result.spec));
    } catch (error) {
      failed.push(`plot '${name}': ${(error as Error).message.split('\n')[0]}`);
      log(`furrow: ${failed.at(-1)}`);
    }
  }
  return written;
}
