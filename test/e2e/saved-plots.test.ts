// A saved plot that cannot be drawn, opened in the Plots tab (Debian's Chromium, `furrow serve`, the random-walk
// example after a real run): the line above the plot names the control on screen that fixes it, in the builder's
// words, and the plot can be fixed there or removed.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { exampleStudy, furrow, ROOT } from '../helpers/furrow';
import { appSession } from '../helpers/chromium';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'a broken saved plot in the Plots tab', () => {
  let study = '';
  const app = appSession(
    async () => {
      study = await exampleStudy('random-walk');
      const run = await furrow(['run', study, '--combo', 'seed=0,1,2', '--json']);
      expect(run.code, run.stderr).toBe(0);
      // Two plots written by hand: a misspelt variable, and a seed fixed past the last one run.
      fs.appendFileSync(
        path.join(study, 'plots.yaml'),
        '\nmisspelt:\n  variable: randm_walk\n  x: iteration\n' +
          '\npast_the_end:\n  variable: random_walk\n  x: iteration\n  hue: max_step_size\n  isel: {seed: 9}\n',
      );
      return study;
    },
    { width: 1440, height: 900 },
  );

  it('names the control that fixes it, and lets it be fixed or removed', async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Plots' }).click();
    const saved = page.getByRole('combobox', { name: 'Saved plot' });
    const alert = page.getByRole('alert');

    // A seed fixed at index 9 of 3: its chip, and its × on screen, fix it.
    await saved.selectOption('past_the_end');
    await expect
      .poll(() => alert.textContent())
      .toBe(
        'The saved plot past_the_end fixes seed at index 9, past its last (2): remove its chip “seed = 9” with its ×, or Remove past_the_end.',
      );
    const chip = page.getByRole('button', { name: 'Remove seed = 9 (free seed)' });
    expect(await chip.isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Remove past_the_end' }).isVisible()).toBe(true);
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'saved-plot-broken-1440x900.png') });
    await chip.click();
    await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBeGreaterThan(0);
    expect(await alert.count()).toBe(0);

    // A variable the dataset does not have: its Variable, on screen, takes one it has.
    await saved.selectOption('misspelt');
    await expect
      .poll(() => alert.textContent())
      .toBe(
        'The saved plot misspelt draws randm_walk, which this file does not have: choose its Variable, or Remove misspelt.',
      );
    const variable = page.getByRole('combobox', { name: 'Variable' });
    expect(await variable.isVisible()).toBe(true);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'saved-plot-broken-1024x700.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await variable.selectOption('random_walk');
    await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBeGreaterThan(0);
    expect(await alert.count()).toBe(0);

    // Or removed: gone from plots.yaml and from the list.
    await saved.selectOption('misspelt');
    await page.getByRole('button', { name: 'Remove misspelt' }).click();
    await expect.poll(() => saved.locator('option', { hasText: 'misspelt' }).count()).toBe(0);
    expect(fs.readFileSync(path.join(study, 'plots.yaml'), 'utf8')).not.toContain('misspelt:');
    expect(errors).toEqual([]);
  });
});
