// Debian's Chromium for the end-to-end tests, launched as `furrow export` launches it (the same flags: headless,
// nothing from the network, nothing outside its profile), with a fresh, empty profile (--user-data-dir) each time.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { CHROMIUM_FLAGS } from '../../electron/cli/export';
import { ROOT, serveStudy, tempDir } from './furrow';
import type { Served } from './furrow';
import { CHROMIUM } from './tools';

export function launchChromium(viewport?: { width: number; height: number }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('furrow-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    ...(viewport ? { viewport } : {}),
  });
}

/**
 * Collect the page's uncaught errors, console errors and Content-Security-Policy refusals into `errors`: each test
 * expects none. (A refusal is no console error: code that catches it, as plotly's WebGL traces did with their eval,
 * would otherwise fail without a word.)
 */
export async function recordErrors(page: Page, errors: string[]): Promise<void> {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // In the page (a script as text: the tests are compiled without the DOM's types).
  await page.addInitScript(`addEventListener('securitypolicyviolation', (e) =>
    console.error('Content-Security-Policy refused ' + e.blockedURI + ' (' + e.violatedDirective + ') in ' + e.sourceFile));`);
}

/** The app at `url`, its Plots tab showing the HDF5/NetCDF file `file`, opened by its path as a person would. */
export async function openInPlots(page: Page, url: string, file: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Plots' }).click();
  await page.getByLabel('HDF5 / NetCDF file').fill(file);
  await page.getByRole('button', { name: 'Open file' }).click();
  await expect.poll(() => page.getByText(`Showing ${file}`).isVisible()).toBe(true);
}

/** An RGBA picture of part of the page, as a person sees it. */
export interface ScreenPixels {
  width: number;
  height: number;
  data: Uint8Array;
  /** [r, g, b, a] at (x, y). */
  at(x: number, y: number): number[];
}

/**
 * A screenshot of an element (in CSS pixels from its top left corner), decoded by the browser itself in a blank
 * page of its own, so the app's page is left as it was.
 */
export async function screenPixels(element: Locator): Promise<ScreenPixels> {
  const png = await element.screenshot({ scale: 'css' });
  const blank = await element.page().context().newPage();
  try {
    const { width, height, rgba } = (await blank.evaluate(`(async () => {
      const image = new Image();
      image.src = 'data:image/png;base64,${png.toString('base64')}';
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(image, 0, 0);
      const d = ctx.getImageData(0, 0, image.width, image.height).data;
      let bin = '';
      for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
      return { width: image.width, height: image.height, rgba: btoa(bin) };
    })()`)) as { width: number; height: number; rgba: string };
    const data = new Uint8Array(Buffer.from(rgba, 'base64'));
    return {
      width,
      height,
      data,
      at: (x, y) => Array.from(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)),
    };
  } finally {
    await blank.close();
  }
}

export interface AppSession {
  served: Served;
  browser: BrowserContext;
  page: Page;
  /** The page's errors so far: each test expects none. */
  errors: string[];
}

/**
 * For one describe block: the study `prepare` makes, served by `furrow serve`, and a page in a fresh Chromium,
 * closed after the block. Its fields are filled in before the first test.
 */
export function appSession(
  /** The study to serve; null: none (the app starts on its start page). */
  prepare: () => Promise<string | null>,
  viewport?: { width: number; height: number },
): AppSession {
  const session = { errors: [] as string[] } as AppSession;
  beforeAll(async () => {
    session.served = await serveStudy(await prepare());
    session.browser = await launchChromium(viewport);
    session.page = await session.browser.newPage();
    await recordErrors(session.page, session.errors);
  }, 120_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.served?.stop();
  });
  return session;
}

/**
 * axe-core over the page as it is now: no serious or critical violation of WCAG or best practice. `where` names the
 * page and state in the failure message.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  expect(bad, `accessibility on ${where}`).toEqual([]);
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The folder of the study the header shows (its switcher's title), or null with none open. */
export function shownStudy(page: Page): Promise<string | null> {
  return page.getByRole('button', { name: /switch study$|^Open a study…$/ }).getAttribute('title');
}

/** Open a study folder from the header's study switcher, as a person would, and wait until the header shows it. */
export async function openStudy(page: Page, url: string, dir: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: /switch study$|^Open a study…$/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch study' });
  await dialog.getByLabel('Study folder').fill(dir);
  // (Under load, the study the page was still waiting for used to close the switcher here: late-study.test.ts.)
  await dialog.getByRole('button', { name: 'Open', exact: true }).click();
  await expect
    .poll(() => page.getByRole('button', { name: new RegExp(`${escaped(dir)}\\s*,\\s*switch study$`) }).count())
    .toBe(1);
}

/** Help → Check setup…, as a person opens it; the dialog. */
export async function openCheckSetup(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Help' }).click();
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByRole('button', { name: 'Check setup…' }).click();
  return page.getByRole('dialog', { name: 'Check setup' });
}

/** Set the run options (beside Run in the run bar), then close them. */
export async function setRunOptions(page: Page, options: { workers?: string; missingOnly?: boolean }): Promise<void> {
  await page.getByRole('button', { name: 'Run options' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run options' });
  if (options.workers !== undefined) await dialog.getByLabel('Workers').fill(options.workers);
  if (options.missingOnly !== undefined) await dialog.getByLabel('Missing only').setChecked(options.missingOnly);
  // Escape closes them, and the keyboard is back on the button that opened them.
  await page.keyboard.press('Escape');
  await expect.poll(() => dialog.count()).toBe(0);
  expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Run options');
}

/** Open the run details (running and failed cases, the runs before) from the run bar, if they are not open. */
export async function showRunDetails(page: Page): Promise<Locator> {
  const button = page.getByRole('button', { name: /^Run details/ });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  return page.getByRole('region', { name: 'Run details' });
}

/** The text of the element that describes a field (its aria-describedby), as a screen reader reads it out. */
export async function descriptionOf(field: Locator): Promise<string | null> {
  const ids = await field.getAttribute('aria-describedby');
  if (!ids) return null;
  const texts = await Promise.all(ids.split(/\s+/).map((id) => field.page().locator(`#${id}`).textContent()));
  return texts.join(' ');
}

/** The accessible label (aria-label) of the focused element: where the keyboard is. */
export function focusedLabel(page: Page): Promise<string | null> {
  return page.evaluate('document.activeElement && document.activeElement.getAttribute("aria-label")') as Promise<
    string | null
  >;
}

/**
 * The page as it is now at 1440×900 and 1024×700, light and dark, into test-results/<name>-<width>-<scheme>.png (to
 * look at); left at 1440×900, light. `before` runs before each shot, once the size and scheme are set (to scroll
 * what is shown into view).
 */
export async function screenshots(page: Page, name: string, before?: () => Promise<void>): Promise<void> {
  for (const [width, height] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(400); // plots follow the width and the scheme
      await before?.();
      await page.screenshot({ path: path.join(ROOT, 'test-results', `${name}-${width}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** The engine's replies to chosen requests, held back on their way to the page (see `holdReplies`). */
export interface HeldReplies {
  /** How many replies are waiting. */
  held(): number;
  /** Send the waiting replies on (in the order they came, or the newest first), and hold no more. */
  release(order?: 'newest first'): void;
}

interface Holding {
  method: string | null;
  asked: Set<number>;
  waiting: (() => void)[];
}
const holdings = new WeakMap<Page, Holding>();

/**
 * Hold the engine's replies to `method` on `furrow serve`'s WebSocket until `release()`: an engine that answers
 * late (a loaded machine, a big study) made certain. Every other message passes as it is. Call it before the page
 * loads (the replies of its next load are held).
 */
export async function holdReplies(page: Page, method: string): Promise<HeldReplies> {
  let holding = holdings.get(page);
  if (!holding) {
    const h: Holding = { method: null, asked: new Set(), waiting: [] };
    holdings.set(page, (holding = h));
    await page.routeWebSocket(/\/api(\?.*)?$/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const request = typeof message === 'string' ? (JSON.parse(message) as { id: number; method: string }) : null;
        if (request && request.method === h.method) h.asked.add(request.id);
        server.send(message);
      });
      server.onMessage((message) => {
        const reply = typeof message === 'string' ? (JSON.parse(message) as { kind: string; id?: number }) : null;
        if (h.method && reply?.id !== undefined && h.asked.has(reply.id)) h.waiting.push(() => ws.send(message));
        else ws.send(message);
      });
    });
  }
  Object.assign(holding, { method, asked: new Set(), waiting: [] });
  const h = holding;
  return {
    held: () => h.waiting.length,
    release: (order) => {
      h.method = null;
      const sends = h.waiting.splice(0);
      (order ? sends.reverse() : sends).forEach((send) => send());
    },
  };
}
