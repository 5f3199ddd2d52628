// Everything that runs in plain Node as ES modules: the engine host, the model worker and the CLI, side by
// side in .vite/build/ (host.mjs, worker.mjs, cli.mjs and their shared chunks). Dependencies are bundled in
// (h5wasm's wasm is inlined), so a packaged app needs no node_modules for them.
// Setting `build.lib` here keeps Forge's Vite plugin from making CommonJS of it.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        host: 'electron/host/engine-host.ts',
        worker: 'electron/engine/worker.ts',
        cli: 'electron/cli/main.ts',
        // Not run by Furrow itself: handed to JavaScript command models as FURROW_H5.
        h5: 'electron/engine/h5-kit.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    },
  },
  // Bundle every dependency but the native addon, which loads its compiled .node file from node_modules.
  ssr: { noExternal: true, external: ['better-sqlite3'] },
});
