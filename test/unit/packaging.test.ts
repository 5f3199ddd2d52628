// The packaging configs cannot run here (no Electron binary; Forge 8's CLI needs Node 22), so they are
// checked against their own tools' validation instead.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/furrow';

const require = createRequire(import.meta.url);

describe('packaging', () => {
  it("electron-builder's config passes electron-builder's own schema, with installers for every platform", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      getConfig(dir: string, file: string, extra: null): Promise<Record<string, unknown>>;
      validateConfiguration(config: object, logger: object): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => object };
    const config = await getConfig(ROOT, 'electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect((config['linux'] as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config['mac'] as { target: string[] }).target).toEqual(['dmg']);
    expect((config['win'] as { target: string[] }).target).toEqual(['nsis']);
    expect(config['extraMetadata']).toEqual({ main: 'dist/build/main.cjs' });
    // A misspelt key is caught by the same check, so the check above means something.
    await expect(validateConfiguration({ ...config, linx: {} }, new DebugLogger(false))).rejects.toThrow(
      /unknown property 'linx'/,
    );
  });

  it("Forge's Vite plugin builds main, preload, the engine entries and the renderer from our Vite configs", async () => {
    const { default: config } = (await import('../../forge.config')) as {
      default: { plugins: { config?: unknown }[] };
    };
    const vite = config.plugins[0] as unknown as {
      config: { build: { entry: string; config: string }[]; renderer: { name: string }[] };
    };
    expect(vite.config.build.map((b) => b.entry)).toEqual([
      'electron/main.ts',
      'electron/preload.ts',
      'electron/host/engine-host.ts',
    ]);
    expect(vite.config.renderer).toEqual([{ name: 'main_window', config: 'vite.renderer.config.ts' }]);
  });
});
