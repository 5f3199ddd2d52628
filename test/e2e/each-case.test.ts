// A plot drawn for each case (dantro's universe plots, `each: case`) in the app, in Debian's Chromium served by
// `furrow serve` over the random-walk example: the Plots tab draws it whole, and "Export all saved plots" writes a
// PDF per chosen case into eval/<timestamp>/<plot>/<pset_id>.pdf.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleStudy, furrow, ROOT, serveStudy } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';
import { launchChromium, recordErrors } from '../helpers/chromium';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'a plot for each case in the app', () => {
  let browser: BrowserContext;
  let served: Served;
  let page: Page;
  let study: string;
  const errors: string[] = [];

  beforeAll(async () => {
    study = await exampleStudy('random-walk');
    const run = await furrow(['run', study, '--combo', 'seed=0,1', '--json'], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    // A universe plot of the seed-0 cases, as dantro's `universes: {seed: [0]}`; the example's own plots stay.
    fs.appendFileSync(
      path.join(study, 'plots.yaml'),
      '\n# Each seed-0 case on its own.\neach_walk:\n  variable: random_walk\n  kind: line\n  x: iteration\n  each: {sel: {seed: [0]}}\n',
    );
    served = await serveStudy(study);
    browser = await launchChromium({ width: 1440, height: 900 });
    page = await browser.newPage();
    await recordErrors(page, errors);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws it whole on the Plots tab, and Export all writes a PDF per chosen case', async () => {
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Plots' }).click();
    await page.getByLabel('Saved plot', { exact: true }).selectOption('each_walk');
    await expect
      .poll(() => page.getByRole('figure', { name: /^Line plot of random_walk against iteration/ }).isVisible(), {
        timeout: 30_000,
      })
      .toBe(true);
    await expect
      .poll(() => page.locator('.plot-note').textContent())
      .toBe(
        'each_walk is drawn for each case (each): here every case at once; Export all saved plots writes a figure per case, each_walk/<pset_id>.pdf.',
      );
    await expect.poll(() => page.locator('.main-svg').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const shots = path.join(ROOT, 'test-results', 'each-case');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'plots-1440.png') });

    await page.getByRole('button', { name: 'Export all saved plots' }).click();
    const status = page.getByRole('region', { name: 'Plot view' }).getByRole('status');
    await expect.poll(() => status.textContent(), { timeout: 120_000 }).toMatch(/^Wrote \d+ plots into /);
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: path.join(shots, 'exported-1024.png') });
    // The example's three plots, and one per seed-0 case (three max_step_size values).
    expect(await status.textContent()).toMatch(/^Wrote 6 plots into .*eval[/\\][\dT-]+\.$/);
    const dir = (await status.textContent())!.replace(/^Wrote 6 plots into /, '').replace(/\.$/, '');
    const db = JSON.parse((await furrow(['db', study, '--format', 'json'])).stdout) as Record<string, unknown>[];
    const ids = db.filter((r) => r['seed'] === 0 && r['_status'] === 'done').map((r) => String(r['_pset_id']));
    expect(ids).toHaveLength(3);
    expect(fs.readdirSync(path.join(dir, 'each_walk')).sort()).toEqual(
      ids.flatMap((id) => [`${id}.pdf`, `${id}.yaml`]).sort(),
    );
    for (const id of ids) {
      expect(
        fs
          .readFileSync(path.join(dir, 'each_walk', `${id}.pdf`))
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      const spec = parseYaml(fs.readFileSync(path.join(dir, 'each_walk', `${id}.yaml`), 'utf8')) as {
        sel: Record<string, unknown>;
      };
      const row = db.find((r) => r['_pset_id'] === id)!;
      expect(spec.sel).toEqual({ seed: 0, max_step_size: row['max_step_size'] });
    }
    expect(errors).toEqual([]);
  }, 240_000);
});
