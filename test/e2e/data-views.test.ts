// The Data tab's views of a dataset as a person sees them, in Debian's Chromium: the Matrix's twenty columns at
// full width (and scrolled sideways, its headers kept, in a smaller window), and a large heatmap drawn as an image
// in the colours of its values, each value read under the pointer; a 360_day time axis at its own calendar's dates,
// in the plot builder and the Data tab's Line view.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadH5 } from '../../electron/engine/dataset/h5';
import { ROOT, tempDir } from '../helpers/furrow';
import { appSession, expectAccessible, openInPlots, screenPixels } from '../helpers/chromium';
import { describeWith } from '../helpers/tools';
import type { Locator, Page } from 'playwright-core';

/** big(y, x) over 600 × 500 cells (x in steps of 0.5), and wide(row, col) of 30 × 40 five-digit negatives. */
async function viewsFile(): Promise<string> {
  const h5 = await loadH5();
  const file = path.join(tempDir('furrow-views-e2e-'), 'views.nc');
  const f = new h5.File(file, 'w');
  const scale = (name: string, data: Float64Array) => {
    f.create_dataset({ name, data });
    (f.get(name) as InstanceType<typeof h5.Dataset>).make_scale(name);
  };
  scale(
    'y',
    Float64Array.from({ length: 600 }, (_, i) => i),
  );
  scale(
    'x',
    Float64Array.from({ length: 500 }, (_, i) => i / 2),
  );
  f.create_dataset({
    name: 'big',
    data: Float64Array.from({ length: 600 * 500 }, (_, i) => bigAt(Math.floor(i / 500), i % 500)),
    shape: [600, 500],
  });
  const big = f.get('big') as InstanceType<typeof h5.Dataset>;
  big.attach_scale(0, '/y');
  big.attach_scale(1, '/x');
  f.create_dataset({
    name: 'wide',
    data: Float64Array.from({ length: 30 * 40 }, (_, i) => -0.8414709848 - i / 1e4),
    shape: [30, 40],
  });
  f.close();
  return file;
}
/** tas(time) over the first 90 days of `year` in the 360_day calendar (time: days since its 1 January). */
async function model360File(year: number): Promise<string> {
  const h5 = await loadH5();
  const file = path.join(tempDir('furrow-360-e2e-'), 'model.nc');
  const f = new h5.File(file, 'w');
  f.create_dataset({ name: 'time', data: Float64Array.from({ length: 90 }, (_, i) => i) });
  const time = f.get('time') as InstanceType<typeof h5.Dataset>;
  time.create_attribute('units', `days since ${year}-01-01`);
  time.create_attribute('calendar', '360_day');
  time.make_scale('time');
  f.create_dataset({ name: 'tas', data: Float64Array.from({ length: 90 }, (_, i) => 280 + 5 * Math.sin(i / 9)) });
  (f.get('tas') as InstanceType<typeof h5.Dataset>).attach_scale(0, '/time');
  f.close();
  return file;
}

/**
 * A line of model360File(year)'s tas as a person sees it: January and February are both 30 days long (their ticks
 * as far apart), all 90 days drawn (the 29th and 30th of February too: a marker for each), and the hover names the
 * day in that calendar (the 60th point is the 30th of February).
 */
async function expect360DayAxis(page: Page, plot: Locator, year: number): Promise<void> {
  const [jan, feb, mar] = ['01', '02', '03'].map((m) => `${year}-${m}-01`) as [string, string, string];
  expect(await plot.locator('.xtick text').allTextContents()).toEqual(expect.arrayContaining([jan, feb, mar]));
  const xOf = async (text: string) => {
    const box = (await plot.locator('.xtick text', { hasText: new RegExp(`^${text}$`) }).boundingBox())!;
    return box.x + box.width / 2;
  };
  const [x0, x1, x2] = [await xOf(jan), await xOf(feb), await xOf(mar)];
  expect(Math.abs(x2 - x1 - (x1 - x0))).toBeLessThanOrEqual(1);
  const points = plot.locator('.scatterlayer .trace .points path');
  expect(await points.count()).toBe(90);
  const box = (await points.nth(59).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect
    .poll(() => plot.locator('.hoverlayer .hovertext').first().textContent())
    .toMatch(new RegExp(`${year}-02-30 00:00, 28\\d\\.\\d+$`));
}

/** Screenshots `name`-WxH.png at 1440 × 900 and 1024 × 700 (after `prepare` at each), back at 1440 × 900 after. */
async function shotsAtBothSizes(page: Page, name: string, prepare?: () => Promise<void>): Promise<void> {
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300); // the plot follows the new width
    await prepare?.();
    await page.screenshot({ path: path.join(ROOT, 'test-results', `${name}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** What the page's scrolling element has (the tests' types have no DOM). */
interface Box {
  scrollWidth: number;
  clientWidth: number;
  scrollBy(x: number, y: number): void;
}

/** big's value at row r, column c: y + x, so 0 at the bottom left and 849.5 at the top right. */
const bigAt = (r: number, c: number) => r + c / 2;

describeWith('chromium', "the Data tab's Matrix and Heatmap views", () => {
  const app = appSession(async () => null, { width: 1440, height: 900 });

  it('shows the Matrix’s 20 columns at full width, and scrolls them sideways with their headers in a small window', async () => {
    const { page, errors } = app;
    const file = await viewsFile();
    await page.goto(app.served.url);
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('HDF5 / NetCDF file to add to the tree').fill(file);
    await page.getByRole('button', { name: 'Add file' }).click();
    const tree = page.getByRole('tree', { name: 'Data tree' });
    await tree
      .getByRole('treeitem', { name: /^wide / })
      .locator('.tree-row')
      .click();
    await page.getByRole('tab', { name: 'Matrix' }).click();
    const table = page.getByRole('table', { name: 'Values of wide' });
    await expect.poll(() => table.getByRole('columnheader').count()).toBe(21);
    const scroller = page.locator('.preview-scroll');
    const fits = () =>
      scroller.evaluate((el) => ({
        fits: (el as unknown as Box).scrollWidth <= (el as unknown as Box).clientWidth,
        over: (el as unknown as Box).scrollWidth - (el as unknown as Box).clientWidth,
      }));
    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    const shot = (name: string) => page.screenshot({ path: path.join(ROOT, 'test-results', `${name}.png`) });
    // 1440 × 900: every column on screen, none cut off.
    await expect.poll(fits).toEqual({ fits: true, over: 0 });
    const last = table.getByRole('columnheader').last();
    const box = (await scroller.boundingBox())!;
    const lastBox = (await last.boundingBox())!;
    expect(lastBox.x + lastBox.width).toBeLessThanOrEqual(box.x + box.width);
    expect(await last.textContent()).toBe('19');
    await shot('data-matrix-20-columns-1440x900');

    // 1024 × 700: the table scrolls sideways; the column and row headers stay as it scrolls.
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect.poll(async () => (await fits()).fits).toBe(false);
    await scroller.evaluate((el) => (el as unknown as Box).scrollBy(400, 300));
    const corner = table.getByRole('columnheader').first();
    const afterBox = (await scroller.boundingBox())!;
    const cornerBox = (await corner.boundingBox())!;
    expect(Math.abs(cornerBox.x - afterBox.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(cornerBox.y - afterBox.y)).toBeLessThanOrEqual(2);
    await shot('data-matrix-scrolled-1024x700');
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(errors).toEqual([]);
  });

  it('draws a large heatmap as an image in its values’ colours, each value read under the pointer', async () => {
    const { page, errors } = app;
    const tree = page.getByRole('tree', { name: 'Data tree' });
    await tree.getByRole('treeitem', { name: /^big / }).locator('.tree-row').click();
    await page.getByRole('tab', { name: 'Heatmap' }).click();
    const figure = page.getByRole('figure', { name: 'Heatmap of big over y and x' });
    await expect.poll(() => figure.getAttribute('data-drawn')).toBe('heatmap');
    // 300,000 cells: the image behind plotly's axes, which span the cells' edges.
    await expect.poll(() => page.locator('.slice-image').isVisible()).toBe(true);
    expect(await figure.locator('.xtick text').allTextContents()).toEqual(expect.arrayContaining(['0', '100', '200']));
    const area = (await figure.locator('.nsewdrag').boundingBox())!;
    const shown = (await figure.boundingBox())!;
    const pixels = await screenPixels(figure);
    const near = (a: number[], hex: string) => {
      const n = Number.parseInt(hex.slice(1), 16);
      return [(n >> 16) & 255, (n >> 8) & 255, n & 255].every((v, i) => Math.abs(v - a[i]!) <= 12);
    };
    // y + x: viridis' first colour at the bottom left, its last at the top right.
    const at = (fx: number, fy: number) =>
      pixels.at(Math.round(area.x - shown.x + fx * area.width), Math.round(area.y - shown.y + fy * area.height));
    expect(near(at(0.01, 0.99), '#440154'), String(at(0.01, 0.99))).toBe(true);
    expect(near(at(0.99, 0.01), '#fde725'), String(at(0.99, 0.01))).toBe(true);
    // Under the pointer, the cell's coordinates and its value.
    await page.mouse.move(area.x + area.width * 0.5, area.y + area.height * 0.25);
    const readout = page.locator('.slice-readout');
    await expect.poll(() => readout.textContent()).toMatch(/^x = [\d.]+ · y = \d+: [\d.]+$/);
    const [, x, y, value] = /^x = ([\d.]+) · y = (\d+): ([\d.]+)$/.exec((await readout.textContent())!)!;
    expect(Math.abs(Number(x) - 125)).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(y) - 450)).toBeLessThanOrEqual(2);
    expect(Number(value)).toBe(bigAt(Number(y), Number(x) * 2));
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'data-heatmap-image-1440x900.png') });
    await expectAccessible(page, 'the Data page, a large heatmap');
    expect(errors).toEqual([]);
  });

  it('draws a 360_day time axis with its own dates: 30 days a month, 2000-02-30 drawn too', async () => {
    const { page, errors } = app;
    const file = await model360File(2000);
    await openInPlots(page, app.served.url, file);
    const plot = page.locator('.plot');
    await expect.poll(() => plot.locator('.xtick text').allTextContents()).toContain('2000-02-21');
    await expect360DayAxis(page, plot, 2000);
    await page.mouse.move(0, 0);
    await shotsAtBothSizes(page, 'plot-360-day');
    expect(errors).toEqual([]);
  });
  it("draws the Data tab's Line view of a 360_day time axis with its own dates: 2001-02-30 drawn and hovered", async () => {
    const { page, errors } = app;
    const file = await model360File(2001);
    await page.goto(app.served.url);
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('HDF5 / NetCDF file to add to the tree').fill(file);
    await page.getByRole('button', { name: 'Add file' }).click();
    await page
      .getByRole('tree', { name: 'Data tree' })
      .getByRole('treeitem', { name: /^tas / })
      .locator('.tree-row')
      .click();
    await page.getByRole('tab', { name: 'Line' }).click();
    const figure = page.getByRole('figure', { name: 'Line of tas over time' });
    await expect.poll(() => figure.getAttribute('data-drawn')).toBe('line');
    // As the plot builder draws it: the same ticks, every day, the hover in that calendar.
    await expect360DayAxis(page, figure, 2001);
    // Shown with the 30th of February's hover.
    await shotsAtBothSizes(page, 'data-line-360-day', async () => {
      await page.mouse.move(0, 0);
      const point = (await figure.locator('.scatterlayer .trace .points path').nth(59).boundingBox())!;
      await page.mouse.move(point.x + point.width / 2, point.y + point.height / 2);
      await expect.poll(() => figure.locator('.hoverlayer .hovertext').count()).toBeGreaterThan(0);
    });
    expect(errors).toEqual([]);
  });
});
