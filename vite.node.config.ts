// Everything that runs in plain Node as ES modules: the engine host, the model worker, the CLI and the library,
// side by side in .vite/build/ (host.mjs, worker.mjs, bootstrap.mjs, condition.mjs, cli.mjs, lib.mjs and their shared chunks). Dependencies are bundled in,
// so a packaged app needs no node_modules for them; h5wasm's WebAssembly goes beside them as hdf5_util.wasm.
// Setting `build.lib` here keeps Forge's Vite plugin from making CommonJS of it.
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';

/**
 * h5wasm's Node build carries its 4 MB of WebAssembly as a string literal in its JavaScript. Every process that
 * loads it then spends about 0.25 s parsing and decoding that string before compiling the WebAssembly, and a
 * `furrow run` pays it on every run. This writes the bytes to hdf5_util.wasm and reads that file instead.
 */
function h5wasmBinaryBeside(): Plugin {
  const call = "function findWasmBinary(){return binaryDecode('";
  return {
    name: 'furrow-h5wasm-binary-beside',
    transform(code, id) {
      if (!/h5wasm[\\/]dist[\\/]node[\\/]hdf5_util\.js$/.test(id)) return null;
      const start = code.indexOf(call);
      if (start < 0)
        throw new Error(`${id}: h5wasm no longer embeds its binary as expected; update h5wasmBinaryBeside`);
      // The literal ends at the first quote that no backslash escapes.
      const open = start + call.length - 1;
      let end = open + 1;
      while (code[end] !== "'") end += code[end] === '\\' ? 2 : 1;
      const text = new Function(`return ${code.slice(open, end + 1)}`)() as string;
      // Decoded as h5wasm's own binaryDecode does it.
      const bytes = Uint8Array.from(text, (ch) => {
        const c = ch.charCodeAt(0);
        return (~c >> 8) & c;
      });
      if (String.fromCharCode(...bytes.subarray(1, 4)) !== 'asm')
        throw new Error(`${id}: the embedded binary is not WebAssembly`);
      this.emitFile({ type: 'asset', fileName: 'hdf5_util.wasm', source: bytes });
      const read = 'return new Uint8Array(require("fs").readFileSync(new URL("./hdf5_util.wasm", import.meta.url)))';
      return { code: code.slice(0, start) + `function findWasmBinary(){${read}` + code.slice(end + 2), map: null };
    },
  };
}

export default defineConfig({
  plugins: [h5wasmBinaryBeside()],
  build: {
    ssr: true,
    // An SSR build drops emitted assets unless told otherwise: hdf5_util.wasm is one.
    ssrEmitAssets: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        host: 'electron/host/engine-host.ts',
        worker: 'electron/engine/run/worker.ts',
        // A thread of the Sobol analysis's bootstrap (electron/engine/sensitivity/bootstrap.ts).
        bootstrap: 'electron/engine/sensitivity/bootstrap-thread.ts',
        // Reads the cases table with a person's SQL condition, killed when the condition runs too long.
        condition: 'electron/engine/db/condition-process.ts',
        cli: 'electron/cli/main.ts',
        // Not run by Furrow itself: handed to JavaScript command models as FURROW_H5.
        h5: 'electron/engine/dataset/h5-kit.ts',
        // The library: `import { comboRunner } from 'furrow'` (package.json's exports).
        lib: 'electron/lib/index.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    },
  },
  // Bundle every dependency but the native addon, which loads its compiled .node file from node_modules, and
  // playwright-core (`furrow export` drives Chromium with it), which finds its own files beside its code.
  ssr: { noExternal: true, external: ['better-sqlite3', 'playwright-core'] },
});
