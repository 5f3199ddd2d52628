// The workspace as a newcomer meets it, in Debian's Chromium at 1440×900 through `furrow serve`: from the start
// page to a new study, edited, run (saving what is shown first), watched and cancelled from other pages, plotted
// and exported to PDF; every control found by its role and name, on screen without scrolling, and axe-core finding
// no serious or critical violation on the way. Then every page at 1440×900 and 1024×700, light and dark, is
// checked by axe and photographed into test-results/.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleStudy, furrow, ROOT, tempDir } from '../helpers/furrow';
import { appSession, expectAccessible, setRunOptions, shownStudy } from '../helpers/chromium';
import { describeWith } from '../helpers/tools';

const WIDTH = 1440;
const HEIGHT = 900;

/** A control is on screen as the window is (nothing scrolled to find it); then it is pressed. */
async function onScreen(control: Locator): Promise<Locator> {
  const box = await control.boundingBox();
  expect(box, 'the control is laid out').not.toBeNull();
  const { x, y, width, height } = box!;
  expect(
    x >= 0 && y >= 0 && x + width <= WIDTH && y + height <= HEIGHT,
    `on screen at ${WIDTH}×${HEIGHT}: ${x},${y} ${width}×${height}`,
  ).toBe(true);
  return control;
}
const press = async (control: Locator) => (await onScreen(control)).click();
const fill = async (control: Locator, text: string) => (await onScreen(control)).fill(text);

describeWith('chromium', 'the workspace in Chromium', () => {
  describe('a newcomer, from nothing to a PDF', () => {
    const app = appSession(async () => null, { width: WIDTH, height: HEIGHT });

    it('makes a study on the start page, runs what it shows, watches and cancels from other pages, exports a PDF', async () => {
      const { page, served, errors } = app;
      const dir = path.join(tempDir(), 'my-first-study');
      await page.goto(served.url);
      // No study open: the start page, not a page of data that is not there.
      await expect.poll(() => page.getByRole('heading', { name: 'Start', exact: true }).isVisible()).toBe(true);
      expect(await page.getByRole('tab', { name: 'Start' }).getAttribute('aria-selected')).toBe('true');
      expect(await page.getByRole('tab', { name: 'Study' }).count()).toBe(0);
      await expectAccessible(page, 'the start page');

      const form = page.getByRole('form', { name: 'New study' });
      await (await onScreen(form.getByRole('radio', { name: /^blank/ }))).check();
      await fill(form.getByLabel('Folder for the new study (new or empty)'), dir);
      await press(form.getByRole('button', { name: 'Create study' }));
      await expect.poll(() => shownStudy(page)).toBe(dir);
      await expect.poll(() => page.getByRole('heading', { name: 'Study', exact: true }).isVisible()).toBe(true);
      // The person's own model (written in their editor): a case takes a moment, and gives a number and a series.
      fs.writeFileSync(
        path.join(dir, 'model.mjs'),
        `export default async function model({ x, k }) {
  await new Promise((r) => setTimeout(r, 150));
  return { y: x * k, series: [0, 1, 2, 3, 4].map((t) => x + k * t) };
}
`,
      );

      // Two combos: x gets four values, and a new parameter k six.
      const counts = page.getByTestId('live-counts');
      await expect.poll(() => counts.textContent()).toMatch(/^3 cases/);
      await fill(page.getByLabel('Values of x'), '1, 2, 3, 4');
      await expect.poll(() => counts.textContent()).toMatch(/^4 cases/);
      await press(page.getByRole('button', { name: 'Add parameter' }));
      await fill(page.getByLabel('Name of p1'), 'k');
      await press(page.getByRole('heading', { name: 'Parameters' })); // leaving the field writes the name
      await fill(page.getByLabel('Values of k'), '1, 2, 3, 4, 5, 6');
      await expect.poll(() => counts.textContent()).toMatch(/^24 cases: 24 new/);
      // An output with its own dim: a series over t.
      await press(page.getByRole('button', { name: 'Add output' }));
      await fill(page.getByLabel('Name of output out1'), 'series');
      await press(page.getByRole('heading', { name: 'Outputs' }));
      await fill(page.getByLabel('Dims of output series'), 't');
      await press(page.getByRole('heading', { name: 'Outputs' }));
      await expect.poll(() => page.getByLabel('Coords of t', { exact: true }).count()).toBe(1);
      expect(await page.getByText('Unsaved changes.').isVisible()).toBe(true);
      await expectAccessible(page, 'the Study page with unsaved edits');

      // Run with unsaved edits saves them and runs what is shown: 24 cases, not the 3 the file said.
      await setRunOptions(page, { workers: '1' });
      const bar = page.getByRole('progressbar', { name: 'Run progress' });
      await press(page.getByRole('button', { name: 'Save and run', exact: true }));
      await expect.poll(() => bar.getAttribute('aria-valuemax'), { timeout: 20_000 }).toBe('24');
      const saved = parseYaml(fs.readFileSync(path.join(dir, 'study.yaml'), 'utf8')) as Record<string, unknown>;
      expect(saved['combos']).toEqual({ x: [1, 2, 3, 4], k: [1, 2, 3, 4, 5, 6] });
      expect(saved['outputs']).toMatchObject({ y: {}, series: { dims: ['t'] } });
      expect(await page.getByText('Saved.').isVisible()).toBe(true);

      // Watched from the Plots page through the run bar: it moves, with its pace, and ends full.
      await press(page.getByRole('tab', { name: 'Plots' }));
      const seen = new Set<number>();
      await expect
        .poll(
          async () => {
            const now = Number(await bar.getAttribute('aria-valuenow'));
            seen.add(now);
            if (now > 0 && now < 24) await expectAccessible(page, 'the Plots page during a run');
            return now;
          },
          { timeout: 30_000, interval: 100 },
        )
        .toBe(24);
      expect([...seen].some((v) => v > 0 && v < 24)).toBe(true);
      await expect.poll(() => page.getByText(/24 done, 0 failed/).isVisible()).toBe(true);
      const plot = page.getByRole('figure', { name: /^Line plot of / });
      await expect.poll(() => plot.locator('.scatterlayer .trace').count(), { timeout: 20_000 }).toBeGreaterThan(0);

      // A second run, cancelled from the Data page.
      await press(page.getByRole('button', { name: 'Run', exact: true }));
      await press(page.getByRole('tab', { name: 'Data' }));
      await expect
        .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000 })
        .toBeGreaterThanOrEqual(1);
      await expectAccessible(page, 'the Data page during a run');
      await press(page.getByRole('button', { name: 'Cancel run' }));
      await expect
        .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
        .toMatch(/run cancelled: \d+ of 24 cases had finished/);
      expect(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);

      // The plot, exported as a PDF.
      await press(page.getByRole('tab', { name: 'Plots' }));
      await expect.poll(() => plot.locator('.scatterlayer .trace').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await press(page.getByRole('button', { name: 'Export this plot' }));
      const builder = page.getByRole('region', { name: 'Plot view' });
      await expect
        .poll(() => builder.getByRole('status').textContent(), { timeout: 30_000 })
        .toMatch(/^Wrote .*\.pdf$/);
      const pdf = (await builder.getByRole('status').textContent())!.replace(/^Wrote /, '');
      expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      await expectAccessible(page, 'the Plots page after an export');
      expect(errors).toEqual([]);
    }, 180_000);
  });

  describe('every page, at two sizes, light and dark', () => {
    // A study that has run (one case failed), with a crop sown: every page has something to show.
    const app = appSession(async () => {
      const study = await exampleStudy('foo', {
        model: `export default function foo({ a, b, c }) {
  if (a === 3 && b === 30 && c === 400) throw new Error('diverged');
  return [a + b + c, a * b * c];
}
`,
      });
      expect((await furrow(['run', study])).code).toBe(1);
      expect((await furrow(['crop', 'sow', study, '--name', 'night', '--batch-size', '5'])).code).toBe(0);
      return study;
    });

    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        it(`at ${width}×${height}, ${scheme}`, async () => {
          const { page, served, errors } = app;
          await page.setViewportSize({ width, height });
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(served.url);
          await expect.poll(() => page.getByRole('heading', { name: 'Study', exact: true }).isVisible()).toBe(true);
          const shot = (name: string) =>
            page.screenshot({
              path: path.join(ROOT, 'test-results', `workspace-${name}-${width}x${height}-${scheme}.png`),
            });
          for (const tab of ['Start', 'Study', 'Cases', 'Crops', 'Data', 'Plots']) {
            await page.getByRole('tab', { name: tab }).click();
            await expect.poll(() => page.getByRole('heading', { name: tab, exact: true }).isVisible()).toBe(true);
            if (tab === 'Cases')
              await expect.poll(() => page.getByRole('figure', { name: /^Parallel coordinates/ }).count()).toBe(1);
            if (tab === 'Data') {
              await page.getByRole('treeitem', { name: 'data/foo.nc' }).locator('.tree-row').first().click();
              await expect.poll(() => page.getByRole('heading', { name: 'data/foo.nc' }).isVisible()).toBe(true);
            }
            if (tab === 'Plots')
              await expect
                .poll(() => page.locator('.plot .scatterlayer .trace').count(), { timeout: 20_000 })
                .toBeGreaterThan(0);
            await expectAccessible(page, `the ${tab} page at ${width}×${height}, ${scheme}`);
            await shot(tab.toLowerCase());
          }
          // The run bar's details, over the page: the failed case and the runs.
          await page.getByRole('button', { name: /^Run details/ }).click();
          await expect.poll(() => page.getByText(/diverged/).isVisible()).toBe(true);
          await expectAccessible(page, `the run details at ${width}×${height}, ${scheme}`);
          await shot('run-details');
          await page.getByRole('button', { name: /^Run details/ }).click();
          expect(errors).toEqual([]);
        }, 120_000);
      }
    }
  });
});
