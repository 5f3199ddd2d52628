// `furrow export`: the saved plots of a study rendered headless, as the app renders them. The engine computes
// each plot (plot.data), and the app's own renderer, served on 127.0.0.1 as `furrow serve` serves it and opened in
// Chromium through playwright-core, draws it with plotly and writes the PDF (jsPDF + svg2pdf.js), SVG or PNG.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { resolvePlot } from '../../shared/plot-spec';
import { Engine } from '../engine/engine';
import { FurrowError } from '../engine/errors';
import { newEvalDir, PLOTS_FILE, readPlotsFile, writeExport } from '../engine/plots/plots-file';
import { conditionEntry, examplesDir, furrowCommand, rendererDir } from '../host/paths';
import { serve } from '../host/server';
import { checkExportOptions, drawAll, EXPORT_FORMATS, parseSize } from '../../shared/plot-export';
import type { DrawPlot, ExportFormat, ExportOptions, PlotToDraw } from '../../shared/plot-export';
import { UsageError } from './args';
import { engineParts } from './run-report';

export const EXPORT_USAGE = `  furrow export <study> [--plots FILE] [--only NAME]... [--format pdf|svg|png] [--out DIR] [--chromium PATH]
                [--size auto|column|two-column|slide|WxH(mm|in)] [--font-size PT] [--dpi N]
             the saved plots (plots.yaml) as files in eval/<timestamp>/ (or DIR), each with its resolved spec;
             --size: one column 89 mm, two columns 183 mm, a 16:9 slide, or your own (89x60mm, 3.5x2.5in);
             --font-size in points (default: the size's), --dpi for PNG (default 144, 300 with --size);
             renders in Chromium (found on PATH, or FURROW_CHROMIUM, or --chromium)`;

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

const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

function findChromium(given: string | undefined): string {
  const chosen = given ?? process.env['FURROW_CHROMIUM'];
  if (chosen) {
    if (!fs.existsSync(chosen)) throw new FurrowError('bad-input', `Chromium: ${chosen} does not exist`);
    return chosen;
  }
  const found = CHROMIUM_CANDIDATES.find((c) => fs.existsSync(c));
  if (!found) {
    throw new FurrowError(
      'bad-input',
      'furrow export draws the plots in Chromium or Chrome, and neither was found; install one ' +
        '(Debian: apt-get install chromium) or give its path with --chromium PATH',
    );
  }
  return found;
}

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
      console.log(file);
      return file;
    },
    failed,
    (line) => console.error(line),
  );
  if (errors.length) console.error(`furrow: the page reported: ${errors.join('; ')}`);
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
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      plots: { type: 'string' },
      only: { type: 'string', multiple: true },
      format: { type: 'string', default: 'pdf' },
      out: { type: 'string' },
      chromium: { type: 'string' },
      size: { type: 'string' },
      'font-size': { type: 'string' },
      dpi: { type: 'string' },
    },
  });
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
      await engine.handlers['plot.data']({ spec });
      ready.push({ name, spec });
    } catch (error) {
      failed.push(`plot '${name}': ${(error as Error).message.replace(/^plot '[^']*': /, '')}`);
    }
  }
  for (const message of failed) console.error(`furrow: ${message}`);
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
