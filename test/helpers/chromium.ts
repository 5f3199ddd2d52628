// Debian's Chromium for the end-to-end tests, launched the one way: headless, with the flags that keep it from
// touching the network or anything outside its profile, and a fresh, empty profile (--user-data-dir) each time.
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { tempDir } from './furrow';
import { CHROMIUM } from './tools';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(viewport?: { width: number; height: number }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('furrow-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    ...(viewport ? { viewport } : {}),
  });
}
