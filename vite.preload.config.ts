// The preload bridge: one self-contained CommonJS file (.vite/build/preload.cjs), since a sandboxed preload may
// require only `electron`. Forge's Vite plugin supplies the format and the single-chunk output.
import { defineConfig } from 'vite';

export default defineConfig({
  build: { minify: false, target: 'chrome140' },
});
