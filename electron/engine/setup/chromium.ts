// Where Furrow finds a Chromium or Chrome to draw plots in (`furrow export`, and the setup check that says so).
import fs from 'node:fs';
import { FurrowError } from '../errors';

const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export const CHROMIUM_MISSING =
  'install Chromium or Chrome (Debian: apt-get install chromium), or give its path with --chromium PATH or FURROW_CHROMIUM';

/** The Chromium to use: `given`, else FURROW_CHROMIUM, else the first found in the usual places. */
export function findChromium(given?: string): string {
  const chosen = given ?? process.env['FURROW_CHROMIUM'];
  if (chosen) {
    if (!fs.existsSync(chosen)) throw new FurrowError('bad-input', `Chromium: ${chosen} does not exist`);
    return chosen;
  }
  const found = CHROMIUM_CANDIDATES.find((c) => fs.existsSync(c));
  if (!found) {
    throw new FurrowError(
      'bad-input',
      'furrow export draws the plots in Chromium or Chrome, and neither was found; install one ' +
        '(Debian: apt-get install chromium) or give its path with --chromium PATH',
    );
  }
  return found;
}
