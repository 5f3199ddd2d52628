// The Data tab in Debian's Chromium, served by `furrow serve` over the random-walk example after a real run:
// the tree opened by keyboard and by click, a case folder down to its HDF5 groups, and a 3-D variable's values
// with a slider for its third dim.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { exampleStudy, furrow, ROOT } from '../helpers/furrow';
import { appSession, expectAccessible } from '../helpers/chromium';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'the data tree in Chromium', () => {
  const app = appSession(
    async () => {
      const study = await exampleStudy('random-walk');
      const run = await furrow(['run', study, '--combo', 'seed=0,1,2', '--json']);
      expect(run.code, run.stderr).toBe(0);
      return study;
    },
    { width: 1280, height: 900 },
  );

  it("opens the dataset by keyboard, a case folder by click, and slides through a 3-D variable's values", async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Data' }).click();
    const tree = page.getByRole('tree', { name: 'Data tree' });
    const dataset = tree.getByRole('treeitem', { name: 'data/random_walk.nc' });
    await expect.poll(() => dataset.getAttribute('aria-expanded')).toBe('false');

    // The keyboard: the first row is the tab stop; → opens it, ↓ goes to its first member, ← back up, ↓↓ on.
    await dataset.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => dataset.getAttribute('aria-expanded')).toBe('true');
    // A row's name is what it shows: its name, then what it holds.
    const walk = tree.getByRole('treeitem', { name: /^random_walk 3 × 3 × 1024/ });
    await expect.poll(() => walk.isVisible()).toBe(true);
    await page.keyboard.press('ArrowDown');
    const focused = page.locator('[role=treeitem]:focus');
    expect(await focused.getAttribute('aria-level')).toBe('2');
    const rows = tree.getByRole('treeitem');
    expect(await focused.textContent()).toBe(await rows.nth(1).textContent()); // the row after the dataset's
    await page.keyboard.press('ArrowLeft');
    expect(await focused.textContent()).toBe(await dataset.textContent());

    // A case folder by click: its files, and its data.h5 opened down to a group (Enter on the focused row).
    const cases = tree.getByRole('treeitem', { name: /^cases(\s|$)/ });
    await cases.locator('.tree-row').first().click();
    await expect.poll(() => cases.getAttribute('aria-expanded')).toBe('true');
    const folder = tree.getByRole('treeitem', { name: /^[0-9a-f-]{36}(\s|$)/ }).first();
    await expect.poll(() => folder.isVisible()).toBe(true);
    await folder.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => folder.getAttribute('aria-expanded')).toBe('true');
    const h5 = tree.getByRole('treeitem', { name: /^data\.h5(\s|$)/ });
    const params = tree.getByRole('treeitem', { name: /^params\.json(\s|$)/ });
    await expect.poll(() => params.isVisible()).toBe(true);
    expect(await params.getAttribute('aria-level')).toBe('3'); // in the folder, in cases
    await h5.focus();
    await page.keyboard.press('ArrowRight');
    const abm = tree.getByRole('treeitem', { name: /^abm(\s|$)/ });
    await expect.poll(() => abm.isVisible()).toBe(true);
    expect(await abm.getAttribute('aria-level')).toBe('4');
    await params.locator('.tree-row').click();
    await expect.poll(() => page.getByLabel('First lines of params.json').textContent()).toMatch(/"seed"/);
    await expectAccessible(page, 'the Data page, a text file selected');

    // The 3-D variable: its details, a 2-D window of its values, and a slider for the dim not shown.
    await walk.locator('.tree-row').click();
    const details = page.getByRole('definition');
    await expect.poll(() => details.allTextContents()).toEqual(expect.arrayContaining(['3 × 3 × 1024', 'float64']));
    const table = page.getByRole('table', { name: 'Values of random_walk' });
    await expect.poll(() => table.getByRole('row').count()).toBe(4); // the header and a row per seed
    expect(await table.getByRole('columnheader').count()).toBe(21); // the corner and 20 columns of the window
    const slider = page.getByRole('slider', { name: 'Index of max_step_size' });
    expect(await slider.inputValue()).toBe('0');
    const firstCell = table.getByRole('row').nth(1).getByRole('cell').nth(1);
    await expect.poll(() => firstCell.textContent()).not.toBe('');
    const before = await firstCell.textContent();
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.dim-slider output').textContent()).toMatch(/^max_step_size = 0\.3/);
    await expect.poll(() => firstCell.textContent()).not.toBe(before);
    // The next columns of the window come from the engine too.
    await page.getByRole('button', { name: 'Next columns' }).click();
    await expect.poll(() => table.getByRole('columnheader').nth(1).textContent()).toBe('20');

    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'app-data-tree.png'), fullPage: true });
    await expectAccessible(page, "the Data page, a variable's values");
    // The tree's pane is wider by a step of the arrow key on its separator (as by a drag).
    const separator = page.getByRole('separator', { name: 'Resize the data tree' });
    const width = Number(await separator.getAttribute('aria-valuenow'));
    await separator.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Number(await separator.getAttribute('aria-valuenow'))).toBe(width + 16);
    expect(errors).toEqual([]);
  });
});
