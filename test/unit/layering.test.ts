// The layers docs/architecture.md describes are enforced by lint: each forbidden import is reported, allowed ones are not.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/furrow';

const eslint = new ESLint({ cwd: ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering', () => {
  it('shared/ may not use Node, the DOM, Electron, the engine or the UI', async () => {
    expect(await problems('shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toEqual([
      expect.stringMatching(/no-restricted-imports: .*node:fs/),
    ]);
    expect(await problems('shared/x.ts', 'export const a = window.location;\n')).toEqual([
      expect.stringMatching(/no DOM here/),
    ]);
    expect(
      await problems('shared/x.ts', "import { Engine } from '../electron/engine/engine';\nexport const a = Engine;\n"),
    ).toHaveLength(1);
    expect(
      await problems('shared/x.ts', "import { App } from '../renderer/app/App';\nexport const a = App;\n"),
    ).toHaveLength(1);
    expect(await problems('shared/x.ts', "import { z } from 'zod';\nexport const a = z.string();\n")).toEqual([]);
  });

  it('renderer/ may import shared/ but not the engine, Node or Electron', async () => {
    expect(
      await problems('renderer/x.ts', "import { requests } from '../shared/api';\nexport const a = requests;\n"),
    ).toEqual([]);
    expect(
      await problems(
        'renderer/x.ts',
        "import { Engine } from '../electron/engine/engine';\nexport const a = Engine;\n",
      ),
    ).toHaveLength(1);
    expect(
      await problems('renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n"),
    ).toHaveLength(1);
    expect(await problems('renderer/x.ts', "import os from 'node:os';\nexport const a = os;\n")).toHaveLength(1);
  });

  it('electron/engine/ never imports the electron package; electron/host/ may', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await problems('electron/engine/x.ts', code)).toEqual([expect.stringMatching(/only electron\/main\.ts/)]);
    expect(await problems('electron/cli/x.ts', code)).toHaveLength(1);
    expect(await problems('electron/host/x.ts', code)).toEqual([]);
  });

  it('SQL is written in electron/engine/db/ only', async () => {
    const code = "export const n = (db: { prepare(s: string): unknown }) => db.prepare('SELECT 1');\n";
    expect(await problems('electron/engine/run/x.ts', code)).toEqual([expect.stringMatching(/add a method to RunDb/)]);
    expect(
      await problems('electron/cli/x.ts', "import Database from 'better-sqlite3';\nexport const d = Database;\n"),
    ).toEqual([expect.stringMatching(/add a method to RunDb/)]);
    expect(await problems('electron/engine/db/x.ts', code)).toEqual([]);
  });

  it('shared/ may not import yaml: YAML is read and written in the engine', async () => {
    expect(await problems('shared/x.ts', "import { parse } from 'yaml';\nexport const a = parse;\n")).toEqual([
      expect.stringMatching(/no-restricted-imports: .*yaml/),
    ]);
  });

  it("electron/shell/ is the desktop app's: the command line, the engine and the library never import it", async () => {
    const code = "import { readRecent } from '../shell/recent';\nexport const a = readRecent;\n";
    expect(await problems('electron/cli/x.ts', code)).toEqual([expect.stringMatching(/only electron\/main\.ts/)]);
    expect(await problems('electron/engine/x.ts', code)).toHaveLength(1);
    expect(await problems('electron/x.ts', code)).toEqual([]);
  });
});
