// The What matters page of an output over time (issue 25), in Chromium through `furrow serve`: a Saltelli design with
// second-order indices run from the command line. y(t) = 5·x1·t⁸ + 1.5·x2 + 1.2·x3, whose x1 only surges at the end,
// drawn as lines over t (one per parameter and index, x1 the largest at t = 1), exported as a vector PDF; the scalar
// output's pairs (S2) in a table, x2 × x3 the one that interacts. Then y's mean over t, chosen beside its lines: bars
// in another order (x2, x3, x1) with their table and pairs, exported as a PDF that says so; grow, 0 at t = 0 in every
// case, has a min over t no parameter moves, and the page says so; each output keeps its choice when the method
// changes. Photographed at 1440×900 and 1024×700, light and dark, into test-results/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { appSession, expectAccessible, focusedLabel, screenshots } from '../helpers/chromium';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

const T = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const STUDY = `name: over_time
model: {module: ./model.mjs}
outputs:
  y: {dims: [t]}
  grow: {dims: [t]}
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
export default ({ x1, x2, x3 }) => ({
  y: T.map((t) => 5 * x1 * t ** 8 + 1.5 * x2 + 1.2 * x3),
  grow: T.map((t) => t * (x1 + x2 + x3)),
  end: x1 + 4 * x2 * x3,
});
`;

describeWith('poppler', 'What matters over an output’s own dim', () => {
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

  /** Export an output as a PDF from its button: the file the status says was written. */
  const exportPdf = async (output: string) => {
    const { page } = app;
    await page.getByRole('button', { name: `Export ${output} as PDF` }).click();
    const status = page.getByRole('status').filter({ hasText: /^Wrote / });
    await expect.poll(() => status.count(), { timeout: 30_000 }).toBe(1);
    return (await status.textContent())!.replace(/^Wrote /, '');
  };

  it('draws y over t as lines, a pair per parameter, exports them, and lists the pairs of end by S2', async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'What matters' }).click();
    const lines = page.getByRole('figure', { name: /^S1 and ST of y over t, a line per parameter/ });
    await expect.poll(() => lines.count(), { timeout: 60_000 }).toBe(1);
    // x1 is the largest somewhere (at t = 1, where it surges), then x2, then x3.
    expect(await lines.getAttribute('aria-label')).toMatch(/largest first: x1, x2, x3\)$/);
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
    const file = await exportPdf('y');
    expect(path.basename(file)).toBe('what-matters-y.pdf');
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.includes('/Subtype /Image')).toBe(false);
    expect(errors).toEqual([]);
  }, 180_000);

  it('reduces y to its mean over t beside its lines: bars in their own order, exported as such', async () => {
    const { page, errors } = app;
    // As the test before left it: y per coordinate, chosen where its lines are.
    const lines = page.getByRole('figure', { name: /^S1 and ST of y over t, a line per parameter/ });
    expect(await lines.count()).toBe(1);
    const how = page.getByRole('combobox', { name: 'How t of y is analysed' });
    expect(await how.inputValue()).toBe('');
    expect(await how.locator('option:checked').textContent()).toBe('per coordinate');
    // The reducers are the plot builder's, each "… over t".
    expect(await how.locator('optgroup option').allTextContents()).toEqual(
      ['mean', 'median', 'min', 'max', 'std', 'sum'].map((r) => `${r} over t`),
    );

    await shoot('reduce-lines', lines);

    await how.focus();
    await how.selectOption({ label: 'mean over t' });
    // The lines go at once: nothing of y per coordinate stays on screen while its mean's indices are computed.
    expect(await lines.count()).toBe(0);
    const bars = page.getByRole('figure', { name: /^S1 and ST of y \(mean over t\), most influential first:/ });
    await expect.poll(() => bars.count(), { timeout: 30_000 }).toBe(1);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /^Computing/ })
        .count(),
    ).toBe(0);
    // Over the whole of t, x1's surge at the end counts least: x2, x3, x1.
    expect(await bars.getAttribute('aria-label')).toBe(
      'S1 and ST of y (mean over t), most influential first: x2, x3, x1',
    );
    await expect.poll(() => bars.locator('.barlayer .point').count(), { timeout: 20_000 }).toBe(6);
    expect(await bars.locator('.xtick text').allTextContents()).toEqual(['x2', 'x3', 'x1']);
    expect(await page.getByRole('heading', { name: 'y mean over t' }).count()).toBe(1);
    const table = page.getByRole('table', { name: /^S1 and ST of y, mean over t, by ST/ });
    expect(await table.getByRole('rowheader').allTextContents()).toEqual(['x2', 'x3', 'x1']);
    expect(await table.getByRole('row', { name: /^x2/ }).textContent()).toMatch(/^x2\d\.\d{3} ± \d\.\d{3}0\.5\d{2} ± /);
    const pairs = page.getByRole('table', { name: /^S2 of y, mean over t:/ });
    expect(await pairs.getByRole('rowheader').allTextContents()).toHaveLength(3);
    // The keyboard is still on the control it changed.
    expect(await focusedLabel(page)).toBe('How t of y is analysed');
    await expectAccessible(page, 'What matters with y reduced to its mean over t');
    await shoot('reduced', bars);

    // Exported as shown: the bars of the mean, the figure saying so.
    const file = await exportPdf('y');
    expect(path.basename(file)).toBe('what-matters-y-mean-over-t.pdf');
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('y, mean over t');
    expect(text).toContain('S1 (first order)');
    expect(text).toContain('ST (total order)');
    expect(text).toMatch(/x2\s+x3\s+x1/); // the axis, most influential first
    expect(errors).toEqual([]);
  }, 180_000);

  it('says when a reduction is the same in every case, remembers each output’s, and goes back per coordinate', async () => {
    const { page, errors } = app;
    // From the keyboard: grow starts at 0 in every case, so its min over t (the third reducer) is 0 in every case.
    const how = page.getByRole('combobox', { name: 'How t of grow is analysed' });
    await how.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await how.inputValue()).toBe('min');
    const note = page.getByRole('region', { name: 'grow min over t' }).getByRole('note');
    await expect.poll(() => note.count(), { timeout: 30_000 }).toBe(1);
    expect(await note.textContent()).toBe(
      'The min over t of grow is the same in every case: no parameter moves it. Choose another reduction, or per coordinate.',
    );
    expect(await page.getByRole('button', { name: 'Export grow as PDF' }).isDisabled()).toBe(true);
    await shoot('reduced-same', note);

    // Each output keeps its choice while the app is open: analysed by another method, y is still its mean over t.
    await page.getByLabel('Method').selectOption('given-data');
    const given = page.getByRole('figure', { name: /^S1 of y \(mean over t\), most influential first:/ });
    await expect.poll(() => given.count(), { timeout: 60_000 }).toBe(1);
    expect(await given.getAttribute('aria-label')).toMatch(/first: x2, x3, x1$/);
    expect(await page.getByRole('combobox', { name: 'How t of y is analysed' }).inputValue()).toBe('mean');
    expect(await page.getByRole('combobox', { name: 'How t of grow is analysed' }).inputValue()).toBe('min');
    await page.getByLabel('Method').selectOption('');
    const bars = page.getByRole('figure', { name: /^S1 and ST of y \(mean over t\)/ });
    await expect.poll(() => bars.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => note.count(), { timeout: 30_000 }).toBe(1);

    // Per coordinate again: the lines, straight from the report shown.
    await page.getByRole('combobox', { name: 'How t of y is analysed' }).selectOption({ label: 'per coordinate' });
    expect(await bars.count()).toBe(0);
    expect(await page.getByRole('figure', { name: /^S1 and ST of y over t, a line per parameter/ }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'y over t' }).count()).toBe(1);
    expect(errors).toEqual([]);
  }, 180_000);
});
