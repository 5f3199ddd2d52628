// The one place h5wasm is loaded. Its calls are synchronous: this module lives in the engine host and
// the command line, never on Electron's main thread or in the renderer.
import h5wasm from 'h5wasm/node';

export type H5 = typeof h5wasm;
let loading: Promise<H5> | undefined;

export function loadH5(): Promise<H5> {
  loading ??= h5wasm.ready.then((module) => {
    // Without this, a missing file returns an invalid handle and a missing filter returns garbage.
    module.activate_throwing_error_handler();
    return h5wasm;
  });
  return loading;
}
