// Debian's Chromium for the end-to-end tests, launched as `furrow export` launches it (the same flags: headless,
// nothing from the network, nothing outside its profile), with a fresh, empty profile (--user-data-dir) each time.
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../electron/cli/export';
import { tempDir } from './furrow';
import { CHROMIUM } from './tools';

export function launchChromium(viewport?: { width: number; height: number }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('furrow-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    ...(viewport ? { viewport } : {}),
  });
}
