#!/usr/bin/env node
// The `furrow` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs too).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../.vite/build/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error('furrow: the command line is not built yet; run `npm run build` in the Furrow folder');
  process.exit(2);
}
await import(cli);
