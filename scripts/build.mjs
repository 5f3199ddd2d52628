// `npm run build`: the renderer, Electron main and preload, and the Node entries (engine host, model worker,
// CLI) into dist/, in the layout Electron Forge's Vite plugin uses (build/ beside renderer/main_window/).
import { rmSync } from 'node:fs';
import { build } from 'vite';

rmSync('dist', { recursive: true, force: true });
const quiet = process.argv.includes('--verbose') ? 'info' : 'warn';
for (const configFile of [
  'vite.renderer.config.ts',
  'vite.node.config.ts',
  'vite.main.config.ts',
  'vite.preload.config.ts',
]) {
  await build({ configFile, logLevel: quiet });
}
console.log('built dist/ (renderer, main, preload, engine host, worker, cli)');
