// A large facet plot in Debian's Chromium, under the app's Content-Security-Policy: 2 panels × 64 lines × 1024
// points, more than the app draws as a plotly trace per line. Its lines are drawn on a canvas (plots/canvas-lines.ts).
// Checked on the screenshot: the lines are where the axes say, after a legend double-click isolates one, after a
// zoom, and the hover names the point under the mouse.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { Harvester, Runner } from '../../electron/lib';
import { appSession, expectAccessible, openInPlots, screenPixels } from '../helpers/chromium';
import type { ScreenPixels } from '../helpers/chromium';
import { exampleStudy, ROOT, tempDir } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

const N = 1024;
/** w(p, l, x) = l + x / 2 over x in [0, 1]: line l runs straight from l to l + 0.5. */
const w = (l: number, x: number) => l + x / 2;

/** w harvested over `combos` into a new file by the library, each call giving `l + x / 2 + shift(params)` over x. */
async function harvestLines(
  combos: Record<string, number[]>,
  shift: (params: { s?: number }) => number = () => 0,
): Promise<string> {
  const file = path.join(tempDir(), 'lines.nc');
  const x = Array.from({ length: N }, (_, i) => i / (N - 1));
  const runner = new Runner((params: { l: number; s?: number }) => x.map((v) => w(params.l, v) + shift(params)), {
    varNames: 'w',
    varDims: { w: ['x'] },
    constants: { x },
  });
  await new Harvester(runner, { dataName: file }).harvestCombos(combos);
  return file;
}

const hues = Array.from({ length: 64 }, (_, l) => l);

/** Where a panel's plot area is in the plot element's screenshot, and the ranges its axes show. */
interface Panel {
  left: number;
  top: number;
  width: number;
  height: number;
  x: [number, number];
  y: [number, number];
}

function panelOf(plot: Locator, n: number): Promise<Panel> {
  return plot.evaluate((el, n) => {
    // plotly's graph div, as far as it is read here (the tests are compiled without the DOM's types).
    type Axis = { _offset: number; _length: number; range: [number, number] };
    type Box = { left: number; top: number };
    const gd = el as unknown as {
      _fullLayout: Record<string, Axis>;
      getBoundingClientRect(): Box;
      querySelector(s: string): { getBoundingClientRect(): Box };
    };
    const outer = gd.getBoundingClientRect();
    const inner = gd.querySelector('.svg-container').getBoundingClientRect();
    const xa = gd._fullLayout[`xaxis${n === 1 ? '' : n}`]!;
    const ya = gd._fullLayout[`yaxis${n === 1 ? '' : n}`]!;
    return {
      left: inner.left - outer.left + xa._offset,
      top: inner.top - outer.top + ya._offset,
      width: xa._length,
      height: ya._length,
      x: [...xa.range] as [number, number],
      y: [...ya.range] as [number, number],
    };
  }, n);
}

/**
 * How much of a line's colour a pixel holds. With l = 3 shown alone, its line is the one coloured thing in the
 * panel (64 numeric hue values: a colour of viridis, a purple here); a thin line covers a pixel in part, so its
 * pixels are that colour mixed with white. The grid and the axes are grey (red, green and blue alike): none.
 */
const tint = ([r, g, b]: number[]) => {
  const spread = Math.max(r!, g!, b!) - Math.min(r!, g!, b!);
  return spread > 10 ? spread : 0;
};
/** The same, for the middle of a line: its faintest edge pixels left out. */
const core = (pixel: number[]) => Math.max(0, tint(pixel) - 30);

/** The middle of the line's colour in column `c` of the panel (rows weighted by how much), or null where none. */
function lineRow(pixels: ScreenPixels, panel: Panel, c: number): number | null {
  let sum = 0;
  let weight = 0;
  for (let y = Math.ceil(panel.top); y < panel.top + panel.height; y++) {
    const t = core(pixels.at(c, y));
    sum += t * y;
    weight += t;
  }
  return weight > 0 ? sum / weight : null;
}

/** Line l = 3 is drawn where panel 1's axes put it, at each of several columns across the panel. */
async function expectLineWhereTheAxesSay(plot: Locator): Promise<void> {
  const panel = await panelOf(plot, 1);
  const pixels = await screenPixels(plot);
  for (const f of [0.1, 0.3, 0.5, 0.7, 0.9]) {
    const c = Math.round(panel.left + f * panel.width);
    const x = panel.x[0] + ((c + 0.5 - panel.left) / panel.width) * (panel.x[1] - panel.x[0]);
    const expected = panel.top + panel.height - ((w(3, x) - panel.y[0]) / (panel.y[1] - panel.y[0])) * panel.height;
    const row = lineRow(pixels, panel, c);
    expect(row, `a line in column ${c} (x = ${x.toFixed(3)})`).not.toBeNull();
    expect(Math.abs(row! + 0.5 - expected), `line l = 3 at x = ${x.toFixed(3)}`).toBeLessThan(2);
  }
}

/** Where data (x, y) of a panel is on the page. */
async function pageAt(plot: Locator, panel: Panel, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await plot.boundingBox())!;
  return {
    x: box.x + panel.left + ((x - panel.x[0]) / (panel.x[1] - panel.x[0])) * panel.width,
    y: box.y + panel.top + panel.height - ((y - panel.y[0]) / (panel.y[1] - panel.y[0])) * panel.height,
  };
}

/** Drag a zoom box in panel 1 from data (x0, y0) to (x1, y1), as a person would; the panel as it is after. */
async function zoomBox(page: Page, plot: Locator, [x0, y0]: number[], [x1, y1]: number[]): Promise<Panel> {
  const before = await panelOf(plot, 1);
  const from = await pageAt(plot, before, x0!, y0!);
  const to = await pageAt(plot, before, x1!, y1!);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await panelOf(plot, 1)).y[1]).not.toBe(before.y[1]);
  return panelOf(plot, 1);
}

const seriesDrawn = (page: Page) => page.locator('.plot canvas.canvas-lines').getAttribute('data-series');

describeWith('chromium', 'a large facet plot in Chromium', () => {
  const app = appSession(() => exampleStudy('foo'), { width: 1280, height: 1000 });

  it('draws 2 × 64 lines of 1024 points where the axes say, through legend clicks, a zoom and a hover, as steps and markers too', async () => {
    const file = await harvestLines({ p: [0, 1], l: hues });
    const { page, served, errors } = app;
    await openInPlots(page, served.url, file);
    await page.getByLabel('x', { exact: true }).selectOption('x');
    await page.getByLabel('Lines (hue)', { exact: true }).selectOption('l');
    await page.getByLabel('Columns', { exact: true }).selectOption('p');
    const plot = page.getByRole('figure', { name: 'Line plot of w against x, a line per l, columns by p' });
    await plot.waitFor();
    await expect.poll(() => seriesDrawn(page), { timeout: 20_000 }).toBe('128');
    // What plotly's WebGL traces drew under the app's Content-Security-Policy: a message and no lines.
    expect(await plot.textContent()).not.toMatch(/WebGL/);
    // A legend entry per hue value, and the axes framing the data: x over [0, 1], y over about [0, 63.5].
    await expect.poll(() => plot.locator('.legend .traces').count()).toBe(64);
    const whole = await panelOf(plot, 1);
    expect(whole.x[0]).toBeCloseTo(0, 1);
    expect(whole.x[1]).toBeCloseTo(1, 1);
    expect(whole.y[0]).toBeLessThan(0);
    expect(whole.y[1]).toBeGreaterThan(63.5);
    await expectAccessible(page, 'the Plots page with lines on a canvas');

    // A double-click on l = 3 in the legend shows it alone, in both panels: only its lines, where the axes say.
    await plot.locator('.legend .traces', { hasText: /^l = 3$/ }).dblclick();
    await expect.poll(() => seriesDrawn(page)).toBe('2');
    await expectLineWhereTheAxesSay(plot);

    // A zoom box around it in panel 1: the axes change, and the line is drawn again where they now say.
    const zoomed = await zoomBox(page, plot, [0.2, 1], [0.8, 12]);
    expect(zoomed.x[0]).toBeCloseTo(0.2, 1);
    expect(zoomed.x[1]).toBeCloseTo(0.8, 1);
    expect(zoomed.y[1]).toBeLessThan(15);
    await expectLineWhereTheAxesSay(plot);
    await plot.screenshot({ path: path.join(ROOT, 'test-results', 'app-large-zoomed.png') });

    // The hover names the point under the mouse: its line, its x and its value.
    const point = await pageAt(plot, zoomed, 0.5, w(3, 0.5));
    await page.mouse.move(point.x, point.y);
    const hover = page.getByRole('tooltip');
    await expect.poll(() => hover.textContent()).toMatch(/^l = 3x: 0\.\d+w: 3\.\d+$/);
    const [, hx, hw] = /x: ([\d.]+)w: ([\d.]+)/.exec((await hover.textContent())!)!.map(Number);
    expect(hx).toBeCloseTo(0.5, 1);
    expect(hw).toBeCloseTo(w(3, hx!), 5);

    // Another double-click shows every line again.
    await page.mouse.move(point.x, point.y - 100);
    await expect.poll(() => hover.count()).toBe(0);
    await plot.locator('.legend .traces', { hasText: /^l = 3$/ }).dblclick();
    await expect.poll(() => seriesDrawn(page)).toBe('128');

    // As steps and as markers, on the canvas too: l = 3 alone, where the axes say.
    for (const [kind, name] of [
      ['step', 'Step'],
      ['scatter', 'Scatter'],
    ]) {
      await page.getByLabel('Kind', { exact: true }).selectOption(kind!);
      const shown = page.getByRole('figure', { name: `${name} plot of w against x, a line per l, columns by p` });
      await shown.waitFor();
      await expect.poll(() => seriesDrawn(page)).toBe('128');
      await shown.locator('.legend .traces', { hasText: /^l = 3$/ }).dblclick();
      await expect.poll(() => seriesDrawn(page)).toBe('2');
      await expectLineWhereTheAxesSay(shown);
      await shown.screenshot({ path: path.join(ROOT, 'test-results', `app-large-${kind}.png`) });
    }

    // The axes frame the canvas's lines as plotly frames its own: p as frames leaves 64 × 1024 points on screen, few
    // enough for plotly's SVG lines, and the first frame (p = 0) has the ranges panel p = 0 of the grid had.
    await page.getByLabel('Kind', { exact: true }).selectOption('line');
    await page.getByLabel('Columns', { exact: true }).selectOption('');
    await page.getByLabel('Frames', { exact: true }).selectOption('p');
    const svg = page.getByRole('figure', { name: 'Line plot of w against x, a line per l' });
    await expect.poll(() => svg.locator('.scatterlayer .trace').count(), { timeout: 20_000 }).toBe(64);
    await expect.poll(() => page.locator('.plot canvas.canvas-lines').count()).toBe(0);
    const own = await panelOf(svg, 1);
    for (const axis of ['x', 'y'] as const) {
      expect(whole[axis][0]).toBeCloseTo(own[axis][0], 6);
      expect(whole[axis][1]).toBeCloseTo(own[axis][1], 6);
    }
    expect(errors).toEqual([]);
  });

  it('draws mean ± std bands of a large plot on the canvas, under their lines', async () => {
    // w(s, p, l, x) = l + x / 2 + s / 5 for two seeds s: the mean is 0.1 above l + x / 2, the std 0.1.
    const file = await harvestLines({ s: [0, 1], p: [0, 1], l: hues }, ({ s }) => s! / 5);
    const { page, served, errors } = app;
    await openInPlots(page, served.url, file);
    await page.getByLabel('x', { exact: true }).selectOption('x');
    await page.getByLabel('Lines (hue)', { exact: true }).selectOption('l');
    await page.getByLabel('Columns', { exact: true }).selectOption('p');
    // The first look fixed s at its first value; errorbands, with every other dim mapped, take it over s.
    await expect.poll(() => page.getByLabel('How s is shown').inputValue()).toBe('isel:0');
    await page.getByLabel('Kind', { exact: true }).selectOption('errorbands');
    const plot = page.getByRole('figure', { name: 'Error band plot of w against x, a line per l, columns by p' });
    await plot.waitFor();
    await expect.poll(() => seriesDrawn(page)).toBe('128');
    // Zoomed onto l = 3 (double-click isolates it): its band, 0.2 tall, shows pale about its line.
    await plot.locator('.legend .traces', { hasText: /^l = 3$/ }).dblclick();
    await expect.poll(() => seriesDrawn(page)).toBe('2');
    // Two zoom boxes (a box too flat zooms x alone): y over about [2.8, 4].
    await zoomBox(page, plot, [0.1, 0], [0.9, 8]);
    expect((await zoomBox(page, plot, [0.1, 2.8], [0.9, 4])).y[1]).toBeLessThan(5);
    const panel = await panelOf(plot, 1);
    const pixels = await screenPixels(plot);
    await plot.screenshot({ path: path.join(ROOT, 'test-results', 'app-large-bands.png') });
    const c = Math.round(panel.left + panel.width / 2);
    const xc = panel.x[0] + ((c + 0.5 - panel.left) / panel.width) * (panel.x[1] - panel.x[0]);
    const rowOf = (v: number) =>
      panel.top + panel.height - ((v - panel.y[0]) / (panel.y[1] - panel.y[0])) * panel.height;
    // Inside the band, between its edge and the line: pale (its colour at a quarter over white). Outside: white.
    const inside = pixels.at(c, Math.round(rowOf(w(3, xc) + 0.05)));
    expect(tint(inside)).toBeGreaterThan(10);
    expect(Math.min(...inside)).toBeGreaterThan(150);
    expect(tint(pixels.at(c, Math.round(rowOf(w(3, xc) + 0.35))))).toBe(0);
    // The line: the mean, 0.1 above l + x / 2 (the band's pale colour weighs little beside it).
    expect(Math.abs(lineRow(pixels, panel, c)! + 0.5 - rowOf(w(3, xc) + 0.1))).toBeLessThan(3);
    expect(errors).toEqual([]);
  });

  it('draws a grid that makes the plot taller once, and follows the window to a new width', async () => {
    const file = await harvestLines({ p: [0, 1, 2, 3], l: hues.slice(0, 32) });
    const { page, served, errors } = app;
    await openInPlots(page, served.url, file);
    await page.getByLabel('x', { exact: true }).selectOption('x');
    await page.getByLabel('Lines (hue)', { exact: true }).selectOption('l');
    await page.getByRole('figure', { name: 'Line plot of w against x, a line per l' }).waitFor();
    await expect.poll(() => page.locator('.plot .scatterlayer .trace').count()).toBe(32);
    // Each time plotly draws the plot (a whole draw of a large grid blocks the page for a while).
    const plotDiv = page.locator('.plot');
    await plotDiv.evaluate((el) => {
      const gd = el as unknown as { on(event: string, f: () => void): void; dataset: Record<string, string> };
      gd.dataset['draws'] = '0';
      gd.on('plotly_afterplot', () => (gd.dataset['draws'] = String(Number(gd.dataset['draws']) + 1)));
    });
    // Four panels wrap onto two rows: the plot grows taller, and is drawn once, not again when it has grown.
    await page.getByLabel('Columns', { exact: true }).selectOption('p');
    const plot = page.getByRole('figure', { name: 'Line plot of w against x, a line per l, columns by p' });
    await plot.waitFor();
    await expect.poll(() => seriesDrawn(page)).toBe('128');
    await page.waitForTimeout(600); // plotly redraws a resized plot 100 ms after the resize
    expect(await plotDiv.getAttribute('data-draws')).toBe('1');
    expect((await plot.boundingBox())!.height).toBeGreaterThan(450);

    // A narrower window: the plot is drawn again as wide as its panel, and the lines where the new axes say.
    await plot.locator('.legend .traces', { hasText: /^l = 3$/ }).dblclick();
    await expect.poll(() => seriesDrawn(page)).toBe('4');
    const wide = await panelOf(plot, 1);
    await page.setViewportSize({ width: 900, height: 1000 });
    await expect.poll(async () => (await panelOf(plot, 1)).width).toBeLessThan(wide.width - 100);
    const box = (await plot.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(900);
    await expectLineWhereTheAxesSay(plot);
    await page.setViewportSize({ width: 1280, height: 1000 });
    expect(errors).toEqual([]);
  });
});
