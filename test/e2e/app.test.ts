// The real UI in Debian's Chromium, served by `furrow serve`, driven as a person would drive it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, exampleStudy, furrow, ROOT, serveStudy, tempDir } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';
import {
  descriptionOf,
  expectAccessible,
  focusedLabel,
  launchChromium,
  openStudy,
  recordErrors,
  setRunOptions,
  showRunDetails,
  shownStudy,
} from '../helpers/chromium';
import { describeWith } from '../helpers/tools';

/** The page as a person sees it at 1440×900, into test-results/; the window's size is put back after. */
async function screenshotAt1440(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: path.join(ROOT, 'test-results', `${name}-1440x900.png`) });
  if (before) await page.setViewportSize(before);
}

describeWith('chromium', 'the app in Chromium', () => {
  let browser: BrowserContext;
  let served: Served;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // 3 × 3 × 4 = 36 cases; each sleeps a little, so the bar is seen moving before it is full.
    const study = await exampleStudy('foo', {
      model: `export default async function foo({ a, b, c }) {
  await new Promise((r) => setTimeout(r, 40));
  return [a + b + c, a * b * c];
}
`,
    });
    served = await serveStudy(study);
    browser = await launchChromium();
    page = await browser.newPage();
    await recordErrors(page, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('opens the study, runs it with a moving progress bar, and plots the result', async () => {
    await page.goto(served.url);
    // A study served opens on its Study page, not the start page.
    await expect.poll(() => page.getByRole('heading', { name: 'Study', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('tab', { name: 'Study' }).getAttribute('aria-selected')).toBe('true');
    // The combos are listed with their values, and the number of cases.
    await expect.poll(() => page.getByLabel('Preview of c').textContent()).toBe('100, 200, 300, 400 (4)');
    expect(await page.getByLabel('Name of c').inputValue()).toBe('c');
    await expect.poll(() => page.getByTestId('live-counts').textContent()).toMatch(/^36 cases: 36 new/);
    await expectAccessible(page, 'the Study page');

    const bar = page.getByRole('progressbar', { name: 'Run progress' });
    await setRunOptions(page, { workers: '1' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    // Watch the bar: it must pass through intermediate values and end at its maximum.
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          const now = Number(await bar.getAttribute('aria-valuenow'));
          const max = Number(await bar.getAttribute('aria-valuemax'));
          seen.add(now);
          return max > 0 && now === max;
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(true);
    expect(await bar.getAttribute('aria-valuemax')).toBe('36');
    expect([...seen].some((v) => v > 0 && v < 36)).toBe(true);
    await expect.poll(() => page.getByText(/36 done, 0 failed/).isVisible()).toBe(true);
    // The counts of the study as edited follow the run: every case is done now.
    await expect.poll(() => page.getByTestId('live-counts').textContent()).toMatch(/^36 cases: 0 new, 36 done before/);

    // A plotly line plot of a_out along its longest dim (c), one line per value of a, b at its first value.
    await page.getByRole('tab', { name: 'Plots' }).click();
    const plot = page.getByRole('figure', { name: /Line plot of a_out against c, a line per a/ });
    await expect.poll(() => plot.locator('.scatterlayer .trace').count(), { timeout: 15_000 }).toBe(3);
    const legend = await plot.locator('.legendtext').allTextContents();
    expect(legend).toEqual(['a = 1', 'a = 2', 'a = 3']);

    // Choosing another variable re-reads the slice from the engine.
    await page.getByLabel('Variable').selectOption('b_out');
    await expect
      .poll(() => page.getByRole('figure', { name: /Line plot of b_out against c, a line per a/ }).isVisible())
      .toBe(true);

    fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'app-after-run.png'), fullPage: true });
    await expectAccessible(page, 'the Plots page after a run');
    expect(errors).toEqual([]);
  });

  it('sorts and filters the cases table, and exports what it shows as CSV', async () => {
    await page.getByRole('tab', { name: 'Cases' }).click();
    const table = page.getByRole('table', { name: 'Cases' });
    await expect.poll(() => table.getAttribute('aria-rowcount')).toBe('37'); // 36 cases and the header
    const column = async (name: string) => {
      const headers = await table.getByRole('columnheader').allTextContents();
      const at = headers.findIndex((h) => h.startsWith(name));
      const rows = table.getByRole('rowgroup').nth(1).getByRole('row');
      const cells: string[] = [];
      for (let k = 0; k < (await rows.count()); k++) {
        cells.push((await rows.nth(k).getByRole('cell').nth(at).textContent()) ?? '');
      }
      return cells;
    };
    // Sorted by a click on the column's name: ascending, then descending.
    const sort = table.getByRole('button', { name: /^a_out/ });
    await sort.click();
    await expect
      .poll(() => table.getByRole('columnheader', { name: /a_out/ }).getAttribute('aria-sort'))
      .toBe('ascending');
    await expect.poll(async () => (await column('a_out'))[0]).toBe('111'); // the smallest a + b + c
    await sort.click();
    await expect
      .poll(() => table.getByRole('columnheader', { name: /a_out/ }).getAttribute('aria-sort'))
      .toBe('descending');
    const down = (await column('a_out')).map(Number);
    expect(down).toEqual([...down].sort((x, y) => y - x));
    // The cases as parallel coordinates: an axis per numeric parameter and output, coloured by an output.
    const parcoords = page.getByRole('figure', { name: /^Parallel coordinates of 36 cases/ });
    await expect
      .poll(() => parcoords.getAttribute('aria-label'))
      .toMatch(/over a, b, c, a_out, b_out, status, coloured by a_out/);
    await page.getByLabel('Colour by').selectOption('b_out');
    await expect.poll(() => parcoords.getAttribute('aria-label')).toMatch(/coloured by b_out$/);
    // The lines are drawn (on a canvas, without WebGL): coloured pixels, not a blank.
    await expect
      .poll(() =>
        parcoords.locator('canvas').evaluate((element) => {
          // No DOM types in the tests: the canvas as far as it is used here.
          const canvas = element as unknown as {
            width: number;
            height: number;
            getContext(kind: '2d'): {
              getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
            };
          };
          const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) painted++;
          return painted;
        }),
      )
      .toBeGreaterThan(2000);
    // Dragging along axis a from 1.5 to past its top brushes it: the table keeps a = 2 and 3.
    const axisA = parcoords.getByRole('group', { name: /^Axis a$/ });
    const box = (await axisA.locator('[data-brush]').boundingBox())!;
    const middle = box.x + box.width / 2;
    await page.mouse.move(middle, box.y + box.height * 0.75);
    await page.mouse.down();
    await page.mouse.move(middle, box.y + box.height * 0.4, { steps: 4 });
    await page.mouse.move(middle, box.y - 30, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.getByText(/^24 cases/).isVisible()).toBe(true);
    await expect.poll(() => table.getByLabel('Filter a', { exact: true }).inputValue()).toMatch(/^1\.5\d*\.\.3$/);
    await expect
      .poll(() => parcoords.getByRole('group', { name: /^Axis a, brushed 1\.5\d* to 3$/ }).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByText(/24 kept by the filters/).isVisible()).toBe(true);
    await expectAccessible(page, 'the Cases page, brushed');
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'app-parcoords.png'), fullPage: true });
    // A click on the axis clears its brush, and the filter with it.
    await page.mouse.click(middle, box.y + box.height / 2);
    await expect.poll(() => table.getByLabel('Filter a', { exact: true }).inputValue()).toBe('');
    await expect.poll(() => page.getByText(/^36 cases/).isVisible()).toBe(true);
    // A range typed into a column's filter filters the table, both ends included, and shows as a brush.
    await table.getByLabel('Filter a', { exact: true }).fill('2..3');
    await expect.poll(() => page.getByText(/^24 cases/).isVisible()).toBe(true);
    await expect.poll(() => parcoords.getByRole('group', { name: 'Axis a, brushed 2 to 3' }).isVisible()).toBe(true);
    // Filtered per column (a comparison) and by an SQL condition.
    await table.getByLabel('Filter a', { exact: true }).fill('> 2');
    await expect.poll(() => page.getByText(/^12 cases/).isVisible()).toBe(true);
    // A comparison is no range to brush, but the lines it turns away are grey all the same: one filter.
    await expect.poll(() => page.getByText(/12 kept by the filters/).isVisible()).toBe(true);
    // The status is an axis of its categories: a click on 'done' filters to exactly it, and the table with it.
    const statusAxis = parcoords.getByRole('group', { name: /^Axis status/ });
    const statusBox = (await statusAxis.locator('[data-brush]').boundingBox())!;
    await page.mouse.click(statusBox.x + statusBox.width / 2, statusBox.y + statusBox.height / 2);
    await expect.poll(() => table.getByLabel('Filter status', { exact: true }).inputValue()).toBe('in: done');
    await expect
      .poll(() => parcoords.getByRole('group', { name: 'Axis status, filtered to done' }).isVisible())
      .toBe(true);
    await table.getByLabel('Filter status', { exact: true }).fill('');
    await page.getByLabel('Condition (SQL)').fill('b = 20');
    await expect.poll(() => page.getByText(/^4 cases/).isVisible()).toBe(true);
    expect(new Set(await column('b'))).toEqual(new Set(['20']));
    await page.getByLabel('Condition (SQL)').fill('no_such_column = 1');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/does not work: no such column/);
    // No rows of '…' wait under the error: the table says why it is empty.
    expect(await table.getAttribute('aria-rowcount')).toBe('1');
    await page.getByLabel('Condition (SQL)').fill('');
    await expect.poll(() => page.getByText(/^12 cases/).isVisible()).toBe(true);
    // The column chooser hides a column and brings it back.
    await page.getByText('Columns', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'host' }).uncheck();
    await expect.poll(() => table.getByRole('columnheader', { name: /^host/ }).count()).toBe(0);
    await page.getByRole('checkbox', { name: 'host' }).check();
    await expect.poll(() => table.getByRole('columnheader', { name: /^host/ }).count()).toBe(1);
    await page.getByText('Columns', { exact: true }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = fs
      .readFileSync((await (await download).path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(13); // the header and the 12 cases shown
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'app-cases.png'), fullPage: true });
    await expectAccessible(page, 'the Cases page, filtered');
    expect(errors).toEqual([]);
  });

  it('follows a run across a reload, and cancels one', async () => {
    const slow = await exampleStudy('foo', {
      model: `export default async function foo({ a, b, c }) {
  await new Promise((r) => setTimeout(r, 200));
  return [a + b + c, a * b * c];
}
`,
    });
    await openStudy(page, served.url, slow);

    const bar = page.getByRole('progressbar', { name: 'Run progress' });
    const now = async () => Number(await bar.getAttribute('aria-valuenow'));
    await setRunOptions(page, { workers: '1' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // A run takes a moment to start (backups, the database, workers loading the model), more on a busy machine.
    await expect.poll(now, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

    // A window opened mid-run (here: reloaded) picks the run up where it is.
    await page.reload();
    await expect.poll(now).toBeGreaterThan(0);
    // The case running now (one worker: one case), with how long it has run, in the run's details.
    await expectAccessible(page, 'the Study page while a run goes on');
    const runningNow = (await showRunDetails(page)).getByRole('table', { name: 'Running now' });
    await expect.poll(() => runningNow.getByRole('row').count()).toBe(2);
    expect(await runningNow.getByRole('row').nth(1).textContent()).toMatch(/^a=\d b=\d+ c=\d+\d+ s$/);
    expect(await page.getByRole('button', { name: 'Running…' }).isDisabled()).toBe(true);
    await expect.poll(() => page.getByText(/cases\/s, about \d+ s left/).isVisible()).toBe(true);
    // The run stores what finished every few seconds: a second window's plot appears before the run ends, and
    // the counts say how many are stored.
    const viewer = await browser.newPage();
    await viewer.goto(served.url);
    await viewer.getByRole('tab', { name: 'Plots' }).click();
    await expect
      .poll(() => viewer.getByRole('figure', { name: /^Line plot of / }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    expect(await now()).toBeLessThan(36);
    expect(await page.locator('.run-counts').textContent()).toMatch(/^\d+ done \(\d+ stored\), /);
    await viewer.close();
    await expect.poll(now, { timeout: 20_000 }).toBe(36);

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(now, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/run cancelled: \d+ of 36 cases had finished/);
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
  });

  it('says who holds the study when another run is writing it', async () => {
    const dir = (await shownStudy(page))!;
    const lock = path.join(dir, '.furrow.lock');
    // This test's own process stands in for another furrow run: it is alive, on this host.
    fs.writeFileSync(
      lock,
      JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString(), what: 'furrow run' }),
    );
    try {
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect
        .poll(() => page.getByRole('alert').first().textContent())
        .toMatch(/is being written by furrow run \(pid \d+/);
      expect(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    } finally {
      fs.rmSync(lock, { force: true });
    }
  });

  it('shows why a study cannot be opened', async () => {
    const broken = path.join(tempDir(), 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'study.yaml'), 'name: x\ncombos: [unclosed\n');
    await page.getByRole('button', { name: /switch study$/ }).click();
    const switcher = page.getByRole('dialog', { name: 'Switch study' });
    await switcher.getByLabel('Study folder').fill(broken);
    await switcher.getByRole('button', { name: 'Open', exact: true }).click();
    const alert = switcher.getByRole('form', { name: 'Open a study' }).getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/study\.yaml:\d+: YAML does not parse/);
    await expectAccessible(page, 'the study switcher with an error');
    // A folder that is not a study says so in the app's words, and offers to make one (no command to type).
    const empty = path.join(tempDir(), 'not-yet');
    fs.mkdirSync(empty);
    await switcher.getByLabel('Study folder').fill(empty);
    await switcher.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => alert.textContent()).toMatch(/has no study\.yaml: it is not a study folder yet/);
    expect(await alert.textContent()).not.toMatch(/furrow init/);
    await alert.getByRole('button', { name: 'Create a blank study there' }).click();
    await expect.poll(() => shownStudy(page)).toBe(empty);
    expect(fs.existsSync(path.join(empty, 'study.yaml'))).toBe(true);
  });

  it('shows why a case failed, and retries the failed cases', async () => {
    const marker = path.join(tempDir(), 'diverged-once');
    const flaky = await exampleStudy('foo', {
      model: `import fs from 'node:fs';
export default function foo({ a, b, c }) {
  if (c === 300 && !fs.existsSync(${JSON.stringify(marker)})) {
    fs.writeFileSync(${JSON.stringify(marker)}, '');
    throw new Error('solver diverged at c = 300');
  }
  return [a + b + c, a * b * c];
}
`,
    });
    await openStudy(page, served.url, flaky);
    await setRunOptions(page, { workers: '1' });
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect.poll(() => page.getByText(/A run would run 36 of 36 cases: 36 never run/).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByText(/35 done, 1 failed/).isVisible(), { timeout: 20_000 }).toBe(true);
    // The failed case is finished too: the bar is full, not stuck one short of its end.
    const bar = page.getByRole('progressbar', { name: 'Run progress' });
    expect(await bar.getAttribute('aria-valuenow')).toBe('36');
    expect(await bar.getAttribute('aria-valuemax')).toBe('36');
    expect(await bar.getAttribute('aria-valuetext')).toBe('36 of 36 cases finished');
    const details = await showRunDetails(page);
    const failures = details.getByRole('group').filter({ hasText: 'Failed cases' });
    expect(await failures.textContent()).toMatch(/c=300[\s\S]*solver diverged at c = 300/);
    expect(await failures.textContent()).not.toMatch(/Logs/); // a module model's case has no folder
    // The author's own file and line, and none of Furrow's frames.
    expect(await failures.textContent()).toMatch(/In model\.mjs, line 5, column \d+:/);
    expect(await failures.textContent()).not.toMatch(/\.vite[\\/]build|node:internal|worker\.mjs/);
    await expectAccessible(page, 'the run details with a failed case');
    await screenshotAt1440(page, 'failed-case-error');

    await details.getByRole('button', { name: 'Retry failed' }).click();
    await expect.poll(() => page.getByText(/1 done, 0 failed/).isVisible(), { timeout: 20_000 }).toBe(true);
    const history = (await showRunDetails(page)).getByRole('table', { name: 'Run history' });
    await expect.poll(() => history.getByRole('row').count()).toBe(3); // the header and two runs
    // Run, started, finished, host, status, done, failed, cancelled, skipped: newest first.
    const cells = (n: number) => history.getByRole('row').nth(n).getByRole('cell').allTextContents();
    await expect.poll(async () => (await cells(1)).slice(2)).toEqual([os.hostname(), 'done', '1', '0', '0', '35']);
    expect((await cells(2)).slice(2)).toEqual([os.hostname(), 'failed', '35', '1', '0', '0']);
    // The Cases page shows each case once, at its latest attempt (done now), and counts the attempts beside.
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Cases' }).click();
    const table = page.getByRole('table', { name: 'Cases' });
    await expect.poll(() => table.getAttribute('aria-rowcount')).toBe('37'); // 36 cases and the header
    expect(await page.getByText('36 cases (37 attempts)').isVisible()).toBe(true);
    await page.getByLabel('Condition (SQL)').fill("_status = 'failed'");
    await expect.poll(() => table.getAttribute('aria-rowcount')).toBe('1'); // no case's latest attempt failed
    await page.getByLabel('Every attempt').check();
    await expect.poll(() => table.getAttribute('aria-rowcount')).toBe('2'); // its first attempt did
    await page.getByLabel('Condition (SQL)').fill('');
    await page.getByLabel('Every attempt').uncheck();
    await expect.poll(() => table.getAttribute('aria-rowcount')).toBe('37');
    await screenshotAt1440(page, 'cases-page');
    expect(errors).toEqual([]);
  });

  it('sows a crop, grows its batches here, and reaps them into the dataset', async () => {
    const study = await exampleStudy('foo');
    await openStudy(page, served.url, study);
    await page.getByRole('tab', { name: 'Crops' }).click();
    // What sowing, growing and reaping are, before anything is sown.
    expect(await page.getByText(/cases can be sown into a crop/).isVisible()).toBe(true);
    await expectAccessible(page, 'the Crops page');
    const sow = page.getByRole('form', { name: 'Sow a crop' });
    await sow.getByLabel('Crop name').fill('night');
    await sow.getByLabel('Cases per batch', { exact: true }).fill('10');
    await sow.getByRole('button', { name: 'Sow' }).click();
    const grid = page.getByRole('list', { name: 'Batches of night' });
    await expect.poll(() => grid.getByRole('listitem').count()).toBe(4);
    expect(await grid.getByRole('listitem', { name: 'Batch 1: missing' }).isVisible()).toBe(true);
    // The legend says what each colour of a batch means.
    const legend = page.getByRole('list', { name: 'Batch states' });
    expect(await legend.getByRole('listitem').allTextContents()).toEqual(
      expect.arrayContaining(['missing: sown, not grown yet', 'grown: grown, ready to reap']),
    );

    // The job script a cluster would get, without submitting it.
    await page.getByText('Submit to a cluster').click();
    await page.getByRole('button', { name: 'Show job script' }).click();
    await expect.poll(() => page.getByLabel('Job script').textContent()).toMatch(/#SBATCH --array=1-4\n/);

    await page.getByRole('button', { name: 'Grow here' }).click();
    await expect.poll(() => grid.getByRole('listitem', { name: /grown$/ }).count(), { timeout: 30_000 }).toBe(4);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'app-crops.png'), fullPage: true });
    await expectAccessible(page, 'the Crops page with grown batches');

    await page.getByRole('button', { name: 'Reap' }).click();
    // A complete reap removes the crop, and its cases are in the run database and the dataset.
    await expect.poll(() => page.getByText('No crop yet').isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('tab', { name: 'Cases' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Cases' }).getAttribute('aria-rowcount')).toBe('37');
    await page.getByRole('tab', { name: 'Plots' }).click();
    const plot = page.getByRole('figure', { name: /Line plot of a_out against c, a line per a/ });
    await expect.poll(() => plot.locator('.scatterlayer .trace').count(), { timeout: 15_000 }).toBe(3);
    expect(errors).toEqual([]);
  });

  it('edits the parameters with live counts, saves study.yaml keeping its comments, and refuses a stale save', async () => {
    const study = await exampleStudy('foo');
    await openStudy(page, served.url, study);
    const counts = page.getByTestId('live-counts');
    await expect.poll(() => counts.textContent()).toMatch(/^36 cases: 36 new, 0 done before, 0 failed before/);

    // c: from a range to two values; a: from a combo to one value (a constant).
    await page.getByLabel('Kind of c').selectOption('values');
    await page.getByLabel('Values of c').fill('100, 200');
    await expect.poll(() => counts.textContent()).toMatch(/^18 cases/);
    expect(await page.getByLabel('Preview of c').textContent()).toBe('100, 200 (2)');
    await page.getByLabel('Role of a').selectOption('constant');
    await expect.poll(() => page.getByLabel('Value of a').inputValue()).toBe('1'); // the first of its values
    await page.getByLabel('Value of a').fill('2');
    await expect.poll(() => counts.textContent()).toMatch(/^6 cases/);
    await page.getByRole('button', { name: 'Add parameter' }).click();
    await expect.poll(() => counts.textContent()).toMatch(/^12 cases/);
    await page.getByRole('button', { name: 'Remove p1' }).click();
    await expect.poll(() => counts.textContent()).toMatch(/^6 cases/);

    // A broken edit of the text says where, and cannot be saved; Revert brings back the last good text.
    const yaml = page.getByRole('textbox', { name: 'study.yaml' });
    await page.getByRole('button', { name: 'Show the text' }).click();
    const good = await yaml.inputValue();
    await yaml.fill(`${good}\ncombos: [unclosed\n`);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/does not parse/i);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    // The file's line is for the text view, which says it beside the text.
    expect(await descriptionOf(yaml)).toMatch(/^Line \d+: /);
    // Run cannot run what cannot be saved: it says why instead.
    expect(await page.getByRole('button', { name: 'Save and run', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByText(/The study has an error .*cannot be saved or run/).isVisible()).toBe(true);
    await yaml.fill(good);
    await expect.poll(() => counts.textContent()).toMatch(/^6 cases/);
    // A field that says something wrong is marked, says what in words, and nothing is written until it is right.
    await page.getByLabel('Kind of c').selectOption('linspace');
    const points = page.getByLabel('Points of c');
    await points.fill('2.5');
    await expect.poll(() => points.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(points)).toBe('points must be a whole number of at least 2');
    await expectAccessible(page, 'the Study page with a field in error');
    await points.fill('2');
    await expect.poll(() => points.getAttribute('aria-invalid')).toBe(null);
    await expect.poll(() => page.getByLabel('Preview of c').textContent()).toBe('0, 1 (2)');
    await page.getByLabel('Kind of c').selectOption('values');
    await page.getByLabel('Values of c').fill('100, 200');
    await expect.poll(() => counts.textContent()).toMatch(/^6 cases/);

    // A dry run of unsaved edits says what the study as edited would run (a dry run saves nothing); an edit
    // since makes that stale, and it goes.
    await page.getByRole('button', { name: 'Dry run' }).click();
    const plan = page.getByText(/^The edited study \(not saved yet\) would run 6 of 6 cases: 6 never run/);
    // The engine reads the draft as a study and counts its cases: on a loaded machine, more than 10 s once.
    await expect.poll(() => plan.isVisible(), { timeout: 30_000 }).toBe(true);
    await page.getByLabel('Values of c').fill('100, 200, 300');
    await expect.poll(() => plan.count()).toBe(0);
    await page.getByLabel('Values of c').fill('100, 200');
    await expect.poll(() => counts.textContent()).toMatch(/^6 cases/);

    // Ctrl+S saves, as the Save button does (Help lists it).
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    const saved = fs.readFileSync(path.join(study, 'study.yaml'), 'utf8');
    expect(saved).toContain("# xyzpy's first example");
    expect(saved).toMatch(/c: \[ 100, 200 \]/);
    expect(saved).toMatch(/constants:\n(.*\n)*\s+a: 2/);
    expect(await counts.textContent()).toMatch(/^6 cases/);

    // Someone else changes the file: a save from here would lose that, so it is refused.
    fs.writeFileSync(path.join(study, 'study.yaml'), `${saved}# edited elsewhere\n`);
    await page.getByLabel('Values of c').fill('100, 200, 300');
    await expect.poll(() => counts.textContent()).toMatch(/^9 cases/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/changed on disk since it was opened here/);
    expect(fs.readFileSync(path.join(study, 'study.yaml'), 'utf8')).toContain('# edited elsewhere');
    await page.getByRole('button', { name: 'Reload from disk' }).click();
    await expect.poll(() => yaml.inputValue()).toContain('# edited elsewhere');
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'app-setup.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('sets up a command model, a zip group and a case column by pointing, and runs random samples', async () => {
    const study = await exampleStudy('foo');
    await openStudy(page, served.url, study);
    const counts = page.getByTestId('live-counts');
    await expect.poll(() => counts.textContent()).toMatch(/^36 cases/);

    // b and c vary together. Unequal lengths are refused, saying what to do.
    await page.getByLabel('Role of b').selectOption('zip:0');
    await expect.poll(() => page.getByLabel('Role of b').inputValue()).toBe('zip:0');
    await expect.poll(() => page.getByLabel('Role of b').locator('option:checked').textContent()).toBe('zip group 1');
    await page.getByLabel('Role of c').selectOption('zip:0');
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/'c' has 4 values but 'b' has 3; parameters that vary together need as many values each/);
    // At the field it is about: c's values are marked, and say it.
    expect(await page.getByLabel('Start of c').getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(page.getByLabel('Start of c'))).toMatch(/'c' has 4 values but 'b' has 3/);
    await page.getByLabel('Kind of c').selectOption('values');
    await page.getByLabel('Values of c').fill('100, 200, 300');
    await expect.poll(() => counts.textContent()).toMatch(/^9 cases/);
    expect(await page.getByLabel('Preview of c').textContent()).toBe('100, 200, 300 (3)');
    // The message goes with its cause.
    expect(await page.getByLabel('Values of c').getAttribute('aria-invalid')).toBe(null);
    expect(await page.getByText(/'c' has 4 values/).count()).toBe(0);
    // a becomes a case column: a case per value, and the same 9 cases.
    await page.getByLabel('Role of a').selectOption('case');
    const cases = page.getByRole('table', { name: 'Cases to run' });
    await expect.poll(() => cases.getByRole('row').count()).toBe(4); // the header and a = 1, 2, 3
    expect(await cases.getByLabel('a of case 3').inputValue()).toBe('3');
    await expect.poll(() => counts.textContent()).toMatch(/^9 cases/);
    // Cases imported from a file: a broken one names the file and the row; a good one adds its rows.
    const importer = page.getByLabel(/^Import cases from a file/);
    await importer.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n4\n') });
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/bad\.csv: line 2 has 1 values for 2 columns/);
    await importer.setInputFiles({ name: 'more.tsv', mimeType: 'text/plain', buffer: Buffer.from('a\n4\n5\n') });
    await expect.poll(() => cases.getByRole('row').count()).toBe(6);
    expect(await cases.getByLabel('a of case 5').inputValue()).toBe('5');
    await expect.poll(() => counts.textContent()).toMatch(/^15 cases/);
    await cases.getByRole('button', { name: 'Remove case 5' }).click();
    await expect.poll(() => cases.getByRole('row').count()).toBe(5);
    await cases.getByRole('button', { name: 'Remove case 4' }).click();
    await expect.poll(() => counts.textContent()).toMatch(/^9 cases/);
    // A distribution for sampling stands beside the parameters and changes no count.
    await page.getByRole('button', { name: 'Add parameter' }).click();
    await expect.poll(() => counts.textContent()).toMatch(/^18 cases/);
    // The new row takes the focus: its name is what one types next.
    await expect.poll(() => focusedLabel(page)).toBe('Name of p1');
    await page.getByLabel('Role of p1').selectOption('sample');
    await expect.poll(() => counts.textContent()).toMatch(/^9 cases/);
    await page.getByLabel('Kind of p1 (sampling)').selectOption('uniform');
    await page.getByLabel('High of p1 (sampling)').fill('2');
    await expect.poll(() => page.getByLabel('Preview of p1 (sampling)').textContent()).toBe('uniform between 0 and 2');

    // The model: a command, its arguments picked (a file of the study, a parameter), and a timeout.
    await page.getByRole('radio', { name: /^A command/ }).check();
    await page.getByLabel('Program', { exact: true }).fill('node');
    await page.getByLabel('Program', { exact: true }).blur();
    await page.getByLabel('Add a file').selectOption('model.mjs');
    await page.getByLabel('Add a parameter').selectOption('a');
    await page.getByLabel('Timeout per case (seconds)').fill('30');
    await page.getByLabel('Timeout per case (seconds)').blur();
    await expect.poll(() => page.getByLabel('Argument 2', { exact: true }).inputValue()).toBe('{a}');
    await page.getByRole('button', { name: 'Remove argument 2' }).click();
    await expect.poll(() => page.getByLabel('Argument 2', { exact: true }).count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    const saved = parseYaml(fs.readFileSync(path.join(study, 'study.yaml'), 'utf8')) as Record<string, unknown>;
    expect(saved['model']).toEqual({ command: ['node', 'model.mjs'], timeout: 30 });
    expect(saved['zip']).toEqual([{ b: [10, 20, 30], c: [100, 200, 300] }]);
    expect(saved['cases']).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(saved['sample']).toEqual({ distributions: { p1: { uniform: [0, 2] } } });
    expect(saved).not.toHaveProperty('combos');
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'app-setup-roles.png'), fullPage: true });

    // Samples are drawn from combos and distributions only: with a zip group and cases, it says why not.
    await page.getByLabel('Samples', { exact: true }).fill('20');
    await page.getByRole('button', { name: 'Run samples' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/sampling draws the combos and the sample distributions; 'a' comes from cases/);
    // Back to the module and to combos: 20 samples with a seed run, and say the seed.
    await page.getByRole('radio', { name: /^A JS module/ }).check();
    await page.getByLabel('Module file').fill('model.mjs');
    await page.getByLabel('Module file').blur();
    for (const name of ['a', 'b', 'c']) await page.getByLabel(`Role of ${name}`).selectOption('combo');
    await expect.poll(() => counts.textContent()).toMatch(/^27 cases/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    await page.getByLabel('Seed', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Run samples' }).click();
    await expect.poll(() => page.getByText(/20 done, 0 failed/).isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByText('20 samples drawn with seed 7').isVisible()).toBe(true);
    const db = JSON.parse((await furrow(['db', study, '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(db).toHaveLength(20);
    expect(db.every((r) => typeof r['p1'] === 'number' && r['p1'] >= 0 && r['p1'] < 2)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('starts a study from an example, and plots any HDF5 file opened by its path', async () => {
    const other = await exampleStudy('foo');
    expect((await furrow(['run', other])).code).toBe(0);
    const fresh = path.join(tempDir(), 'from-example');
    await page.goto(served.url);
    // From the study switcher to the start page, whose cards say what each example shows.
    const newStudy = async () => {
      await page.getByRole('button', { name: /switch study$/ }).click();
      await page.getByRole('dialog', { name: 'Switch study' }).getByRole('button', { name: 'New study…' }).click();
      const form = page.getByRole('form', { name: 'New study' });
      await form.getByRole('radio', { name: /^foo Two scalar outputs/ }).check();
      await form.getByLabel('Folder for the new study (new or empty)').fill(fresh);
      await form.getByRole('button', { name: 'Create study' }).click();
      return form;
    };
    await newStudy();
    await expect.poll(() => shownStudy(page)).toBe(fresh);
    // The new study is on its Study page, the start page's job done.
    expect(await page.getByRole('tab', { name: 'Study' }).getAttribute('aria-selected')).toBe('true');
    expect(fs.existsSync(path.join(fresh, 'study.yaml'))).toBe(true);
    // Creating into a folder that is not empty changes nothing and says why.
    const form = await newStudy();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/exists and is not empty/);
    await expectAccessible(page, 'the start page with an error');

    await page.getByRole('tab', { name: 'Plots' }).click();
    await expect.poll(() => page.getByText(/No dataset yet/).isVisible()).toBe(true);
    const file = path.join(other, 'data', 'foo.nc');
    await page.getByLabel('HDF5 / NetCDF file').fill(file);
    await page.getByRole('button', { name: 'Open file' }).click();
    await expect.poll(() => page.getByText(`Showing ${file}`).isVisible()).toBe(true);
    const plot = page.getByRole('figure', { name: /Line plot of a_out against c, a line per a/ });
    await expect.poll(() => plot.locator('.scatterlayer .trace').count(), { timeout: 15_000 }).toBe(3);
    await page.getByRole('button', { name: "Back to the study's dataset" }).click();
    await expect.poll(() => page.getByText(/No dataset yet/).isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows a run started from the command line live, from the run database', async () => {
    const slow = await exampleStudy('foo', {
      model: `export default async function foo({ a, b, c }) {
  await new Promise((r) => setTimeout(r, 150));
  return [a + b + c, a * b * c];
}
`,
    });
    await openStudy(page, served.url, slow);
    const cli = spawn(process.execPath, [CLI, 'run', slow, '--workers', '1'], { stdio: 'ignore' });
    try {
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Run by furrow run' }).textContent(), {
          timeout: 15_000,
        })
        .toContain(`(pid ${cli.pid})`);
      const bar = page.getByRole('progressbar', { name: 'Run progress' });
      await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
      expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0); // not this window's to stop
      // Seen from every page: the Plots page shows the same run bar.
      await page.getByRole('tab', { name: 'Plots' }).click();
      expect(await page.getByRole('status').filter({ hasText: 'Run by furrow run' }).isVisible()).toBe(true);
      await expect.poll(() => page.getByText(/36 done, 0 failed/).isVisible(), { timeout: 20_000 }).toBe(true);
      const history = (await showRunDetails(page)).getByRole('table', { name: 'Run history' });
      await expect.poll(() => history.getByRole('row').count()).toBe(2);
    } finally {
      cli.kill();
    }
    expect(errors).toEqual([]);
  });

  it("shows a failed command's reason, the end of its stderr, and where its folder is", async () => {
    const study = await exampleStudy('foo', {
      studyYaml: `name: cmd
model: {command: ['{node}', ./model.mjs, '{x}']}
outputs: {y: {}}
combos:
  x: [1, 2, 3]
`,
      model: `const x = Number(process.argv[2]);
if (x === 2) { console.error('matrix is singular at x = 2'); process.exit(4); }
console.log(JSON.stringify({ y: x * x }));
`,
    });
    await openStudy(page, served.url, study);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByText(/2 done, 1 failed/).isVisible(), { timeout: 20_000 }).toBe(true);
    const failures = (await showRunDetails(page)).getByRole('group').filter({ hasText: 'Failed cases' });
    const text = (await failures.textContent()) ?? '';
    expect(text).toMatch(/x=2[\s\S]*exited with code 4[\s\S]*matrix is singular at x = 2/);
    const folder = /Logs \(stdout\.log, stderr\.log\) in (\S+)/.exec(text)?.[1];
    expect(folder).toMatch(new RegExp(`^${study.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/cases/`));
    expect(fs.readFileSync(path.join(folder!, 'stderr.log'), 'utf8')).toContain('matrix is singular');
    // No file manager to open from a browser: the button is the desktop app's.
    expect(await failures.getByRole('button', { name: /Open the folder/ }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("shows a model's syntax error at its line, on Try one case and in the run bar", async () => {
    const study = await exampleStudy('foo', {
      model: "// xyzpy's foo\nexport default function foo({ a, b, c }) {\n  return [a + b +* c, a * b * c];\n}\n",
    });
    await openStudy(page, served.url, study);
    await page.getByRole('button', { name: 'Try one case' }).click();
    const tried = page.locator('.try-case .model-error');
    await expect.poll(() => tried.textContent(), { timeout: 15_000 }).toMatch(/In model\.mjs, line 3, column 18:/);
    // The line itself, a mark under the column, and Node's words; no path of the study, none of Furrow's frames.
    expect(await tried.locator('.source-line').textContent()).toBe(
      `3 |   return [a + b +* c, a * b * c];\n${' '.repeat('3 | '.length + 17)}^`,
    );
    const said = (await tried.textContent()) ?? '';
    expect(said).toContain("model.mjs could not be loaded: SyntaxError: Unexpected token '*'");
    expect(said).not.toMatch(/\.vite[\\/]build|node:internal|worker\.mjs/);
    expect(said).not.toContain(study);
    await screenshotAt1440(page, 'model-syntax-error-try');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toMatch(/In model\.mjs, line 3, column 18:/);
    expect(await alert.textContent()).toContain('3 |   return [a + b +* c, a * b * c];');
    await expectAccessible(page, "a model's syntax error in the run bar");
    await screenshotAt1440(page, 'model-syntax-error-run');
    expect(errors).toEqual([]);
  });

  it('tries one case without recording it, and fills in the outputs section from what came back', async () => {
    const study = await exampleStudy('foo', {
      studyYaml: `name: tryme
model: {module: ./model.mjs}
outputs:
  energy: {} # the total energy
combos:
  x: [1, 2]
`,
      model: 'export default ({ x }) => ({ energy: -x, trace: [x, 2 * x, 3 * x], label: `x${x}` });\n',
    });
    await openStudy(page, served.url, study);
    await page.getByRole('button', { name: 'Try one case' }).click();
    const outputs = page.getByRole('table', { name: 'Outputs of the tried case' });
    await expect.poll(() => outputs.getByRole('row').count(), { timeout: 15_000 }).toBe(4);
    expect(await outputs.getByRole('row').nth(2).textContent()).toBe('trace3number1, 2, 3');
    expect(fs.existsSync(path.join(study, 'runs.sqlite'))).toBe(false); // nothing recorded

    await page.getByRole('button', { name: 'Use these outputs' }).click();
    const yaml = page.getByRole('textbox', { name: 'study.yaml' });
    await page.getByRole('button', { name: 'Show the text' }).click();
    await expect.poll(() => yaml.inputValue()).toMatch(/trace: \{ dims: \[ trace_dim0 \] \}/);
    expect(await yaml.inputValue()).toContain('# the total energy');
    // The outputs form edits the same section: the trace's dim gets a better name.
    const dims = page.getByLabel('Dims of output trace');
    await expect.poll(() => dims.inputValue()).toBe('trace_dim0');
    await dims.fill('step');
    await dims.blur();
    await expect.poll(() => yaml.inputValue()).toMatch(/trace: \{ dims: \[ step \] \}/);
    // Its coords: positions until chosen, then three points between 0 and 1.
    const coords = page.getByLabel('Coords of step');
    expect(await coords.inputValue()).toBe('positions');
    await coords.selectOption('linspace');
    await page.getByLabel('Points of coords step').fill('3');
    await expect.poll(() => yaml.inputValue()).toMatch(/coords:\n\s+step: \{ linspace: \[ 0, 1, 3 \] \}/);
    await expect.poll(() => page.getByTestId('live-counts').textContent()).toMatch(/^2 cases/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.').isVisible()).toBe(true);
    // The saved outputs fit: a run stores all three. Ctrl+Enter runs, as Run does.
    await page.getByRole('button', { name: 'Help' }).click();
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).textContent()).toMatch(/Ctrl\+Enter/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByText(/2 done, 0 failed/).isVisible(), { timeout: 20_000 }).toBe(true);
    const inspected = JSON.parse(
      (await furrow(['inspect', path.join(study, 'data', 'tryme.nc'), '--json'])).stdout,
    ) as {
      dims: { name: string; values?: unknown[] }[];
    };
    expect(inspected.dims.find((d) => d.name === 'step')?.values).toEqual([0, 0.5, 1]);
    expect(errors).toEqual([]);
  });
});
