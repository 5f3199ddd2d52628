// A run whose values clash with the stored ones, resolved in the app (issue 24): a stochastic model run twice under
// Overwrite error leaves its second run in conflict; the run bar says so in a sentence with two buttons, and "Keep
// the new values" puts that run's values in the dataset, the message gone. The real UI in Debian's Chromium, served
// by `furrow serve`; photographed at 1440×900 and 1024×700, light and dark,
// into test-results/.
import path from 'node:path';
import { expect, it } from 'vitest';
import { readSlice } from '../../electron/engine/dataset/netcdf-read';
import { appSession, expectAccessible, screenshots } from '../helpers/chromium';
import { exampleStudy, furrow, ROOT } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'a run in conflict, resolved in the app', () => {
  let study = '';
  const app = appSession(async () => {
    study = await exampleStudy('foo', {
      studyYaml: 'name: noisy\nmodel: {module: ./model.mjs}\noutputs: {z: {}}\ncombos:\n  x: [1, 2, 3]\n',
      model: 'export default ({ x }) => ({ z: x + Math.random() });\n',
    });
    const first = await furrow(['run', study, '--json']);
    expect(first.code, first.stderr).toBe(0);
    return study;
  });

  /** z of each case of run `runSeq`, as the run database holds them, in the order of x. */
  const zOfRun = async (runSeq: number): Promise<number[]> => {
    const db = await furrow(['db', study, '--format', 'json', '--where', `_run_seq = ${runSeq}`]);
    expect(db.code, db.stderr).toBe(0);
    const rows = JSON.parse(db.stdout) as { x: number; z: number }[];
    return rows.sort((a, b) => a.x - b.x).map((r) => r.z);
  };

  it('says run 2 differs, offers both choices, and Keep the new values puts them in the dataset', async () => {
    const { page, errors } = app;
    await page.goto(app.served.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Study', exact: true }).isVisible()).toBe(true);
    const dataset = path.join(study, 'data', 'noisy.nc');
    const stored = (await readSlice(dataset, 'z', {})).values;

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const conflict = page.getByRole('group', { name: 'Run 2 in conflict' });
    await expect.poll(() => conflict.count(), { timeout: 60_000 }).toBe(1);
    expect(await conflict.textContent()).toContain("Run 2's values differ from the stored ones; its results are kept.");
    // What differs is said there too, without a command line to type.
    expect(await conflict.textContent()).toMatch(/noisy\.nc: 'z' at x=1: the dataset holds/);
    expect(await conflict.textContent()).not.toMatch(/furrow dataset resolve|--overwrite/);
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible(page, 'the run bar with a run in conflict');
    await screenshots(page, 'conflict-run-bar');
    // Nothing was written yet: the dataset holds the first run's values.
    expect((await readSlice(dataset, 'z', {})).values).toEqual(stored);
    const kept = await zOfRun(2);
    expect(kept).toHaveLength(3);
    expect(kept).not.toEqual(stored);

    await conflict.getByRole('button', { name: 'Keep the new values' }).click();
    await expect.poll(() => conflict.count(), { timeout: 30_000 }).toBe(0);
    const bar = page.getByRole('region', { name: 'Run' });
    await expect.poll(() => bar.textContent()).toMatch(/Last run \(#2.*\): resolved, 3 done/);
    expect(await bar.getByRole('status').filter({ hasText: "Run 2's values are in the dataset now" }).count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect((await readSlice(dataset, 'z', {})).values).toEqual(kept);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'conflict-resolved-1440x900.png') });
    expect(errors).toEqual([]);
  }, 120_000);
});
