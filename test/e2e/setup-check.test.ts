// Help → Check setup in Chromium through `furrow serve`: the same report as `furrow doctor`, a line each, with what
// to do where something is missing; photographed at 1440×900 and 1024×700, light and dark, into test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { appSession, expectAccessible, openCheckSetup } from '../helpers/chromium';
import { exampleStudy, furrow, ROOT } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'Help → Check setup', () => {
  let study = '';
  const app = appSession(
    async () => {
      study = await exampleStudy('foo');
      expect((await furrow(['run', study, '-q'])).code).toBe(0);
      // A run database that is not one: the check must say so, and what to do.
      fs.writeFileSync(path.join(study, 'runs.sqlite'), 'not a database');
      return study;
    },
    { width: 1440, height: 900 },
  );

  it('lists what furrow doctor lists, says what is missing and what to do, and checks again', async () => {
    const { page, served, errors } = app;
    await page.goto(served.url);
    const dialog = await openCheckSetup(page);
    // The check reads the dataset and asks each scheduler whose commands are here (up to 5 s): on a loaded machine,
    // seconds. (It once seemed to take over 60 s: the dialog had been closed by the study arriving late, which
    // late-study.test.ts covers.)
    await expect.poll(() => dialog.getByRole('listitem').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    const doctor = JSON.parse((await furrow(['doctor', study, '--json'])).stdout) as {
      lines: { check: string; state: string }[];
    };
    const row = (check: string) => dialog.getByRole('listitem').filter({ has: page.getByText(check, { exact: true }) });
    for (const line of doctor.lines) {
      const word = { ok: 'ok', warning: 'warn', error: 'fail' }[line.state]!;
      expect(await row(line.check).first().textContent(), line.check).toMatch(new RegExp(`^${word}`));
    }
    expect(await row('run database').textContent()).toMatch(/damaged.*To do: move it aside/);
    expect(await dialog.getByRole('status').first().textContent()).toMatch(/Some of what the study needs is missing/);
    await expectAccessible(page, 'Check setup with a damaged database');

    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      // At each size the buttons are in view (the lines scroll, not the whole dialog).
      const again = await dialog.getByRole('button', { name: 'Check again' }).boundingBox();
      expect(again!.y + again!.height, `Check again in view at ${width}×${height}`).toBeLessThanOrEqual(height - 50);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: path.join(ROOT, 'test-results', `setup-check-${width}-${scheme}.png`) });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });

    // Fixed on disk (the damaged file moved aside), checked again: all is there.
    fs.renameSync(path.join(study, 'runs.sqlite'), path.join(study, 'runs.sqlite.damaged'));
    await dialog.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => row('run database').textContent()).toMatch(/^ok/);
    expect(await dialog.getByRole('status').first().textContent()).toMatch(/All that the study needs is here/);
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
