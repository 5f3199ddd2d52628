// Debian's Chromium for the end-to-end tests, launched as `furrow export` launches it (the same flags: headless,
// nothing from the network, nothing outside its profile), with a fresh, empty profile (--user-data-dir) each time.
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM_FLAGS } from '../../electron/cli/export';
import { serveStudy, tempDir } from './furrow';
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

/** Collect the page's uncaught errors and console errors into `errors`: each test expects none. */
export function recordErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
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
export function appSession(prepare: () => Promise<string>, viewport?: { width: number; height: number }): AppSession {
  const session = { errors: [] as string[] } as AppSession;
  beforeAll(async () => {
    session.served = await serveStudy(await prepare());
    session.browser = await launchChromium(viewport);
    session.page = await session.browser.newPage();
    recordErrors(session.page, session.errors);
  }, 120_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.served?.stop();
  });
  return session;
}
