// The desktop app's `--export`, the way it exports with no window on screen (electron/shell/offscreen-export.ts):
// its offscreen window is stood in for by the same page in Debian's Chromium, and its engine host by the real
// engine in this process. No Electron can run here; everything else is real: the page draws, the engine writes.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { RequestReply } from '../../shared/api';
import { dispatch } from '../../electron/engine/dispatch';
import { Engine } from '../../electron/engine/engine';
import { engineParts } from '../../electron/cli/run-report';
import { conditionEntry, examplesDir, furrowCommand, rendererDir } from '../../electron/host/paths';
import { serve } from '../../electron/host/server';
import { exportArgs, exportOffscreen } from '../../electron/shell/offscreen-export';
import type { ExportWindow } from '../../electron/shell/offscreen-export';
import { launchChromium } from '../helpers/chromium';
import { exampleStudy, furrow } from '../helpers/furrow';
import { describeWith } from '../helpers/tools';

describeWith('chromium', "the app's offscreen export", () => {
  let study: string;
  let engine: Engine;
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: BrowserContext;
  let page: Page;
  let window: ExportWindow;
  let id = 0;

  beforeAll(async () => {
    study = await exampleStudy('random-walk');
    const ran = await furrow(['run', study, '--combo', 'seed=0,1'], { timeoutMs: 120_000 });
    expect(ran.code, ran.stderr).toBe(0);
    engine = new Engine({ ...engineParts, conditionEntry, furrowCommand, examplesDir, emit: () => undefined });
    server = await serve({ engine, rendererDir, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(server.url);
    window = {
      invoke: async (method, params) => (await dispatch(engine, { id: ++id, method, params })) as RequestReply,
      evaluate: (code) => page.evaluate(code),
    };
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await engine?.close();
  });

  it('reads --export, --only and --format from the command line, and says what is wrong with them', () => {
    expect(exportArgs(['electron', '.'])).toBe(null);
    expect(exportArgs(['Furrow', '--export', '/s', '--only', 'a', '--only', 'b', '--format', 'svg'])).toEqual({
      study: '/s',
      only: ['a', 'b'],
      format: 'svg',
      options: {},
    });
    expect(exportArgs(['Furrow', '--export', '/s', '--size', '89x60mm', '--font-size', '8', '--dpi', '600'])).toEqual({
      study: '/s',
      only: [],
      format: 'pdf',
      options: { size: { width: 89, height: 60, unit: 'mm' }, fontSize: 8, dpi: 600 },
    });
    expect(() => exportArgs(['Furrow', '--export'])).toThrow(/--export needs the study folder/);
    expect(() => exportArgs(['Furrow', '--export', '/s', '--format', 'gif'])).toThrow(/--format gif: give pdf/);
    expect(() => exportArgs(['Furrow', '--export', '/s', '--size', 'a4'])).toThrow(
      /--size 'a4': give auto, column, two-column, slide, or width x height in mm or in/,
    );
    expect(() => exportArgs(['Furrow', '--export', '/s', '--dpi', '10'])).toThrow(/--dpi 10: give a whole number/);
  });

  it("draws the study's saved plots in the page and writes them into eval/<timestamp>/ with their specs", async () => {
    const lines: string[] = [];
    const status = await exportOffscreen(window, { study, only: [], format: 'pdf', options: { size: 'column' } }, (l) =>
      lines.push(l),
    );
    expect(status, lines.join('\n')).toBe(0);
    const files = lines.filter((l) => !l.startsWith('furrow: '));
    expect(files.map((f) => path.basename(f))).toEqual(['random_walk.pdf', 'mean_random_walk.pdf', 'mean_energy.pdf']);
    expect(path.dirname(files[0]!)).toBe(path.join(study, 'eval', path.basename(path.dirname(files[0]!))));
    for (const file of files) expect(fs.readFileSync(file).subarray(0, 5).toString(), file).toBe('%PDF-');
    // --size column: a page of 89 × 70 mm (252.28 × 198.43 points).
    for (const file of files)
      expect(fs.readFileSync(file, 'latin1')).toMatch(/\/MediaBox \[0 0 252\.28\d* 198\.43\d*\]/);
    expect(parseYaml(fs.readFileSync(files[1]!.replace(/\.pdf$/, '.yaml'), 'utf8'))).toMatchObject({
      kind: 'errorbands',
      over: 'seed',
    });
    expect(lines).toContain('furrow: exporting mean_energy (3 of 3)');
  }, 120_000);

  it('exports a plot that cannot be drawn as a message and exit status 2, and the others all the same', async () => {
    fs.appendFileSync(path.join(study, 'plots.yaml'), '\nbroken:\n  variable: no_such_variable\n');
    const lines: string[] = [];
    const status = await exportOffscreen(
      window,
      { study, only: ['broken', 'random_walk'], format: 'svg', options: {} },
      (l) => lines.push(l),
    );
    expect(status).toBe(2);
    expect(lines.join('\n')).toMatch(/furrow: plot 'broken': .*no_such_variable/);
    expect(lines.some((l) => l.endsWith('random_walk.svg'))).toBe(true);

    const unknown: string[] = [];
    expect(
      await exportOffscreen(window, { study, only: ['nope'], format: 'pdf', options: {} }, (l) => unknown.push(l)),
    ).toBe(2);
    expect(unknown).toEqual([expect.stringMatching(/plots\.yaml has no plot 'nope' \(it has: \.walk, random_walk/)]);
  }, 120_000);
});
