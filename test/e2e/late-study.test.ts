// A page whose study arrives late (the engine answers `study.current` after the person has started doing things: a
// loaded machine, a big study), in Chromium through `furrow serve`, the reply held back until the test lets it go.
// What the person opened meanwhile stays open, and what they typed stays typed; the page moves on to the study.
// (Under the whole suite's load this once closed Check setup and the study switcher under the tests' hands.)
import { expect, it } from 'vitest';
import { appSession, holdReplies, openCheckSetup, openStudy, screenshots, shownStudy } from '../helpers/chromium';
import { exampleStudy } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

describeWith('chromium', 'a study that arrives late', () => {
  /** The study the engine holds, which the page asks for when it loads. */
  let study = '';
  const app = appSession(async () => (study = await exampleStudy('foo')), { width: 1440, height: 900 });

  it('leaves Check setup open, with its report, when the study arrives, and shows the Study page behind it', async () => {
    const { page, served, errors } = app;
    const late = await holdReplies(page, 'study.current');
    await page.goto(served.url);
    const dialog = await openCheckSetup(page);
    await expect.poll(() => dialog.getByRole('listitem').count()).toBeGreaterThan(5);
    // The page asked for its study and has not had it yet.
    expect(late.held()).toBe(1);
    expect(await shownStudy(page)).toBe(null);

    late.release();
    await expect.poll(() => shownStudy(page)).toBe(study);
    await expect.poll(() => page.getByRole('tab', { name: 'Study' }).getAttribute('aria-selected')).toBe('true');
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('status').first().textContent()).toContain(`Study: ${study}`);
    expect(await dialog.getByRole('listitem').count()).toBeGreaterThan(5);
    await screenshots(page, 'late-study-setup');

    // Another window opens another study: the dialog checks again, of that study. A check of the study before that
    // answers last is not shown.
    const other = await exampleStudy('foo');
    const checks = await holdReplies(page, 'setup.check');
    await dialog.getByRole('button', { name: 'Check again' }).click();
    const second = await app.browser.newPage();
    await openStudy(second, served.url, other);
    await expect.poll(() => shownStudy(page)).toBe(other);
    study = other;
    await expect.poll(() => checks.held()).toBe(2);
    checks.release('newest first');
    await expect.poll(() => dialog.getByRole('status').first().textContent()).toContain(`Study: ${other}`);
    await page.waitForTimeout(500); // the older reply is in by now
    expect(await dialog.getByRole('status').first().textContent()).toContain(`Study: ${other}`);
    expect(await dialog.getByRole('button', { name: 'Check again' }).isEnabled()).toBe(true);
    await second.close();
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('leaves the study switcher open, with the folder typed in it, then closes it when that folder opens', async () => {
    const { page, served, errors } = app;
    const other = await exampleStudy('foo');
    const late = await holdReplies(page, 'study.current');
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Open a study…' }).click();
    const switcher = page.getByRole('dialog', { name: 'Switch study' });
    await switcher.getByLabel('Study folder').fill(other);
    expect(late.held()).toBe(1);

    late.release();
    await expect.poll(() => shownStudy(page)).toBe(study);
    expect(await switcher.isVisible()).toBe(true);
    expect(await switcher.getByLabel('Study folder').inputValue()).toBe(other);

    // Opened from it, the switcher has done its job and closes.
    await switcher.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => shownStudy(page)).toBe(other);
    await expect.poll(() => switcher.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
