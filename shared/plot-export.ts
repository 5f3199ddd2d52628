// Saved plots drawn by the app's own page and written to files: one loop for both ways Furrow exports without a
// person at the screen. `furrow export` drives the page in Chromium through playwright-core (electron/cli/export.ts);
// the desktop app drives it in an offscreen window (electron/shell/offscreen-export.ts). The page draws each plot as
// the Plots tab does, through `window.furrowExport` (renderer/plots/export.ts), and hands back the file's bytes.
// Here because it is the contract between that page and whatever drives it: neither side's code, no Node, no DOM.

/** The formats a plot is exported in (the engine's plot.export writes them; `--format` chooses one). */
export const EXPORT_FORMATS = ['pdf', 'svg', 'png'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface PlotToDraw {
  name: string;
  spec: Record<string, unknown>;
}

/** What a page of the app draws for one spec: the file's bytes (base64) and the spec as it was filled in. */
export type DrawPlot = (
  spec: Record<string, unknown>,
  format: ExportFormat,
) => Promise<{ data: string; spec: unknown }>;

/** The expression a page evaluates to draw one plot (for pages driven by code text, as Electron's are). */
export function drawExpression(spec: Record<string, unknown>, format: ExportFormat): string {
  return `window.furrowExport(${JSON.stringify(spec)}, ${JSON.stringify(format)})`;
}

/**
 * Draw each plot and write it; a plot that fails is added to `failed` ("plot 'name': why") and the rest go on.
 * Returns the files written.
 */
export async function drawAll(
  plots: PlotToDraw[],
  format: ExportFormat,
  draw: DrawPlot,
  write: (name: string, data: string, spec: unknown) => Promise<string>,
  failed: string[],
  log: (line: string) => void,
): Promise<string[]> {
  const written: string[] = [];
  for (const [i, { name, spec }] of plots.entries()) {
    log(`furrow: exporting ${name} (${i + 1} of ${plots.length})`);
    try {
      const result = await draw(spec, format);
      written.push(await write(name, result.data, result.spec));
    } catch (error) {
      failed.push(`plot '${name}': ${(error as Error).message.split('\n')[0]}`);
      log(`furrow: ${failed.at(-1)}`);
    }
  }
  return written;
}
