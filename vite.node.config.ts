// Everything that runs in plain Node as ES modules: the engine host, the model worker and the CLI.
// Dependencies are bundled in (h5wasm's wasm is inlined), so a packaged app needs no node_modules for them;
// only native addons will stay external.
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'dist/build',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        host: 'electron/host/engine-host.ts',
        worker: 'electron/engine/worker.ts',
        cli: 'electron/cli/main.ts',
      },
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'electron'],
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
  ssr: { noExternal: true },
});
