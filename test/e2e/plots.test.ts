// The facet plot builder in Debian's Chromium, served by `furrow serve` over the random-walk example after a real
// run: dims put on encodings by dragging and picking, two dims reduced, a dim picked twice moved and said, a plot saved to plots.yaml, a
// saved plot drawn and exported to PDF, frames, and "Copy as Python".
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleStudy, furrow, ROOT, serveStudy } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';
import { expectAccessible, launchChromium, recordErrors } from '../helpers/chromium';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'the facet plot builder in Chromium', () => {
  let browser: BrowserContext;
  let served: Served;
  let page: Page;
  let study: string;
  const errors: string[] = [];

  beforeAll(async () => {
    study = await exampleStudy('random-walk');
    const run = await furrow(['run', study, '--combo', 'seed=0,1,2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    served = await serveStudy(study);
    browser = await launchChromium({ width: 1280, height: 1000 });
    page = await browser.newPage();
    await recordErrors(page, errors);
    // Every text the line over the plot shows while the plot waits, however briefly (a MutationObserver sees each).
    await page.addInitScript(() => {
      // The page's globals, as far as they are used here (the tests are compiled without the DOM's types).
      const page = globalThis as unknown as {
        busyTexts: string[];
        document: { querySelector(selector: string): { textContent: string | null } | null };
        MutationObserver: new (seen: () => void) => { observe(target: unknown, options: object): void };
      };
      const seen: string[] = (page.busyTexts = []);
      new page.MutationObserver(() => {
        const text = page.document.querySelector('.plot-busy')?.textContent ?? null;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(page.document, { subtree: true, childList: true, characterData: true });
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('builds a facet plot by dragging and picking dims, says what moved, saves it, and exports a saved plot to PDF', async () => {
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Plots' }).click();
    // The first look at a variable: its longest dim along x, a line per value of the next, the rest at their first.
    const plot = (name: RegExp) => page.getByRole('figure', { name });
    await page.getByLabel('Variable', { exact: true }).selectOption('random_walk');
    await expect
      .poll(() => plot(/^Line plot of random_walk against iteration, a line per max_step_size$/).isVisible(), {
        timeout: 20_000,
      })
      .toBe(true);
    await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBe(3);
    expect(await page.getByLabel('How seed is shown').inputValue()).toBe('isel:0');
    // While it waited, the line over the plot said for what; drawn, it says nothing.
    const busyTexts = () => page.evaluate(() => (globalThis as unknown as { busyTexts: string[] }).busyTexts);
    expect(await busyTexts()).toEqual(
      expect.arrayContaining(['Computing the plot…', 'Loading the plotting library (first plot only)…']),
    );
    await expect.poll(() => page.locator('.plot-busy').textContent()).toBe('');
    expect(await page.locator('.plot').getAttribute('aria-busy')).toBe('false');
    await expectAccessible(page, 'the Plots page, a first look');

    // A column per seed, dragged onto Columns: three panels, each titled, one legend.
    const dims = page.getByRole('list', { name: 'Dims (drag one onto an encoding)' });
    await dims
      .getByRole('listitem')
      .filter({ hasText: /^seed/ })
      .dragTo(page.locator('label.drop-target', { hasText: 'Columns' }));
    expect(await page.getByLabel('Columns', { exact: true }).inputValue()).toBe('seed');
    await expect.poll(() => plot(/a line per max_step_size, columns by seed$/).isVisible()).toBe(true);
    await expect
      .poll(() => page.locator('.plot .annotation-text').allTextContents())
      .toEqual(['seed = 0', 'seed = 1', 'seed = 2']);
    await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBe(9);

    // The seeds averaged instead.
    await page.getByLabel('Columns', { exact: true }).selectOption('');
    await page.getByLabel('How seed is shown').selectOption('reduce:mean');
    await expect.poll(() => page.locator('.plot .annotation-text').count()).toBe(0);
    expect(await plot(/^Line plot of random_walk against iteration, a line per max_step_size$/).isVisible()).toBe(true);
    await expect
      .poll(() => page.locator('.plot .legendtext').allTextContents())
      .toEqual(['max_step_size = 0.1', 'max_step_size = 0.3', 'max_step_size = 1']);

    // A second dim reduced after the first: the largest step of the mean walk, one line; the seeds stay averaged.
    await page.getByLabel('Lines (hue)', { exact: true }).selectOption('');
    await page.getByLabel('How max_step_size is shown').selectOption('reduce:max');
    await expect.poll(() => plot(/^Line plot of random_walk against iteration$/).isVisible()).toBe(true);
    await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBe(1);
    expect(await page.getByLabel('How seed is shown').inputValue()).toBe('reduce:mean');
    expect(await page.getByLabel('How max_step_size is shown').inputValue()).toBe('reduce:max');
    // Back on the lines, which takes it out of the reductions.
    await page.getByLabel('Lines (hue)', { exact: true }).selectOption('max_step_size');
    await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBe(3);

    // A dim put on a second encoding moves there, and the builder says so in one line: no error to clear.
    await page.getByLabel('x', { exact: true }).selectOption('max_step_size');
    await expect
      .poll(() => page.locator('.plot-note').textContent())
      .toBe(
        'max_step_size moved from Lines (hue) to x; iteration = 0: 1024 lines would be too many ' +
          '(choose it for Lines (hue) or Frames to see them).',
      );
    await expect.poll(() => plot(/^Line plot of random_walk against max_step_size$/).isVisible()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible(page, 'the Plots page with a move said');
    await page.getByLabel('x', { exact: true }).selectOption('iteration');
    await page.getByLabel('Lines (hue)', { exact: true }).selectOption('max_step_size');
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBe(3);

    // Saved into plots.yaml, beside the example's plots and their comments.
    await page.getByText('Title, subtitle, labels, scales').click();
    await page.getByLabel('Title', { exact: true }).fill('Seeds averaged');
    await page.getByLabel('Plot name').fill('averaged');
    await page.getByRole('button', { name: 'Save plot' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Plot view' }).getByRole('status').textContent())
      .toMatch(/^Saved averaged in .*plots\.yaml\.$/);
    const text = fs.readFileSync(path.join(study, 'plots.yaml'), 'utf8');
    expect(text).toContain('# A base the others build on: not plotted itself.');
    expect((parseYaml(text) as Record<string, unknown>)['averaged']).toMatchObject({
      variable: 'random_walk',
      x: 'iteration',
      hue: 'max_step_size',
      reduce: { seed: 'mean' },
      title: 'Seeds averaged',
    });

    // A saved plot with a based_on chain, drawn and exported as a vector PDF into eval/<timestamp>/.
    await page.getByLabel('Saved plot', { exact: true }).selectOption('mean_random_walk');
    await expect
      .poll(() => plot(/^Error band plot of random_walk against iteration, a line per max_step_size$/).isVisible())
      .toBe(true);
    await page.getByRole('button', { name: 'Export this plot' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Plot view' }).getByRole('status').textContent(), {
        timeout: 30_000,
      })
      .toMatch(/^Wrote .*eval[/\\][\dT-]+[/\\]mean_random_walk\.pdf$/);
    const pdf = (await page.getByRole('region', { name: 'Plot view' }).getByRole('status').textContent())!.replace(
      /^Wrote /,
      '',
    );
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(parseYaml(fs.readFileSync(pdf.replace(/\.pdf$/, '.yaml'), 'utf8'))).toMatchObject({
      kind: 'errorbands',
      over: 'seed',
      title: 'Mean random walk over the seeds',
    });

    // The same selection in Python.
    await page.getByRole('button', { name: 'Copy as Python' }).click();
    const python = await page.getByLabel('Python for this plot').textContent();
    expect(python).toContain(
      `ds = xr.open_dataset(${JSON.stringify(path.join(study, 'data', 'random_walk.nc'))}, engine="h5netcdf")`,
    );
    expect(python).toContain('mean, std = da.mean("seed"), da.std("seed")');

    // A saved plot built on a base, switched to a heatmap: its hue moves to the columns and over goes, also where a
    // base gave them; saved, it keeps its based_on and takes back what no longer applies (~), and draws again.
    await page.getByLabel('Kind', { exact: true }).selectOption('heatmap');
    await expect
      .poll(() =>
        plot(/^Heatmap plot of random_walk against iteration and seed, columns by max_step_size$/).isVisible(),
      )
      .toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByLabel('Plot name').fill('walk_heatmap');
    await page.getByRole('button', { name: 'Save plot' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Plot view' }).getByRole('status').textContent())
      .toMatch(/^Saved walk_heatmap in /);
    const heatmapSaved = (
      parseYaml(fs.readFileSync(path.join(study, 'plots.yaml'), 'utf8')) as Record<string, Record<string, unknown>>
    )['walk_heatmap'];
    expect(heatmapSaved).toMatchObject({
      based_on: '.walk',
      kind: 'heatmap',
      col: 'max_step_size',
      hue: null,
      over: null,
    });
    await page.getByLabel('Saved plot', { exact: true }).selectOption('mean_energy');
    await page.getByLabel('Saved plot', { exact: true }).selectOption('walk_heatmap');
    await expect
      .poll(() =>
        plot(/^Heatmap plot of random_walk against iteration and seed, columns by max_step_size$/).isVisible(),
      )
      .toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);

    // Frames: one max_step_size at a time, on a slider.
    await page.getByLabel('Saved plot', { exact: true }).selectOption('random_walk');
    await expect.poll(() => plot(/columns by max_step_size/).isVisible()).toBe(true);
    await page.getByLabel('Columns', { exact: true }).selectOption('');
    await page.getByLabel('Frames', { exact: true }).selectOption('max_step_size');
    const slider = page.getByRole('slider', { name: 'Frame (max_step_size)' });
    await expect.poll(() => slider.getAttribute('aria-valuetext')).toBe('max_step_size = 0.1');
    await slider.fill('2');
    await expect.poll(() => slider.getAttribute('aria-valuetext')).toBe('max_step_size = 1');
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'app-plots.png'), fullPage: true });
    await expectAccessible(page, 'the Plots page with frames');
    expect(errors).toEqual([]);
  }, 120_000);

  it('says so when the plotting library cannot be loaded, and loads it with the next plot', async () => {
    const fresh = await browser.newPage(); // plotly not loaded in this page yet
    // The server is gone for plotly's file (stopped, say): its request fails.
    await fresh.route(/plotly\.min-[^/]*\.js$/, (route) => route.abort());
    await fresh.goto(served.url);
    await fresh.getByRole('tab', { name: 'Plots' }).click();
    await fresh.getByLabel('Variable', { exact: true }).selectOption('random_walk');
    // The engine's numbers came (the plot's description is theirs); plotly did not.
    await fresh
      .getByRole('figure', { name: /^Line plot of random_walk against iteration/ })
      .waitFor({ timeout: 20_000 });
    await expect
      .poll(() => fresh.getByRole('alert').textContent(), { timeout: 20_000 })
      .toMatch(/^The plot could not be drawn: .*(import|fetch|module)/i);
    // Nothing is said to be on its way.
    const plotArea = fresh.locator('.plot-area');
    await expect
      .poll(() =>
        plotArea.evaluate((el) => {
          // The busy line and the plot (the tests are compiled without the DOM's types).
          const area = el as unknown as {
            textContent: string;
            lastElementChild: { getAttribute(name: string): string | null };
          };
          return [area.textContent, area.lastElementChild.getAttribute('aria-busy')];
        }),
      )
      .toEqual(['', 'false']);

    // Back: the next plot loads the library and is drawn, and the message goes.
    await fresh.unrouteAll();
    await fresh.getByLabel('Kind', { exact: true }).selectOption('scatter');
    await expect.poll(() => fresh.locator('.plot .scatterlayer .trace').count(), { timeout: 20_000 }).toBe(3);
    expect(await fresh.getByRole('alert').count()).toBe(0);
    await fresh.close();
  }, 60_000);
});
