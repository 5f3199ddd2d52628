// Electron Forge: `electron-forge start` for development (Vite dev server + hot restart) and
// `electron-forge package`. Installers come from electron-builder (electron-builder.yml).
// Forge 8's CLI needs Node 22: this file is type-checked here, not run.
import { MakerZIP } from '@electron-forge/maker-zip';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Furrow',
    executableName: 'furrow-app',
    appBundleId: 'org.furrow.app',
    asar: true,
    icon: 'assets/icon',
    // The bundled examples are data the app copies from; the code is all in .vite/.
    extraResource: ['assets/examples'],
  },
  rebuildConfig: {},
  makers: [new MakerZIP({}, ['darwin', 'linux', 'win32'])],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
        // One build for the engine host, the model worker and the CLI (its config names all three).
        { entry: 'electron/host/engine-host.ts', config: 'vite.node.config.ts', target: 'main' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
  ],
};

export default config;
