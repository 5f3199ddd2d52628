// The packaging configs cannot run here (no Electron binary; Forge 8's CLI needs Node 22), so they are
// checked against their own tools' validation instead.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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
    // A misspelt key is caught by the same check, so the check above means something.
    await expect(validateConfiguration({ ...config, linx: {} }, new DebugLogger(false))).rejects.toThrow(
      /unknown property 'linx'/,
    );
  });

  it("npm run build produces Forge's layout through Forge's own config generator, so package.json's main exists", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('.vite/build/main.cjs');
    for (const file of [
      pkg.main,
      '.vite/build/preload.cjs',
      '.vite/build/host.mjs',
      '.vite/build/worker.mjs',
      '.vite/build/condition.mjs',
      '.vite/build/cli.mjs',
    ]) {
      expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
    }
    expect(fs.readFileSync(path.join(ROOT, '.vite/renderer/main_window/index.html'), 'utf8')).toContain(
      `content="default-src 'self'; script-src 'self';`,
    );
    // The sandboxed preload must be one file that requires nothing but electron.
    const preload = fs.readFileSync(path.join(ROOT, '.vite/build/preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
  });
});
