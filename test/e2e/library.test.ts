// A dataset written through the library (issue 9) opens in the app like a study's: served by `furrow serve` to
// Debian's Chromium, opened by its path on the Plots tab, plotted from its dims.
import path from 'node:path';
import { expect, it } from 'vitest';
import { Harvester, Runner } from '../../electron/lib';
import { appSession, expectAccessible, openInPlots } from '../helpers/chromium';
import { exampleStudy, tempDir } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'a library dataset in the app', () => {
  const app = appSession(() => exampleStudy('foo'), { width: 1280, height: 900 });

  it('plots a file harvested in two rounds, a line per value of the dim the second round added', async () => {
    const file = path.join(tempDir(), 'growth.nc');
    const runner = new Runner(({ rate, t }: { rate: number; t: number[] }) => t.map((x) => Math.exp(rate * x)), {
      varNames: 'n',
      varDims: { n: ['t'] },
      constants: { t: [0, 1, 2, 3, 4] },
    });
    const harvester = new Harvester(runner, { dataName: file });
    await harvester.harvestCombos({ rate: [0.1, 0.2] });
    await harvester.harvestCombos({ rate: [0.3] });

    const { page, served, errors } = app;
    await openInPlots(page, served.url, file);
    // Three rates, the last from the second round: three lines over t.
    const plot = page.getByRole('figure', { name: 'Line plot of n against t, a line per rate' });
    await expect.poll(() => plot.locator('.scatterlayer .trace').count(), { timeout: 15_000 }).toBe(3);
    await expectAccessible(page, 'the Plots page with a file opened by its path');
    expect(errors).toEqual([]);
  });
});
