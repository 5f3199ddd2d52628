// `furrow export`: the random-walk example's plots.yaml rendered headless in Chromium, as vector PDFs whose text
// poppler reads back, and the messages for plots that cannot be drawn.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exampleStudy, furrow, tempDir } from '../helpers/furrow';
import { describeWith, expectEmbeddedFonts } from '../helpers/tools';

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

describeWith('poppler', 'furrow export', () => {
  let study: string;
  beforeAll(async () => {
    study = await exampleStudy('random-walk');
    const ran = await furrow(['run', study], { timeoutMs: 120_000 });
    expect(ran.code, ran.stderr).toBe(0);
  }, 150_000);

  it("writes the guide's plots as vector PDFs with their titles and axis labels as text", async () => {
    const out = await furrow(['export', study, '--format', 'pdf'], { timeoutMs: 120_000 });
    expect(out.code, out.stderr).toBe(0);
    const files = out.stdout.trim().split('\n');
    expect(files.map((f) => path.basename(f))).toEqual(['random_walk.pdf', 'mean_random_walk.pdf', 'mean_energy.pdf']);
    expect(path.dirname(files[0]!)).toMatch(/eval[/\\]\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
    const expected: Record<string, string[]> = {
      'random_walk.pdf': ['Random walk of each case', 'Iteration', 'Position', 'max_step_size = 0.3', 'seed = 9'],
      'mean_random_walk.pdf': ['Mean random walk over the seeds', 'Iteration', 'Position', 'max_step_size = 1'],
      'mean_energy.pdf': ['Mean energy of the agents', 'Time', 'Mean energy', 'max_step_size = 0.1'],
    };
    for (const file of files) {
      const text = run('pdftotext', [file, '-']).stdout;
      for (const words of expected[path.basename(file)]!) expect(text, file).toContain(words);
      // Vector: no raster image in the file, and the minus of negative ticks is U+2212 in the embedded font.
      const images = run('pdfimages', ['-list', file]).stdout.trim().split('\n');
      expect(images.slice(2), file).toEqual([]);
      expect(run('pdffonts', [file]).stdout).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes/);
      expectEmbeddedFonts(file);
      const png = path.join(tempDir(), 'page');
      expect(run('pdftoppm', ['-png', '-r', '30', '-singlefile', file, png]).status).toBe(0);
      expect(fs.statSync(`${png}.png`).size).toBeGreaterThan(1000);
      // Beside each plot, the spec it was drawn from, resolved: based_on gone, every encoding filled in.
      const spec = parseYaml(fs.readFileSync(file.replace(/\.pdf$/, '.yaml'), 'utf8')) as Record<string, unknown>;
      expect(spec).not.toHaveProperty('based_on');
      expect(spec['x']).toBeDefined();
    }
    expect(run('pdftotext', [files[0]!, '-']).stdout).toContain('\u2212'); // the walks go below zero
  }, 150_000);

  it('writes SVG and PNG too, into --out, only the plots named', async () => {
    const out = path.join(tempDir(), 'figures');
    const svg = await furrow(['export', study, '--format', 'svg', '--only', 'mean_energy', '--out', out], {
      timeoutMs: 120_000,
    });
    expect(svg.code, svg.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['mean_energy.svg', 'mean_energy.yaml']);
    expect(fs.readFileSync(path.join(out, 'mean_energy.svg'), 'utf8')).toMatch(
      /^<svg[^>]*>.*Mean energy of the agents/s,
    );
    const png = await furrow(['export', study, '--format', 'png', '--only', 'random_walk', '--out', out], {
      timeoutMs: 120_000,
    });
    expect(png.code, png.stderr).toBe(0);
    const bytes = fs.readFileSync(path.join(out, 'random_walk.png'));
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  }, 150_000);

  it('draws heatmaps as vectors: a rect per cell in the SVG, no raster image in the PDF', async () => {
    const plots = path.join(tempDir(), 'heatmaps.yaml');
    fs.writeFileSync(
      plots,
      `small: {variable: random_walk, kind: heatmap, x: seed, y: max_step_size, reduce: {iteration: mean}, title: Means}
grid: {variable: random_walk, kind: heatmap, x: iteration, y: seed, col: max_step_size, title: Walks}
`,
    );
    const out = path.join(tempDir(), 'heatmaps');
    for (const format of ['svg', 'pdf']) {
      const result = await furrow(['export', study, '--plots', plots, '--format', format, '--out', out], {
        timeoutMs: 120_000,
      });
      expect(result.code, result.stderr).toBe(0);
    }
    const svg = fs.readFileSync(path.join(out, 'small.svg'), 'utf8');
    const layer = /<g class="heatmaplayer[^"]*">(.*?)<\/g><\/g><\/g>/s.exec(svg)?.[1] ?? '';
    expect(layer).not.toContain('<image');
    const fills = [...layer.matchAll(/<rect [^>]*fill="(rgb\(\d+,\d+,\d+\))"/g)].map((m) => m[1]);
    expect(fills).toHaveLength(10 * 3); // seed × max_step_size
    expect(new Set(fills).size).toBeGreaterThan(10); // coloured by value, not one colour
    // 3 panels of 1024 × 10 cells: all vectors too, in a file of reasonable size (the page stream is deflated).
    const grid = fs.readFileSync(path.join(out, 'grid.svg'), 'utf8');
    expect(grid.match(/<rect /g)!.length).toBeGreaterThanOrEqual(3 * 1024 * 10);
    for (const name of ['small', 'grid']) {
      const file = path.join(out, `${name}.pdf`);
      expect(run('pdfimages', ['-list', file]).stdout.trim().split('\n').slice(2), file).toEqual([]);
      expect(run('pdftotext', [file, '-']).stdout).toContain(name === 'small' ? 'Means' : 'Walks');
    }
    expect(fs.statSync(path.join(out, 'grid.pdf')).size).toBeLessThan(2 * 2 ** 20);
  }, 150_000);

  it('names each plot that cannot be drawn and why, exports the rest, and exits 2', async () => {
    const plots = path.join(tempDir(), 'plots.yaml');
    fs.writeFileSync(
      plots,
      `good: {variable: random_walk, x: iteration, hue: seed, col: max_step_size, title: Fine}
no_such: {variable: energy}
twice: {variable: random_walk, x: seed, hue: seed}
loop: {based_on: loop2}
loop2: {based_on: loop}
`,
    );
    const out = path.join(tempDir(), 'partial');
    const result = await furrow(['export', study, '--plots', plots, '--out', out], { timeoutMs: 120_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /plot 'no_such': variable 'energy' is not in .*random_walk\.nc \(its variables: .*random_walk/,
    );
    expect(result.stderr).toMatch(/plot 'twice': 'seed' is mapped twice, to x and to hue/);
    expect(result.stderr).toMatch(/plot 'loop': based_on makes a cycle: loop → loop2 → loop/);
    expect(fs.readdirSync(out).sort()).toEqual(['good.pdf', 'good.yaml']);
    const noBrowser = await furrow(['export', study, '--chromium', '/nowhere/chromium']);
    expect(noBrowser.code).toBe(2); // said and ended, nothing left running
    expect(noBrowser.stderr).toMatch(/Chromium: \/nowhere\/chromium does not exist/);
    const missing = await furrow(['export', study, '--only', 'nothing']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /has no plot 'nothing' \(it has: \.walk, random_walk, mean_random_walk, mean_energy\)/,
    );
  }, 150_000);

  it("exports the bar example's plots at each size, fonts embedded, the fixed dims named, at the size asked", async () => {
    const bar = await exampleStudy('bar');
    const ran = await furrow(['run', bar], { timeoutMs: 120_000 });
    expect(ran.code, ran.stderr).toBe(0);
    const pages: Record<string, RegExp> = {
      auto: /Page size:\s+\d+ x \d+ pts/,
      column: /Page size:\s+252\.2\d* x 198\.4\d* pts/, // 89 × 70 mm
      'two-column': /Page size:\s+518\.7\d* x 311\.8\d* pts/, // 183 × 110 mm
      slide: /Page size:\s+960 x 540 pts/, // 13.33 × 7.5 in
      '3.5x2.5in': /Page size:\s+252 x 180 pts/,
    };
    // random-walk's plots at the default size: the first test. bar's at every size.
    for (const [size, page] of Object.entries(pages)) {
      const out = path.join(tempDir(), `bar-${size}`);
      const result = await furrow(['export', bar, '--size', size, '--out', out], { timeoutMs: 120_000 });
      expect(result.code, result.stderr).toBe(0);
      const files = fs.readdirSync(out).filter((f) => f.endsWith('.pdf'));
      expect(files.sort()).toEqual(['B_lines.pdf', 'C_heatmap.pdf']);
      for (const f of files) {
        const file = path.join(out, f);
        expectEmbeddedFonts(file);
        expect(run('pdfinfo', [file]).stdout, file).toMatch(page);
      }
    }
    // The heatmap's subtitle names the dims fixed; the lines' the mean taken.
    const out = path.join(tempDir(), 'bar-text');
    expect((await furrow(['export', bar, '--out', out], { timeoutMs: 120_000 })).code).toBe(0);
    const text = (name: string) => run('pdftotext', [path.join(out, name), '-']).stdout.replace(/\s+/g, ' ');
    expect(text('C_heatmap.pdf')).toMatch(/i ?= ?5 ?· ?j ?= ?7 ?· ?k ?= ?9/);
    expect(text('B_lines.pdf')).toContain('mean over j');
    // PNG at the dpi asked: its pixels, and the resolution it says (pHYs, in dots per metre).
    const png = path.join(tempDir(), 'png');
    const pngRun = await furrow(
      ['export', bar, '--format', 'png', '--size', 'column', '--dpi', '600', '--only', 'C_heatmap', '--out', png],
      { timeoutMs: 120_000 },
    );
    expect(pngRun.code, pngRun.stderr).toBe(0);
    const bytes = fs.readFileSync(path.join(png, 'C_heatmap.png'));
    expect(bytes.readUInt32BE(16)).toBe(Math.round((89 / 25.4) * 600)); // width in pixels
    const phys = bytes.indexOf('pHYs');
    expect(phys).toBeGreaterThan(0);
    expect(bytes.readUInt32BE(phys + 4)).toBe(Math.round(600 / 0.0254));
    const wrong = await furrow(['export', bar, '--size', 'a4']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--size 'a4': give auto, column, two-column, slide, or width x height in mm or in/);
    const font = await furrow(['export', bar, '--font-size', '100']);
    expect(font.code).toBe(2);
    expect(font.stderr).toMatch(/--font-size 100: give points from 4 to 72/);
  }, 600_000);
});
