// `furrow export`: the saved plots of a study rendered headless, as the app renders them. The engine computes
// each plot (plot.data), and the app's own renderer, served on 127.0.0.1 as `furrow serve` serves it and opened in
// Chromium through playwright-core, draws it with plotly and writes the PDF (jsPDF + svg2pdf.js), SVG or PNG.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { resolvePlot } from '../../shared/plot-spec';
import { Engine } from '../engine/engine';
import { FurrowError } from '../engine/errors';
import { newEvalDir, PLOTS_FILE, readPlotsFile, writeExport } from '../engine/plots/plots-file';
import { conditionEntry, examplesDir, furrowCommand, rendererDir } from '../host/paths';
import { serve } from '../host/server';
import { checkExportOptions, drawAll, EXPORT_FORMATS, parseSize } from '../../shared/plot-export';
import type { DrawPlot, ExportFormat, ExportOptions, PlotToDraw } from '../../shared/plot-export';
import { findChromium } from '../engine/setup/chromium';
import { parseCommand, UsageError } from './args';
import { COMMANDS } from './commands';
import { problem, say } from './output';
import { engineParts } from './run-report';

/** The flags the tests and the issue give for a headless Chromium that touches nothing outside its profile. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the app's page offers (renderer/plots/export.ts). */
interface ExportPage {
  furrowExport?: DrawPlot;
}

/** Draw each plot in the app's page, opened in Chromium, and write its file; a plot that fails goes into `failed`. */
async function renderAll(
  browser: Browser,
  url: string,
  ready: PlotToDraw[],
  format: ExportFormat,
  options: ExportOptions,
  out: string,
  failed: string[],
): Promise<void> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => typeof (globalThis as ExportPage).furrowExport === 'function', undefined, {
    timeout: 30_000,
  });
  await drawAll(
    ready,
    format,
    options,
    (spec, f, o) =>
      page.evaluate(([s, g, h]) => (globalThis as ExportPage).furrowExport!(s, g, h), [spec, f, o] as const),
    async (name, data, spec) => {
      const file = writeExport(out, name, format, Buffer.from(data, 'base64'), spec);
      say(file);
      return file;
    },
    failed,
    (line) => problem(line),
  );
  if (errors.length) problem(`furrow: the page reported: ${errors.join('; ')}`);
}

/** --size, --font-size and --dpi, checked: a mistake is a usage error that says what to give. */
function exportOptions(values: { size?: string; 'font-size'?: string; dpi?: string }): ExportOptions {
  try {
    const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
    const fontSize = number(values['font-size']);
    const dpi = number(values.dpi);
    return checkExportOptions({
      ...(values.size !== undefined ? { size: parseSize(values.size) } : {}),
      ...(fontSize !== undefined ? { fontSize } : {}),
      ...(dpi !== undefined ? { dpi } : {}),
    });
  } catch (error) {
    throw new UsageError(`--${(error as Error).message.replace(/^font size/, 'font-size')}`);
  }
}

export async function exportCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(COMMANDS.export, args);
  if (!parsed) return 0;
  const { positionals, values } = parsed;
  const dir = positionals[0];
  if (!dir) throw new UsageError('export needs the study folder');
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format ${values.format}: give pdf, svg or png`);
  const options = exportOptions(values);
  const plotsFile = path.resolve(values.plots ?? path.join(dir, PLOTS_FILE));
  if (!fs.existsSync(plotsFile)) {
    throw new FurrowError(
      'bad-input',
      `${plotsFile} does not exist: save plots from the app's Plots tab, or give --plots FILE`,
    );
  }
  const plots = readPlotsFile(plotsFile);
  const unknown = (values.only ?? []).filter((name) => !Object.hasOwn(plots, name));
  if (unknown.length) {
    throw new FurrowError(
      'bad-input',
      `${plotsFile} has no plot ${unknown.map((n) => `'${n}'`).join(', ')} (it has: ${Object.keys(plots).join(', ') || 'none'})`,
    );
  }

  // What drawing needs, checked before the engine opens the study (nothing to close on the way out).
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new FurrowError('internal', `the UI is not built (${rendererDir} is missing); run \`npm run build\``);
  }
  const executablePath = findChromium(values.chromium);
  const engine = new Engine({ ...engineParts, conditionEntry, furrowCommand, examplesDir, emit: () => undefined });
  await engine.handlers['study.open']({ dir });
  // Every plot is resolved and computed first, so a plot that cannot be drawn is said before Chromium starts.
  const failed: string[] = [];
  const ready: PlotToDraw[] = [];
  for (const name of values.only ?? Object.keys(plots)) {
    try {
      const spec = resolvePlot(name, plots);
      if (!spec.enabled && !values.only) continue; // a base, not a plot of its own
      // A plot drawn for each case (each: case) is a figure per case, <plot>/<pset_id>.
      const figures = (await engine.handlers['plot.cases']({ name, spec })).plots;
      for (const figure of figures) await engine.handlers['plot.data']({ spec: figure.spec });
      ready.push(...figures);
    } catch (error) {
      failed.push(`plot '${name}': ${(error as Error).message.replace(/^plot '[^']*': /, '')}`);
    }
  }
  for (const message of failed) problem(`furrow: ${message}`);
  if (ready.length === 0) {
    await engine.close();
    if (failed.length) return 2;
    throw new FurrowError('bad-input', `${plotsFile} has no plots to export`);
  }

  const out = values.out ? path.resolve(values.out) : newEvalDir(path.resolve(dir));
  fs.mkdirSync(out, { recursive: true });
  const server = await serve({ engine, rendererDir, port: 0 });
  try {
    const { chromium } = await import('playwright-core');
    // playwright gives the browser a fresh profile of its own in a temporary folder, removed on close.
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    try {
      await renderAll(browser, server.url, ready, format, options, out, failed);
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
    await engine.close();
  }
  return failed.length ? 2 : 0;
}
