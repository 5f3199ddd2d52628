// Data tree and facet plot benchmark (issue 7). Prints figures; asserts nothing. `npm run bench:plots` builds first.
// A generated NetCDF4 file of 2 GiB (BENCH_PLOT_GIB): v(n, y, x) float64, chunked, with dimension scales. Then:
//   - the engine, over `furrow serve`'s WebSocket: describe the file, list its tree, show a window of values, and
//     compute a 1024 × 1024 slice as a heatmap (10^6 points);
//   - the app in Debian's Chromium: the same file opened in the Plots tab, then a heatmap of 10^6 points and a
//     facet grid of lines (16 panels × 64 lines × 1024 points = 10^6 points), each timed from the click to the plot
//     drawn on screen.
// Goals: opening, listing and drawing a slice each under a second; a 10^6-point plot drawn within a second.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';

const cli = path.resolve('.vite/build/cli.mjs');
const gib = Number(process.env.BENCH_PLOT_GIB ?? 2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-plots-'));
const file = path.join(dir, 'big.nc');
const [ny, nx] = [1024, 1024];
const n = Math.round((gib * 2 ** 30) / (ny * nx * 8));

// Write it a slab at a time with h5wasm, as Furrow's own writer would: never the whole array in memory.
const h5wasm = await import('h5wasm/node');
await h5wasm.ready;
h5wasm.activate_throwing_error_handler?.();
let started = performance.now();
{
  const f = new h5wasm.File(file, 'w');
  const scale = (name, values) => {
    f.create_dataset({ name, data: Float64Array.from(values), shape: [values.length], dtype: '<d' });
    f.get(name).make_scale(name);
  };
  scale(
    'n',
    Array.from({ length: n }, (_, i) => i),
  );
  scale(
    'y',
    Array.from({ length: ny }, (_, i) => i / ny),
  );
  scale(
    'x',
    Array.from({ length: nx }, (_, i) => i / nx),
  );
  // Resizable along n, as a harvest makes them: one slab written at creation, the rest after a resize.
  const slab = new Float64Array(ny * nx);
  f.create_dataset({
    name: 'v',
    data: slab,
    shape: [1, ny, nx],
    maxshape: [null, ny, nx],
    dtype: '<d',
    chunks: [1, 256, nx],
  });
  const v = f.get('v');
  v.resize([n, ny, nx]);
  ['n', 'y', 'x'].forEach((d, i) => v.attach_scale(i, d));
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) slab[j * nx + i] = Math.sin(k / 10 + j / 50) * Math.cos(i / 40);
    v.write_slice([[k, k + 1], [], []], slab);
  }
  // w(p, l, x): 16 × 64 lines of 1024 points, for a facet grid of lines with 10^6 points.
  scale(
    'p',
    Array.from({ length: 16 }, (_, i) => i),
  );
  scale(
    'l',
    Array.from({ length: 64 }, (_, i) => i),
  );
  const w = new Float64Array(16 * 64 * nx);
  for (let q = 0; q < w.length; q++) w[q] = Math.sin(q / 300) + ((q / nx) % 64) / 64;
  f.create_dataset({ name: 'w', data: w, shape: [16, 64, nx], dtype: '<d' });
  ['p', 'l', 'x'].forEach((d, i) => f.get('w').attach_scale(i, d));
  f.close();
}
const size = fs.statSync(file).size;
console.log(
  `wrote ${file}: ${(size / 2 ** 30).toFixed(2)} GiB, v(n=${n}, y=${ny}, x=${nx}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const server = spawn(process.execPath, [cli, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let output = '';
  const onData = (d) => {
    output += d;
    const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(output);
    if (m) resolve(m[0]);
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.on('exit', (code) => reject(new Error(`furrow serve exited (${code}): ${output}`)));
});
const { origin, searchParams } = new URL(url);

// The engine's own figures, over the WebSocket.
const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${searchParams.get('token')}`, {
  headers: { origin },
});
await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
let nextId = 1;
const pending = new Map();
ws.on('message', (data, isBinary) => {
  // A reply with a plot's numbers is a binary frame (shared/wire-frame.ts): its JSON part is enough here.
  const reply = isBinary
    ? JSON.parse(data.subarray(8, 8 + data.readUInt32LE(4)).toString())
    : JSON.parse(data.toString());
  if (reply.kind === 'event') return;
  pending.get(reply.id)?.(reply);
  pending.delete(reply.id);
});
const ask = (method, params) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (reply) =>
      reply.kind === 'result' ? resolve(reply.result) : reject(new Error(reply.error.message)),
    );
    ws.send(JSON.stringify({ id, method, params }));
  });
const timed = async (what, call) => {
  const t = performance.now();
  const result = await call();
  console.log(`${what}: ${Math.round(performance.now() - t)} ms`);
  return result;
};
const node = { root: 'file', file, path: '/' };
await timed('engine: describe the 2 GiB file (dims, coords, variables)', () => ask('dataset.describe', { file }));
await timed('engine: list its tree', () => ask('tree.children', { node, offset: 0, limit: 200 }));
await timed('engine: details of v (chunks, filters, attrs)', () => ask('tree.node', { node: { ...node, path: '/v' } }));
await timed('engine: a 100 × 20 window of v', () =>
  ask('tree.preview', {
    node: { ...node, path: '/v' },
    rowAxis: 1,
    colAxis: 2,
    index: [n - 1, 0, 0],
    rowStart: 0,
    colStart: 0,
    rows: 100,
    cols: 20,
  }),
);
const heat = { source: file, variable: 'v', kind: 'heatmap', x: 'x', y: 'y', isel: { n: n >> 1 } };
await timed('engine: a 1024 × 1024 slice as a heatmap (10^6 points)', () => ask('plot.data', { spec: heat }));
ws.close();

/**
 * Milliseconds from now until what was drawn is in the page (an element, or so many lines on the canvas a large
 * plot's lines are drawn on: renderer/plots/canvas-lines.ts) and the frame after it is painted, timed in the page
 * itself, every frame (polling from here would add its own waits). Never drawn within a minute: says so.
 */
function onScreen(page, drawn) {
  return page.evaluate(
    ({ selector, traces }) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        const test = () =>
          selector
            ? globalThis.document.querySelector(selector) !== null
            : Number(globalThis.document.querySelector('.plot canvas.canvas-lines')?.dataset.series ?? 0) >= traces;
        const look = () => {
          if (performance.now() - t0 > 60_000) return resolve('never drawn (over a minute)');
          if (!test()) return globalThis.requestAnimationFrame(look);
          globalThis.requestAnimationFrame(() => resolve(Math.round(performance.now() - t0)));
        };
        globalThis.requestAnimationFrame(look);
      }),
    drawn,
  );
}

/** The plot drawn is the one asked for (its description, for screen readers, says so). */
async function expectLabel(page, name) {
  await page.getByRole('img', { name }).waitFor({ timeout: 10_000 });
}

// The app: the file opened in the Plots tab, then plots of 10^6 points drawn.
const browser = await chromium.launchPersistentContext(
  fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-chromium-')),
  {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
);
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByRole('tab', { name: 'Plots' }).click();
  await page.getByRole('form', { name: 'Data file' }).getByLabel('HDF5 / NetCDF file').fill(file);
  // plotly loads with the first plot: warm it up with the first look, as a person opening the file would.
  started = performance.now();
  await page.getByRole('button', { name: 'Open file' }).click();
  await page.locator('.plot .scatterlayer .trace').first().waitFor({ timeout: 60_000 });
  console.log(
    `app: open the file and draw the first look (a line, plotly loaded): ${Math.round(performance.now() - started)} ms`,
  );

  // The first look is v along y, with n and x at their first values; as a heatmap it needs a second dim.
  await page.getByLabel('Kind', { exact: true }).selectOption('heatmap');
  await page.getByRole('alert').first().waitFor();
  let drawn = onScreen(page, { selector: '.plot .heatmaplayer image, .plot .hm image' });
  await page.getByLabel('How x is shown').selectOption('free');
  console.log(`app: a 1024 × 1024 heatmap (10^6 points), from the choice to the plot on screen: ${await drawn} ms`);
  await expectLabel(page, /^Heatmap plot of v against y and x$/);

  // A facet grid of lines: 16 panels × 64 lines × 1024 points.
  await page.getByLabel('Variable', { exact: true }).selectOption('w');
  await page.getByLabel('Lines (hue)', { exact: true }).selectOption('l');
  await page.getByRole('img', { name: /a line per l$/ }).waitFor({ timeout: 60_000 });
  // The canvas's own record of the lines it drew.
  drawn = onScreen(page, { traces: 16 * 64 });
  await page.getByLabel('Columns', { exact: true }).selectOption('p');
  console.log(
    `app: a facet grid of 16 panels × 64 lines × 1024 points (10^6 points), from the choice to the plot on screen: ${await drawn} ms`,
  );
  await expectLabel(page, /columns by p$/);
} finally {
  await browser.close();
  server.kill();
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}
