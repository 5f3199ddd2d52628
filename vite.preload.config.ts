// The preload bridge as one self-contained CommonJS file: a sandboxed preload may require only `electron`.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: true,
    target: 'chrome140',
    outDir: 'dist/build',
    emptyOutDir: false,
    minify: false,
    rollupOptions: {
      input: { preload: 'electron/preload.ts' },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
    },
  },
  ssr: { noExternal: true },
});
