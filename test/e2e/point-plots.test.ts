// A point dataset in the Plots page (issue 26), by role and name: 400 points of python-adaptive's ring
// f(x, y) = x + exp(−(x² + y² − 0.75²)² / a⁴), a = 0.2, written by the engine's own dataset writer as an adaptive run
// writes them (a `point` dim, x and y as coordinates on it). The first look is the surface through the points on
// their triangulation, with the points on top; a line along x is offered; the export is a vector PDF.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { writeDataset } from '../../electron/engine/dataset/netcdf-write';
import { appSession, expectAccessible, openInPlots, screenshots } from '../helpers/chromium';
import { exampleStudy } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

const ring = (x: number, y: number) => x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);

describeWith('chromium', 'Plots of a point dataset', () => {
  let study = '';
  const app = appSession(async () => {
    study = await exampleStudy('blank');
    return study;
  });

  it('draws the surface through the points, a line along x, and exports a vector PDF', async () => {
    const { page, served, errors } = app;
    const file = path.join(study, 'data', 'ring.adapt.nc');
    const n = 400;
    // Scattered as an adaptive run scatters them: a fixed rule, denser near the ring.
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = i % 2 ? 0.75 + 0.15 * Math.sin(i) : Math.sqrt((i * 0.618034) % 1) * 1.4;
      const t = i * 2.39996;
      xs.push(Math.max(-1, Math.min(1, r * Math.cos(t))));
      ys.push(Math.max(-1, Math.min(1, r * Math.sin(t))));
    }
    await writeDataset(file, {
      dims: [{ name: 'point', values: Array.from({ length: n }, (_, i) => i), size: n }],
      variables: [
        { name: 'x', dims: ['point'], kind: 'float', data: Float64Array.from(xs) },
        { name: 'y', dims: ['point'], kind: 'float', data: Float64Array.from(ys) },
        {
          name: 'f',
          dims: ['point'],
          kind: 'float',
          data: Float64Array.from(xs, (x, i) => ring(x, ys[i]!)),
          attrs: { coordinates: 'x y' },
        },
      ],
      attrs: {},
    });
    await openInPlots(page, served.url, file);
    await page.getByLabel('Variable', { exact: true }).selectOption('f');
    const heatmap = page.getByRole('figure', { name: /^Heatmap plot of f against x and y/ });
    await expect.poll(() => heatmap.isVisible(), { timeout: 20_000 }).toBe(true);
    // The surface (one heatmap image) and the 400 points on top.
    await expect.poll(() => heatmap.locator('.hm image').count(), { timeout: 20_000 }).toBe(1);
    expect(await heatmap.locator('.scatterlayer .point').count()).toBe(n);
    // x and y offer the coordinates on point beside the dim.
    expect(await page.getByLabel('x', { exact: true }).locator('option').allTextContents()).toEqual([
      'auto',
      'point',
      'x (on point)',
      'y (on point)',
    ]);
    await expectAccessible(page, 'Plots of a point dataset');
    await screenshots(page, 'point-plot');

    await page.getByRole('button', { name: 'Export this plot' }).click();
    const status = page.getByRole('region', { name: 'Plot view' }).getByRole('status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Wrote .*\.pdf$/);
    const pdf = fs.readFileSync((await status.textContent())!.replace(/^Wrote /, ''));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.includes('/Subtype /Image')).toBe(false); // the surface as vectors, no picture

    // A line along x: the points sorted along it, y no longer on the plot.
    await page.getByLabel('Kind', { exact: true }).selectOption('line');
    const line = page.getByRole('figure', { name: /^Line plot of f against x/ });
    await expect.poll(() => line.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByText('A line plot draws the values up y: y left y.').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);
});
