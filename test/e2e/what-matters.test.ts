// The What matters page in Chromium through `furrow serve` (issue 25): an Ishigami study with nothing run says what
// to run and runs it from the page; then S1 and ST bars of y, most influential first (x1, x2, x3), the numbers in a
// table, exported as a vector PDF; Morris's μ*–σ scatter after a Morris design. Photographed at 1440×900 and
// 1024×700, light and dark, into test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { appSession, expectAccessible, screenshots } from '../helpers/chromium';
import { exampleStudy } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'What matters', () => {
  let study = '';
  const app = appSession(
    async () => {
      study = await exampleStudy('ishigami');
      return study;
    },
    { width: 1440, height: 900 },
  );
  const shoot = (name: string) => screenshots(app.page, `what-matters-${name}`);

  it('says what to run, runs a Saltelli design, and shows the bars of y in the order x1, x2, x3', async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'What matters' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'What matters', exact: true }).isVisible()).toBe(true);
    const note = page.getByRole('note');
    // The study is on screen: its study.yaml's path is not repeated before the guidance.
    await expect.poll(() => note.textContent(), { timeout: 20_000 }).toMatch(/^Nothing has run yet/);
    expect(await note.textContent()).toMatch(/run a Saltelli design of N ≥ 512/);
    expect(await page.getByRole('alert').count()).toBe(0); // guidance, not an error
    expect(await note.textContent()).toMatch(/N ≥ 512 \(Run a Saltelli design, below\)$/); // its button, no command line
    await expectAccessible(page, 'What matters with nothing run');
    await shoot('empty');

    await page.getByRole('button', { name: 'Run a Saltelli design (N = 1024)' }).click();
    const figure = page.getByRole('figure', { name: /^S1 and ST of y, most influential first:/ });
    await expect.poll(() => figure.count(), { timeout: 90_000 }).toBe(1);
    expect(await figure.getAttribute('aria-label')).toBe('S1 and ST of y, most influential first: x1, x2, x3');
    // The table, as a person reads it: a row per parameter, most influential first.
    const table = page.getByRole('table', { name: /S1 and ST of y/ });
    const rows = table.getByRole('rowheader');
    expect(await rows.allTextContents()).toEqual(['x1', 'x2', 'x3']);
    expect(await table.getByRole('row', { name: /^x1/ }).textContent()).toMatch(/x10\.\d{3} ± 0\.\d{3}0\.5\d{2} ± /);
    // The bars themselves: two traces of three, the axis in the same order.
    await expect.poll(() => figure.locator('.barlayer .point').count(), { timeout: 20_000 }).toBe(6);
    expect(await figure.locator('.xtick text').allTextContents()).toEqual(['x1', 'x2', 'x3']);
    expect(await page.getByText(/from 5,120 cases of a saltelli design \(N = 1024, seed 1\)/).count()).toBe(1);
    await expectAccessible(page, 'What matters with Sobol indices');
    await shoot('sobol');

    // Exported like every plot: a vector PDF in eval/<timestamp>/.
    await page.getByRole('button', { name: 'Export y as PDF' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Wrote / });
    await expect.poll(() => status.count(), { timeout: 30_000 }).toBe(1);
    const file = (await status.textContent())!.replace(/^Wrote /, '');
    expect(file.startsWith(path.join(study, 'eval'))).toBe(true);
    expect(path.basename(file)).toBe('what-matters-y.pdf');
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.includes('/Subtype /Image')).toBe(false); // vectors, no picture of the plot
    expect(pdf.includes('DejaVuSans')).toBe(true); // its text kept as text, in the embedded font
    expect(errors).toEqual([]);
  }, 180_000);

  it("Morris: asks for a Morris design, runs it, and shows μ* against σ with x3's effects smallest", async () => {
    const { page, errors } = app;
    await page.getByLabel('Method').selectOption('morris');
    await expect.poll(() => page.getByRole('note').textContent(), { timeout: 20_000 }).toMatch(/^No morris design/);
    await page.getByRole('button', { name: 'Run a Morris design (R = 20)' }).click();
    const figure = page.getByRole('figure', { name: /^μ\* and σ of y, most influential first:/ });
    await expect.poll(() => figure.count(), { timeout: 90_000 }).toBe(1);
    expect(await figure.getAttribute('aria-label')).toMatch(/first: x[12], x[12], x3$/);
    await expect.poll(() => figure.locator('.scatterlayer .point').count(), { timeout: 20_000 }).toBe(3);
    await expectAccessible(page, 'What matters with Morris indices');
    await shoot('morris');
    expect(errors).toEqual([]);
  }, 180_000);
});
