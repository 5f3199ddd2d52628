// The Data tab in Debian's Chromium, served by `furrow serve` over the random-walk example after a real run:
// the tree opened by keyboard and by click, a case folder down to its HDF5 groups, and a 3-D variable's values
// with a slider for its third dim.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadH5 } from '../../electron/engine/dataset/h5';
import { exampleStudy, furrow, ROOT, tempDir } from '../helpers/furrow';
import { appSession, expectAccessible, screenshots } from '../helpers/chromium';
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
    // A 3-D dataset opens as a heatmap (h5web's choice); its values as a table are the Matrix view.
    await expect.poll(() => page.getByRole('tab', { name: 'Heatmap' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Matrix' }).click();
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

/** A NetCDF file with a CF time axis (hours since 2024-01-01), temp(time, station) and a soft link to it. */
async function cfFile(): Promise<string> {
  const h5 = await loadH5();
  const file = path.join(tempDir('furrow-cf-e2e-'), 'weather.nc');
  const f = new h5.File(file, 'w');
  const scale = (name: string, data: Float64Array, attrs: Record<string, string>) => {
    const ds = f.create_dataset({ name, data });
    for (const [k, v] of Object.entries(attrs)) ds.create_attribute(k, v);
    ds.make_scale(name);
  };
  scale(
    'time',
    Float64Array.from({ length: 48 }, (_, i) => i),
    {
      units: 'hours since 2024-01-01',
      calendar: 'standard',
    },
  );
  scale('station', Float64Array.of(10, 20, 30), {});
  const temp = Float64Array.from({ length: 48 * 3 }, (_, i) => 10 + Math.sin(i / 12));
  f.create_dataset({ name: 'temp', data: temp, shape: [48, 3] });
  const ds = f.get('temp') as InstanceType<typeof h5.Dataset>;
  ds.create_attribute('units', 'degC');
  ds.create_attribute('long_name', 'air temperature');
  ds.attach_scale(0, '/time');
  ds.attach_scale(1, '/station');
  f.create_group('extra').create_soft_link('/temp', 'latest');
  f.close();
  return file;
}

describeWith('chromium', 'the Data tab as a viewer, on a file with a CF time axis', () => {
  const app = appSession(async () => null, { width: 1440, height: 900 });

  it('shows dates in the tree, the table and the plots; selection follows the keys; links are marked', async () => {
    const { page, errors } = app;
    const file = await cfFile();
    await page.goto(app.served.url);
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('HDF5 / NetCDF file to add to the tree').fill(file);
    await page.getByRole('button', { name: 'Add file' }).click();
    const tree = page.getByRole('tree', { name: 'Data tree' });
    // The tree: the time coordinate with its first and last dates.
    const time = tree.getByRole('treeitem', { name: /^time / });
    await expect.poll(() => time.textContent()).toMatch(/coordinate · 2024-01-01 00:00 … 2024-01-02 23:00/);

    // The table: its rows labelled by date.
    await tree
      .getByRole('treeitem', { name: /^temp / })
      .locator('.tree-row')
      .click();
    await page.getByRole('tab', { name: 'Matrix' }).click();
    const table = page.getByRole('table', { name: 'Values of temp' });
    await expect.poll(() => table.getByRole('rowheader').nth(3).textContent()).toBe('2024-01-01 03:00');
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['time \\ station', '10', '20', '30']);

    // The Line view: a slice along time, drawn on a date axis; a slider for station.
    await page.getByRole('tab', { name: 'Matrix' }).press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Line' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('combobox', { name: 'Along' }).selectOption('time');
    const line = page.getByRole('figure', { name: 'Line of temp over time' });
    await expect.poll(() => line.getAttribute('data-drawn')).toBe('line');
    await expect
      .poll(() => line.locator('.xtick text').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/Jan 2, 2024/)]));
    await expect.poll(() => line.locator('.ytitle').textContent()).toBe('air temperature [degC]');
    await page.getByRole('slider', { name: 'Index of station' }).press('ArrowRight');
    await expect.poll(() => page.locator('.dim-slider output').textContent()).toMatch(/^station = 20/);
    await expectAccessible(page, 'the Data page, a Line view');

    // Plot this: the plot builder on the same variable and slice, time along x as dates.
    await page.getByRole('button', { name: 'Plot this' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Plots' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => page.locator('.plot .xtick text').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/Jan 2, 2024/)]));
    expect(await page.getByLabel('Variable').inputValue()).toBe('temp');

    // Back in the tree (extra, station, temp, time): the selection moves with the focus; a click on an open group selects it and keeps it open.
    await page.getByRole('tab', { name: 'Data' }).click();
    const heading = page.locator('#node-heading');
    await tree.getByRole('treeitem', { name: /^temp / }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => heading.textContent()).toBe('time');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => heading.textContent()).toBe('station');
    const extra = tree.getByRole('treeitem', { name: /^extra / });
    await extra.locator('.tree-row').click();
    await expect.poll(() => extra.getAttribute('aria-expanded')).toBe('true');
    const fileRow = tree.getByRole('treeitem', { name: /^weather\.nc / });
    await fileRow.locator('.tree-row').click(); // open already: selected, not closed
    await expect.poll(() => heading.textContent()).toBe('weather.nc');
    expect(await fileRow.getAttribute('aria-expanded')).toBe('true');
    // The soft link: marked as a link with its target, and it shows what it points to.
    const link = tree.getByRole('treeitem', { name: /^latest / });
    expect(await link.textContent()).toMatch(/soft link → \/temp/);
    await link.locator('.tree-row').click();
    await expect
      .poll(() => page.getByRole('definition').allTextContents())
      .toEqual(expect.arrayContaining(['soft link to /temp', '48 × 3']));
    await page.getByRole('tab', { name: 'Heatmap' }).click();
    await expect
      .poll(() =>
        page.getByRole('figure', { name: 'Heatmap of latest over time and station' }).getAttribute('data-drawn'),
      )
      .toBe('heatmap');
    await expectAccessible(page, 'the Data page, a Heatmap view of a link');
    // The builder draws a file's root variables: for one in a group the Data tab says so instead of a button.
    await expect
      .poll(() => page.getByText("The plot builder draws the variables at a file's root").isVisible())
      .toBe(true);

    // Screenshots as a person sees them: both sizes, light and dark.
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await tree
      .getByRole('treeitem', { name: /^temp / })
      .locator('.tree-row')
      .click();
    for (const view of ['Matrix', 'Line', 'Heatmap']) {
      await page.getByRole('tab', { name: view }).click();
      if (view !== 'Matrix')
        await expect.poll(() => page.locator('.slice-plot').getAttribute('data-drawn')).toBe(view.toLowerCase());
      await screenshots(page, `data-${view.toLowerCase()}`);
    }
    expect(errors).toEqual([]);
  });
});
