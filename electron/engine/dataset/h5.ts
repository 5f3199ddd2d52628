// The one place h5wasm is loaded. Its calls are synchronous: this module lives in the engine host and
// the command line, never on Electron's main thread or in the renderer.
import type h5wasmNamespace from 'h5wasm/node';

export type H5 = typeof h5wasmNamespace;
let loading: Promise<H5> | undefined;

/**
 * Emscripten's loader checks `navigator.userAgent` and may refuse a browser-like one; Electron's utility
 * processes have a `navigator`. h5wasm's README hides it while the module initialises; so do we.
 */
async function importWithoutNavigator(): Promise<H5> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  if (descriptor?.configurable)
    Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true });
  try {
    return (await import('h5wasm/node')).default;
  } finally {
    if (descriptor?.configurable) Object.defineProperty(globalThis, 'navigator', descriptor);
  }
}

export function loadH5(): Promise<H5> {
  loading ??= importWithoutNavigator().then(async (h5wasm) => {
    const module = await h5wasm.ready;
    // Without this, a missing file returns an invalid handle and a missing filter returns garbage.
    module.activate_throwing_error_handler();
    return h5wasm;
  });
  return loading;
}
