// The Adapt page in Chromium through `furrow serve` (issue 26), by role and name: a 1-D study (python-adaptive's
// peak, each call 150 ms) learned from the page: the point count grows and the line through the points is drawn,
// Stop stops it, a second window opened before the stop picks the run up, and Start again resumes from the stored
// points. An error names the control on screen. Photographed at 1440×900 and 1024×700, light and dark.
import { expect, it } from 'vitest';
import { appSession, expectAccessible, screenshots } from '../helpers/chromium';
import { exampleStudy } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

const STUDY = `name: peak
model:
  module: ./model.mjs
outputs:
  y: {}
combos:
  x: [-1, 0, 1]
`;
// python-adaptive's peak: f(x) = x + a² / (a² + x²), a = 0.1; slow enough to watch.
const MODEL = `export default async ({ x }) => {
  await new Promise((r) => setTimeout(r, 150));
  return { y: x + 0.01 / (0.01 + x * x) };
};
`;

describeWith('chromium', 'Adapt', () => {
  const app = appSession(() => exampleStudy('blank', { studyYaml: STUDY, model: MODEL }), {
    width: 1440,
    height: 900,
  });
  const shoot = (name: string) => screenshots(app.page, `adapt-${name}`);
  /** The point count the page shows, or -1 before any. */
  const count = async () => {
    const text = await app.page
      .getByRole('status', { name: 'Adaptive run' })
      .textContent({ timeout: 1000 })
      .catch(() => null);
    return Number((text ?? '').match(/^([\d,]+) points/)?.[1]?.replaceAll(',', '') ?? -1);
  };

  it('learns a 1-D study from the page: the point count grows, the line is drawn, Stop stops, Start resumes', async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Adapt' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Adapt', exact: true }).isVisible()).toBe(true);
    // The study's numeric parameter, over the range of its values, and its output.
    const learn = page.getByRole('checkbox', { name: 'x' });
    expect(await learn.isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'x from' }).inputValue()).toBe('-1');
    expect(await page.getByRole('textbox', { name: 'x to' }).inputValue()).toBe('1');
    expect(await page.getByRole('combobox', { name: 'Output' }).inputValue()).toBe('y');
    expect(await page.getByText(/^Nothing learned yet/).isVisible()).toBe(true);

    // An error names the control on screen, at the control, and goes when it is fixed.
    const to = page.getByRole('textbox', { name: 'x to' });
    await to.fill('-2');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await to.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('To must be above From (-1)');
    await expectAccessible(page, 'Adapt with an error');
    await to.fill('1');
    expect(await to.getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByRole('alert').count()).toBe(0);

    await page.getByRole('textbox', { name: 'Points in all' }).fill('3000');
    await page.getByRole('textbox', { name: 'Workers' }).fill('2');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await expect.poll(() => stop.isVisible(), { timeout: 20_000 }).toBe(true);
    // The point count grows as adapt.progress events land.
    await expect.poll(count, { timeout: 30_000 }).toBeGreaterThan(5);
    const early = await count();
    // The run bar, on every page, says an adaptive run is going, and stops it too.
    const bar = page.getByRole('region', { name: 'Run' });
    expect(await bar.getByText(/^An adaptive run is going \(the Adapt page\): [\d,]+ points/).isVisible()).toBe(true);
    expect(await bar.getByRole('button', { name: 'Stop adaptive run' }).isVisible()).toBe(true);
    expect(await bar.getByRole('button', { name: 'Running…' }).isDisabled()).toBe(true);
    await expect.poll(count, { timeout: 30_000 }).toBeGreaterThan(early + 10);
    // The line through the points is drawn: a plotly line with a point per marker.
    const figure = page.getByRole('figure', { name: /^Line plot of y against x: \d+ points/ });
    await expect.poll(() => figure.locator('.scatterlayer .trace path.js-line').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => figure.locator('.scatterlayer .point').count()).toBeGreaterThan(early);
    const line = await figure.locator('.scatterlayer .trace path.js-line').getAttribute('d');
    // (plotly merges the segments of a straight stretch into one: the bend at the peak keeps many.)
    expect(line?.split('L').length).toBeGreaterThan(10);

    await shoot('running');

    // A second window opened mid-run picks it up.
    const other = await page.context().newPage();
    await other.goto(served.url);
    await other.getByRole('tab', { name: 'Adapt' }).click();
    await expect
      .poll(() => other.getByRole('button', { name: 'Stop', exact: true }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    const seen = Number(
      (await other.getByRole('status', { name: 'Adaptive run' }).textContent())?.match(/^([\d,]+) points/)?.[1],
    );
    expect(seen).toBeGreaterThan(early);
    await expectAccessible(page, 'Adapt while it runs');

    // Stopped in one window, the other follows.
    await stop.click();
    const start = page.getByRole('button', { name: 'Start', exact: true });
    await expect.poll(() => start.isVisible(), { timeout: 30_000 }).toBe(true);
    const stopped = await count();
    expect(stopped).toBeLessThan(3000);
    expect(await page.getByText(/^Stopped at [\d,]+ points; Start resumes from them\.$/).isVisible()).toBe(true);
    await expect
      .poll(() => other.getByRole('button', { name: 'Start', exact: true }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    await other.close();
    await shoot('stopped');

    // Start again resumes: the page says from how many.
    await page.reload();
    await page.getByRole('tab', { name: 'Adapt' }).click();
    const resumes = page.getByText(/^Resumes from [\d,]+ stored points$/);
    await expect.poll(() => resumes.isVisible(), { timeout: 20_000 }).toBe(true);
    const stored = Number((await resumes.textContent())!.match(/([\d,]+)/)![1]!.replaceAll(',', ''));
    expect(stored).toBe(stopped);
    await expectAccessible(page, 'Adapt stopped');
    await page.getByRole('textbox', { name: 'Points in all' }).fill(String(stored + 20));
    await start.click();
    await expect
      .poll(() => page.getByText(/^Goal met: [\d,]+ points, 20 evaluated by this run\.$/).isVisible(), {
        timeout: 60_000,
      })
      .toBe(true);
    expect(await count()).toBe(stored + 20);
    // The line goes through each point once: the stored ones the resumed run retold are not drawn twice.
    const total = stored + 20;
    await expect
      .poll(() => page.getByRole('figure', { name: `Line plot of y against x: ${total} points` }).count())
      .toBe(1);
    expect(errors).toEqual([]);
  }, 240_000);
});

// python-adaptive's ring over two learned parameters: the surface through the points, drawn as they land.
const RING_STUDY = `name: ring
model:
  module: ./model.mjs
outputs:
  f: {}
combos:
  x: [-1, 1]
  y: [-1, 1]
`;
const RING_MODEL = `export default async ({ x, y }) => {
  await new Promise((r) => setTimeout(r, 10));
  return { f: x + Math.exp(-((x * x + y * y - 0.5625) ** 2) / 0.0016) };
};
`;

describeWith('chromium', 'Adapt over two parameters', () => {
  const app = appSession(() => exampleStudy('blank', { studyYaml: RING_STUDY, model: RING_MODEL }), {
    width: 1440,
    height: 900,
  });

  it('learns the ring over x and y and draws the surface through the points', async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    await page.getByRole('tab', { name: 'Adapt' }).click();
    await page.getByRole('checkbox', { name: 'y' }).check();
    await page.getByRole('textbox', { name: 'Points in all' }).fill('300');
    await page.getByRole('textbox', { name: 'Workers' }).fill('2');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect
      .poll(() => page.getByText(/^Goal met: 300 points, 300 evaluated by this run\.$/).isVisible(), {
        timeout: 120_000,
      })
      .toBe(true);
    const figure = page.getByRole('figure', { name: /^Heatmap plot of f against x and y: 300 points, the surface/ });
    await expect.poll(() => figure.locator('.hm image').count(), { timeout: 20_000 }).toBe(1);
    expect(await figure.locator('.scatterlayer .point').count()).toBe(300);
    // The run bar says how the run ended in points, not as a grid run's cases.
    const ended = page.getByRole('region', { name: 'Run' }).getByText(/^Last run \(#1\): /);
    await expect
      .poll(() => ended.textContent())
      .toMatch(
        /^Last run \(#1\): adaptive run, goal met: 300 points evaluated, 0 failed; finished [\d-]+ [\d:]+ UTC\.$/,
      );
    await expectAccessible(page, 'Adapt over two parameters');
    await screenshots(page, 'adapt-2d');
    expect(errors).toEqual([]);
  }, 180_000);
});
