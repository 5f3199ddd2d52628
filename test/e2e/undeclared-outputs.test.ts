// A psweep habit in the app (issue 24): a model that returns its pset and more keys runs (no case fails), and the
// Setup offers the undeclared scalars the run database kept as outputs; accepted, the next run puts them in the
// dataset. The real UI in Debian's Chromium, served by `furrow serve`.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDataset } from '../../electron/engine/dataset/netcdf-read';
import { exampleStudy, furrow, ROOT, serveStudy } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';
import { expectAccessible, launchChromium, recordErrors } from '../helpers/chromium';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'undeclared outputs in the app', () => {
  let browser: BrowserContext;
  let served: Served;
  let page: Page;
  let study: string;
  const errors: string[] = [];

  beforeAll(async () => {
    study = await exampleStudy('foo', {
      studyYaml: `name: pset
model:
  module: ./model.mjs
outputs:
  y: {}
combos:
  a: [1, 2, 3]
`,
      model: "export default (pset) => ({ ...pset, y: pset.a * 2, energy: pset.a + 0.5, phase: 'solid' });\n",
    });
    // Run from the command line first: the app reads what the run database kept.
    const run = await furrow(['run', study, '--json']);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ done: 3, failed: 0, undeclared: ['energy', 'phase'] });
    served = await serveStudy(study);
    browser = await launchChromium();
    page = await browser.newPage();
    await recordErrors(page, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('offers the undeclared scalars as outputs; added, saved and run, they are in the dataset', async () => {
    await page.goto(served.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Study', exact: true }).isVisible()).toBe(true);
    // The study's draft has loaded (its outputs and parameters shown) before anything is judged.
    await expect.poll(() => page.getByLabel('Name of output y').inputValue()).toBe('y');
    await expect.poll(() => page.getByLabel('Preview of a').textContent()).toBe('1, 2, 3 (3)');
    const offer = page.getByRole('note').filter({ hasText: 'which the outputs do not declare' });
    await expect.poll(() => offer.textContent()).toMatch(/Run 1.s model also returned energy, phase/);
    const add = page.getByRole('button', { name: 'Add these 2 as outputs' });
    await add.scrollIntoViewIfNeeded();
    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      await add.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ROOT, 'test-results', `undeclared-offer-${width}x${height}.png`) });
    }
    await expectAccessible(page, 'the outputs with the offer');

    await add.click();
    // The draft has them as outputs; the offer is gone (nothing left to offer).
    await expect.poll(() => page.getByLabel('Name of output energy').inputValue()).toBe('energy');
    expect(await page.getByLabel('Name of output phase').inputValue()).toBe('phase');
    await expect.poll(() => offer.count()).toBe(0);
    await page.getByRole('heading', { name: 'Outputs' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'undeclared-added-1024x700.png') });

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => fs.readFileSync(path.join(study, 'study.yaml'), 'utf8')).toMatch(/energy: \{\}/);
    expect(fs.readFileSync(path.join(study, 'study.yaml'), 'utf8')).toMatch(/phase: \{\}/);

    // The next run stores them in the dataset and warns of nothing.
    const run = await furrow(['run', study, '--json', '--overwrite', 'new']);
    const summary = JSON.parse(run.stdout.trim()) as { failed: number; undeclared?: string[] };
    expect(summary.failed).toBe(0);
    expect(summary.undeclared).toBeUndefined();
    expect(run.stderr).not.toMatch(/warning/);
    const info = await describeDataset(path.join(study, 'data', 'pset.nc'));
    expect(info.variables.map((v) => v.name).sort()).toEqual(['energy', 'phase', 'y']);
    expect(errors).toEqual([]);
  }, 120_000);
});
