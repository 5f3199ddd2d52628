// `npm run build`: everything into .vite/, exactly as Electron Forge's Vite plugin builds it, because it is
// Forge's own config generator, fed forge.config.ts, that resolves the Vite configs here:
//   .vite/build/{main.cjs, preload.cjs, host.mjs, worker.mjs, condition.mjs, cli.mjs}   .vite/renderer/main_window/
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, loadConfigFromFile } from 'vite';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const verbose = process.argv.includes('--verbose');

const forge = await loadConfigFromFile(
  { command: 'build', mode: 'production' },
  path.join(root, 'forge.config.ts'),
  root,
  'silent',
);
const vitePlugin = forge?.config.plugins?.find((p) => p?.name === 'vite');
if (!vitePlugin) throw new Error('forge.config.ts has no Vite plugin');

// What `electron-forge package` does before it builds: production mode, rooted at the project.
vitePlugin.setDirectories(root);
vitePlugin.isProd = true;
const generator = vitePlugin.configGenerator;
const configs = [...(await generator.getRendererConfig()), ...(await generator.getBuildConfigs())];
rmSync(path.join(root, '.vite'), { recursive: true, force: true });
for (const config of configs) {
  await build({ ...config, configFile: false, logLevel: verbose ? 'info' : 'warn' });
}
console.log('built .vite/ (renderer, main, preload, engine host, model worker, cli)');
