// Electron main. Electron Forge's Vite plugin supplies the rest (CommonJS, .vite/build/main.cjs, externals);
// `npm run build` goes through the same plugin code (scripts/build.mjs), so both build alike.
import { defineConfig } from 'vite';

export default defineConfig({
  build: { minify: false, sourcemap: true, target: 'node22' },
});
