// The desktop shell's own rules, without Electron: which files app:// serves, where a window reopens, and the
// list of recent studies.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppUrl } from '../../electron/shell/app-protocol';
import { addRecent, readRecent } from '../../electron/shell/recent';
import { readWindowState, visibleBounds, writeWindowState } from '../../electron/shell/window-state';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-shell-'));

describe('app://furrow/', () => {
  const root = '/opt/furrow/renderer';
  it('names files inside the renderer folder', () => {
    expect(resolveAppUrl('app://furrow/', root)).toBe('/opt/furrow/renderer/index.html');
    expect(resolveAppUrl('app://furrow/assets/index-1.js?v=2', root)).toBe('/opt/furrow/renderer/assets/index-1.js');
    expect(resolveAppUrl('app://furrow/a%20b.css', root)).toBe('/opt/furrow/renderer/a b.css');
  });
  it('names nothing outside it, on another host or scheme, or with a NUL', () => {
    for (const url of [
      'app://furrow/..%2f..%2fetc/passwd',
      'app://furrow/%2e%2e/secret',
      'app://other/index.html',
      'file:///opt/furrow/renderer/index.html',
      'app://furrow/index.html%00.png',
      'app://furrow/%E0%A4%A',
      'not a url',
    ]) {
      const file = resolveAppUrl(url, root);
      expect(file === null || file.startsWith(`${root}/`), url).toBe(true);
    }
    expect(resolveAppUrl('app://other/index.html', root)).toBeNull();
    expect(resolveAppUrl('app://furrow/index.html%00.png', root)).toBeNull();
  });
});

describe('window state', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('puts a window back where it was when a screen is still there, and not when none is', () => {
    expect(visibleBounds({ x: 100, y: 100, width: 800, height: 600 }, screens)).toEqual({
      x: 100,
      y: 100,
      width: 800,
      height: 600,
    });
    expect(visibleBounds({ x: 3000, y: 100, width: 800, height: 600 }, screens)).toBeNull(); // a monitor unplugged
    expect(visibleBounds({ x: 10, y: 10, width: 100, height: 50 }, screens)).toMatchObject({ width: 640, height: 480 });
  });
  it('survives a missing or garbled file', () => {
    const dir = tmp();
    expect(readWindowState(dir)).toBeNull();
    fs.writeFileSync(path.join(dir, 'window-state.json'), '{"bounds": ');
    expect(readWindowState(dir)).toBeNull();
    writeWindowState(dir, { bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: true });
    expect(readWindowState(dir)).toEqual({ bounds: { x: 1, y: 2, width: 900, height: 700 }, maximized: true });
  });
});

describe('recent studies', () => {
  it('keeps the newest first, each once, at most ten, and only those that still exist', () => {
    const dir = tmp();
    const studies = Array.from({ length: 12 }, () => tmp());
    for (const s of studies) addRecent(dir, s);
    addRecent(dir, studies[5]!);
    const list = readRecent(dir);
    expect(list).toHaveLength(10);
    expect(list[0]).toBe(studies[5]);
    expect(new Set(list).size).toBe(10);
    fs.rmSync(studies[11]!, { recursive: true });
    expect(readRecent(dir)).not.toContain(studies[11]);
  });
});
