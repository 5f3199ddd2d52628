// The What matters page of a full grid with an output over time (issue 25), in Chromium through `furrow serve`: a run
// of the grid keeps y(t) = t·x1 + (1 − t)·x2 in the dataset, and the page draws its exact S1 over t, a line per
// parameter (x1 rising from 0 to 1 as x2 falls), beside the scalar output's main effects. Photographed at 1440×900
// and 1024×700, light and dark, into test-results/.
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { appSession, expectAccessible, screenshots } from '../helpers/chromium';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

const T = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const STUDY = `name: grid_over_time
model: {module: ./model.mjs}
outputs:
  y: {dims: [t]}
  end: {}
coords:
  t: ${JSON.stringify(T)}
combos:
  x1: [0, 0.25, 0.5, 0.75, 1]
  x2: [0, 1]
`;
const MODEL = `const T = ${JSON.stringify(T)};
export default ({ x1, x2 }) => ({ y: T.map((t) => t * x1 + (1 - t) * x2), end: x1 });
`;

describeWith('chromium', 'What matters of a grid over an output’s own dim', () => {
  const app = appSession(
    async () => {
      const study = await exampleStudy('foo', { studyYaml: STUDY, model: MODEL });
      const r = await furrow(['run', study]);
      if (r.code !== 0) throw new Error(r.stderr);
      return study;
    },
    { width: 1440, height: 900 },
  );
  const shoot = (name: string, shown: Locator) =>
    screenshots(app.page, `what-matters-grid-${name}`, () => shown.scrollIntoViewIfNeeded());

  it("draws the grid's exact S1 of y over t from its dataset, a line per parameter", async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'What matters' }).click();
    const lines = page.getByRole('figure', { name: /^S1 of y over t, a line per parameter/ });
    await expect.poll(() => lines.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => lines.locator('.legendtext').count(), { timeout: 20_000 }).toBe(2);
    expect((await lines.locator('.legendtext').allTextContents()).sort()).toEqual(['x1 S1', 'x2 S1']);
    expect(await lines.locator('.xtitle').textContent()).toBe('t');
    expect(await page.getByRole('heading', { name: 'y over t' }).count()).toBe(1);
    await expectAccessible(page, 'What matters of a grid with an output over time');
    await shoot('along', lines);
    expect(errors).toEqual([]);
  }, 180_000);
});
