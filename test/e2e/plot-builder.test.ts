// The plot builder cannot trap, in Debian's Chromium over `furrow serve` and the bar example after a real run: the
// issue's nine kind switches on C each leave a drawn plot and no error, each move said in one line; every mapping
// and every fixed or reduced dim is a chip that can be removed; the subtitle names the fixed dims, on screen and in
// the exported PDF's text; screenshots of the page at two sizes, light and dark.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exampleStudy, furrow, ROOT, serveStudy } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';
import { expectAccessible, launchChromium, recordErrors } from '../helpers/chromium';
import { describeWith } from '../helpers/tools';

/** What each kind draws, as plotly lays it out: the layer its traces are in. */
const DRAWN: Record<string, string> = {
  heatmap: '.plot .heatmaplayer .hm, .plot image',
  contour: '.plot .contourlayer .contour',
  hist: '.plot .barlayer .trace',
  line: '.plot .scatterlayer .trace',
  scatter: '.plot .scatterlayer .trace',
  step: '.plot .scatterlayer .trace',
  errorbands: '.plot .scatterlayer .trace',
};
const FIGURE: Record<string, RegExp> = {
  heatmap: /^Heatmap plot of C against/,
  contour: /^Contour plot of C against/,
  hist: /^Histogram of C$/,
  line: /^Line plot of C against/,
  scatter: /^Scatter plot of C against/,
  step: /^Step plot of C against/,
  errorbands: /^Error band plot of C against/,
};

// poppler reads the exported PDF back; Chromium draws the page.
describeWith('poppler', 'the plot builder, its PDF read by poppler', () =>
  describeWith('chromium', 'the plot builder cannot trap', () => {
    let browser: BrowserContext;
    let served: Served;
    let page: Page;
    let study: string;
    const errors: string[] = [];

    beforeAll(async () => {
      study = await exampleStudy('bar');
      const run = await furrow(['run', study, '--json']);
      expect(run.code, run.stderr).toBe(0);
      served = await serveStudy(study);
      browser = await launchChromium({ width: 1440, height: 900 });
      page = await browser.newPage();
      await recordErrors(page, errors);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.stop();
    });

    const shot = async (name: string) => {
      for (const [width, height] of [
        [1440, 900],
        [1024, 700],
      ] as const) {
        for (const scheme of ['light', 'dark'] as const) {
          await page.setViewportSize({ width, height });
          await page.emulateMedia({ colorScheme: scheme });
          await page.waitForTimeout(300); // the plot follows the panel's width and the colours
          await page.screenshot({ path: path.join(ROOT, 'test-results', `plots-${name}-${width}-${scheme}.png`) });
        }
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.emulateMedia({ colorScheme: 'light' });
    };
    const note = () => page.getByRole('region', { name: 'Plot builder' }).locator('.plot-note');
    const chips = () => page.getByRole('list', { name: 'What the plot shows' }).getByRole('listitem');
    const figure = () => page.getByRole('figure');

    it("the issue's nine kind switches on bar's C each leave a drawn plot, no error, and a line of what moved", async () => {
      await page.goto(served.url);
      await page.getByRole('tab', { name: 'Plots' }).click();
      await page.getByLabel('Variable', { exact: true }).selectOption('C');
      await expect
        .poll(() => figure().getAttribute('aria-label'), { timeout: 20_000 })
        .toBe('Line plot of C against t, a line per x');
      // The first look fixes i, j and k at their first values: chips say so, and the subtitle.
      await expect
        .poll(() => chips().allTextContents())
        .toEqual(['x: t×', 'Lines (hue): x×', 'i = 5×', 'j = 7×', 'k = 9×']);
      await expect.poll(() => page.locator('.plot .gtitle-subtitle').textContent()).toBe('i = 5 · j = 7 · k = 9');

      const notes: string[] = [];
      for (const kind of ['heatmap', 'line', 'contour', 'scatter', 'heatmap', 'step', 'hist', 'errorbands', 'line']) {
        await page.getByLabel('Kind', { exact: true }).selectOption(kind);
        await expect.poll(() => figure().getAttribute('aria-label'), { timeout: 15_000 }).toMatch(FIGURE[kind]!);
        await expect.poll(() => page.locator(DRAWN[kind]!).count(), { timeout: 15_000 }).toBeGreaterThan(0);
        await expect.poll(() => page.getByRole('alert').count()).toBe(0);
        expect(await page.locator('.plot-busy').textContent()).toBe('');
        notes.push((await note().textContent()) ?? '');
        if (kind === 'heatmap' && notes.length === 1) {
          expect(notes[0]).toBe('A heatmap plot has no Lines (hue): x moved to Columns; i is free again, for y.');
          await expect
            .poll(() => page.locator('.plot .annotation-text').allTextContents())
            .toEqual(['x = 10', 'x = 20', 'x = 30']);
          await shot('heatmap-after-switch');
          await expectAccessible(page, 'the Plots page after a kind switch');
        }
      }
      expect(notes[6]).toBe('A histogram has no x: each counts the values along t.');
      expect(errors).toEqual([]);
    }, 180_000);

    it('removes any chip and still draws: a mapping leaves the plot, a fixed dim is freed', async () => {
      await page.getByLabel('Kind', { exact: true }).selectOption('line');
      await expect.poll(() => figure().getAttribute('aria-label')).toMatch(/^Line plot of C against t/);
      // A fixed dim freed: auto-encoding gives it a place, and the plot says so.
      await page.getByRole('button', { name: /^Remove j = 7 \(free j\)$/ }).click();
      await expect.poll(() => chips().allTextContents()).not.toContain('j = 7×');
      await expect.poll(() => page.locator('.plot .gtitle-subtitle').textContent()).not.toMatch(/j = 7/);
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      // A mapping removed: its dim is fixed at its first value, and x is filled again.
      const onX = (await chips().filter({ hasText: /^x: / }).textContent())!.replace(/^x: (\S+?)( auto)?×$/, '$1');
      await page.getByRole('button', { name: new RegExp(`^Remove ${onX} from x`) }).click();
      await expect.poll(() => chips().filter({ hasText: /^x: / }).textContent()).not.toContain(`x: ${onX}×`);
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBeGreaterThan(0);
      await shot('chips');
      await expectAccessible(page, 'the Plots page with chips');
      expect(errors).toEqual([]);
    }, 120_000);

    it('exports the heatmap as a PDF whose text names the fixed dims, its fonts all embedded', async () => {
      await page.getByLabel('Variable', { exact: true }).selectOption('B');
      await page.getByLabel('Variable', { exact: true }).selectOption('C'); // a first look again
      await page.getByLabel('Kind', { exact: true }).selectOption('heatmap');
      await expect.poll(() => figure().getAttribute('aria-label')).toMatch(/^Heatmap plot of C against/);
      await expect.poll(() => page.locator('.plot .gtitle-subtitle').textContent()).toBe('j = 7 · k = 9');
      // A size of your own: a width that is no number is said at its field, and the buttons wait for it.
      await page.getByLabel('Size', { exact: true }).selectOption('custom');
      await page.getByLabel('Width', { exact: true }).fill('wide');
      const exportButton = page.getByRole('button', { name: 'Export this plot' });
      await expect.poll(() => exportButton.isDisabled()).toBe(true);
      expect(await page.getByLabel('Width', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Height', { exact: true }).getAttribute('aria-invalid')).toBeNull();
      expect(await page.locator('#export-field-error').textContent()).toBe(
        'Width: give a number above 0, at most 2000 mm',
      );
      await page.getByLabel('Format', { exact: true }).selectOption('png');
      await page.getByLabel('DPI', { exact: true }).fill('600');
      await shot('export-options');
      await page.getByLabel('Width', { exact: true }).fill('89');
      await expect.poll(() => exportButton.isDisabled()).toBe(false);
      await expect.poll(() => page.locator('#export-field-error').count()).toBe(0);
      await page.getByLabel('Format', { exact: true }).selectOption('pdf');
      await page.getByLabel('Size', { exact: true }).selectOption('column');
      await page.getByRole('button', { name: 'Export this plot' }).click();
      const status = page.getByRole('region', { name: 'Plot view' }).getByRole('status');
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Wrote .*\.pdf$/);
      const pdf = (await status.textContent())!.replace(/^Wrote /, '');
      const text = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      expect(text).toMatch(/j ?= ?7 ?· ?k ?= ?9/);
      const fonts = spawnSync('pdffonts', [pdf], { encoding: 'utf8' }).stdout.trim().split('\n').slice(2);
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) expect(font).toMatch(/\syes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/);
      const size = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
      expect(size).toMatch(/Page size:\s+252\.2\d* x 198\.4\d* pts/); // 89 × 70 mm
      expect(fs.statSync(pdf).size).toBeGreaterThan(1000);
      expect(errors).toEqual([]);
    }, 120_000);
  }),
);
