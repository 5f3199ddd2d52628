// The What matters page of an output over time (issue 25), in Chromium through `furrow serve`: a Saltelli design with
// second-order indices run from the command line; y(t) = t·x1 + (1 − t)·x2 drawn as lines over t (one per parameter
// and index, x1's S1 rising from 0 to 1 as x2's falls), exported as a vector PDF; the scalar output's pairs (S2) in a
// table, x2 × x3 the one that interacts. Photographed at 1440×900 and 1024×700, light and dark, into test-results/.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { appSession, expectAccessible, screenshots } from '../helpers/chromium';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

const T = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const STUDY = `name: over_time
model: {module: ./model.mjs}
outputs:
  y: {dims: [t]}
  end: {}
coords:
  t: ${JSON.stringify(T)}
sample:
  distributions:
    x1: {uniform: [0, 1]}
    x2: {uniform: [0, 1]}
    x3: {uniform: [0, 1]}
`;
const MODEL = `const T = ${JSON.stringify(T)};
export default ({ x1, x2, x3 }) => ({ y: T.map((t) => t * x1 + (1 - t) * x2), end: x1 + 4 * x2 * x3 });
`;

describeWith('chromium', 'What matters over an output’s own dim', () => {
  let study = '';
  const app = appSession(
    async () => {
      study = await exampleStudy('foo', { studyYaml: STUDY, model: MODEL });
      const r = await furrow(['sample', study, '--design', 'saltelli', '--second-order', '-n', '512', '--seed', '1']);
      if (r.code !== 0) throw new Error(r.stderr);
      return study;
    },
    { width: 1440, height: 900 },
  );
  /** Photographs with `shown` scrolled into view (the page scrolls inside the app's frame). */
  const shoot = (name: string, shown: Locator) =>
    screenshots(app.page, `what-matters-${name}`, () => shown.scrollIntoViewIfNeeded());

  it('draws y over t as lines, a pair per parameter, exports them, and lists the pairs of end by S2', async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'What matters' }).click();
    const lines = page.getByRole('figure', { name: /^S1 and ST of y over t, a line per parameter/ });
    await expect.poll(() => lines.count(), { timeout: 60_000 }).toBe(1);
    // x1 and x2 each reach 1 somewhere along t; x3 never moves y.
    expect(await lines.getAttribute('aria-label')).toMatch(/largest first: x[12], x[12], x3\)$/);
    expect(await page.getByRole('heading', { name: 'y over t' }).count()).toBe(1);
    // A line per parameter and index, named in the legend; each with its band.
    await expect.poll(() => lines.locator('.legendtext').count(), { timeout: 20_000 }).toBe(6);
    expect((await lines.locator('.legendtext').allTextContents()).sort()).toEqual(
      ['x1 S1', 'x1 ST', 'x2 S1', 'x2 ST', 'x3 S1', 'x3 ST'].sort(),
    );
    expect(await lines.locator('.xtitle').textContent()).toBe('t');
    // The scalar output keeps its bars and table, and its pairs: x2 × x3 interacts, the others do not.
    const bars = page.getByRole('figure', { name: /^S1 and ST of end, most influential first:/ });
    expect(await bars.count()).toBe(1);
    const pairs = page.getByRole('table', { name: /^S2 of end/ });
    expect(await pairs.getByRole('rowheader').allTextContents()).toHaveLength(3);
    expect(await pairs.getByRole('rowheader').first().textContent()).toBe('x2 × x3');
    expect(await pairs.getByRole('row', { name: /^x2 × x3/ }).textContent()).toMatch(/0\.\d{3} ± 0\.\d{3}$/);
    await expectAccessible(page, 'What matters with an output over time');
    await shoot('pairs', pairs);
    await shoot('along', lines);

    // Exported like every plot: a vector PDF of the lines.
    await page.getByRole('button', { name: 'Export y as PDF' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Wrote / });
    await expect.poll(() => status.count(), { timeout: 30_000 }).toBe(1);
    const file = (await status.textContent())!.replace(/^Wrote /, '');
    expect(path.basename(file)).toBe('what-matters-y.pdf');
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.includes('/Subtype /Image')).toBe(false);
    expect(errors).toEqual([]);
  }, 180_000);
});
