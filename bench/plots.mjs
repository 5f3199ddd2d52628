// Data tree and facet plot benchmark (issue 7). Prints figures; asserts nothing. `npm run bench:plots` builds first.
// A generated NetCDF4 file of 2 GiB (BENCH_PLOT_GIB): v(n, y, x) float64, chunked, with dimension scales. Then:
//   - the engine, over `furrow serve`'s WebSocket: describe the file, list its tree, show a window of values, and
//     compute a 1024 × 1024 slice as a heatmap (10^6 points);
//   - the app in Debian's Chromium: the same file in the Data tab, from selecting v to its first view (a heatmap of
//     10^6 points) on screen, and its Line view; then opened in the Plots tab, a heatmap of 10^6 points and a
//     facet grid of lines (16 panels × 64 lines × 1024 points = 10^6 points), each timed from the click to the plot
//     drawn on screen. Chromium is driven over a bare DevTools connection (bare-chromium.mjs), not Playwright, whose
//     network tracking would add half a second of its own to each plot of this size.
// BENCH_TRACE=FILE writes a Chrome trace of the facet grid's draw, BENCH_PROFILE=FILE a profile of the page's
// JavaScript during it; BENCH_KEEP=1 keeps the generated file, BENCH_PLOT_FILE=FILE uses (and keeps) that file,
// written there the first time; BENCH_ONLY=data stops after the Data tab's figures.
// Goals: opening, listing and drawing a slice each under a second; a 10^6-point plot drawn within a second; the
// first Line or Heatmap view of a dataset in the Data tab on screen within a second.
// The functions given to page.evaluate run in the page, where these are defined:
/* global document, HTMLInputElement, requestAnimationFrame */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { openBare } from './bare-chromium.mjs';

const cli = path.resolve('.vite/build/cli.mjs');
const gib = Number(process.env.BENCH_PLOT_GIB ?? 2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-plots-'));
const file = process.env.BENCH_PLOT_FILE ? path.resolve(process.env.BENCH_PLOT_FILE) : path.join(dir, 'big.nc');
const reuse = process.env.BENCH_PLOT_FILE !== undefined && fs.existsSync(file);
const [ny, nx] = [1024, 1024];
const n = Math.round((gib * 2 ** 30) / (ny * nx * 8));

// Write it a slab at a time with h5wasm, as Furrow's own writer would: never the whole array in memory.
const h5wasm = await import('h5wasm/node');
await h5wasm.ready;
h5wasm.activate_throwing_error_handler?.();
let started = performance.now();
if (!reuse) {
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
await timed("engine: the Data tab's heatmap slice of v (1024 × 1024, tree.slice)", () =>
  ask('tree.slice', { node: { ...node, path: '/v' }, axes: [1, 2], index: [n >> 1, 0, 0] }),
);
const heat = { source: file, variable: 'v', kind: 'heatmap', x: 'x', y: 'y', isel: { n: n >> 1 } };
await timed('engine: a 1024 × 1024 slice as a heatmap (10^6 points)', () => ask('plot.data', { spec: heat }));
ws.close();

// In the page: find controls as a person would (by their label), change them as a person would (an input or change
// event React hears), and wait for what is drawn, timed in the page itself, every frame (polling from here would
// add its own waits).
const inPage = () => {
  const byLabel = (label) => {
    const el = document.querySelector(`[aria-label="${label}"]`);
    if (el) return el;
    for (const l of document.querySelectorAll('label'))
      if (l.textContent.trim().startsWith(label)) return l.querySelector('input, select');
    throw new Error(`no control labelled ${label}`);
  };
  const button = (name) => {
    const found = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === name);
    if (!found) throw new Error(`no button ${name}`);
    return found;
  };
  const fill = (label, value) => {
    const input = byLabel(label);
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const choose = (label, value) => {
    const select = byLabel(label);
    if (![...select.options].some((o) => o.value === value)) throw new Error(`${label} has no choice ${value}`);
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  };
  /**
   * Milliseconds until `drawn()` holds and the frame after it is painted, from `t0`. Never within a minute: says so.
   */
  const onScreen = (drawn, t0 = performance.now()) =>
    new Promise((resolve) => {
      const look = () => {
        if (performance.now() - t0 > 60_000) return resolve('never drawn (over a minute)');
        if (!drawn()) return requestAnimationFrame(look);
        requestAnimationFrame(() => resolve(Math.round(performance.now() - t0)));
      };
      requestAnimationFrame(look);
    });
  /** Lines drawn on the canvas of a large plot (renderer/plots/canvas-lines.ts records how many). */
  const canvasLines = () => Number(document.querySelector('.plot canvas.canvas-lines')?.dataset.series ?? 0);
  /** The plot drawn is the one asked for: its description, for screen readers, says so. */
  const labelled = (pattern) =>
    onScreen(() => new RegExp(pattern).test(document.querySelector('.plot')?.getAttribute('aria-label') ?? '')).then(
      (ms) => {
        if (typeof ms === 'string') throw new Error(`no plot described as ${pattern}`);
      },
    );
  globalThis.bench = { byLabel, button, fill, choose, onScreen, canvasLines, labelled };
};

// The app: the file opened in the Data tab, its first Heatmap and Line views; then in the Plots tab, plots of
// 10^6 points drawn.
/** BENCH_ONLY=data: the figures asked for are printed. */
class Done extends Error {}
let page;
try {
  page = await openBare(url);
  await page.evaluate(inPage);
  const stopDataProfile = process.env.BENCH_DATA_PROFILE ? await page.profile(process.env.BENCH_DATA_PROFILE) : null;
  // The Data tab: v selected in the tree opens as a heatmap of its last two dims (1024 × 1024), the first plot of
  // the page (plotly loaded with it); then its Line view.
  const dataTab = await page.evaluate(async (file) => {
    const { fill, button, onScreen } = globalThis.bench;
    await onScreen(() => [...document.querySelectorAll('[role=tab]')].some((t) => t.textContent.trim() === 'Data'));
    [...document.querySelectorAll('[role=tab]')].find((t) => t.textContent.trim() === 'Data').click();
    await onScreen(() => document.querySelector('[aria-label="HDF5 / NetCDF file to add to the tree"]') !== null);
    fill('HDF5 / NetCDF file to add to the tree', file);
    await onScreen(() => !button('Add file').disabled);
    button('Add file').click();
    const row = (name) =>
      [...document.querySelectorAll('[role=treeitem] .tree-row')].find(
        (r) => r.querySelector('.tree-name')?.textContent === name,
      );
    await onScreen(() => row('v') !== undefined);
    const drawn = (kind) => document.querySelector(`.slice-plot[data-drawn="${kind}"]`) !== null;
    let t0 = performance.now();
    row('v').click();
    const heatmap = await onScreen(() => drawn('heatmap'), t0);
    // Where the first view's time went (the marks renderer/data and renderer/plots/plotly.ts set), from the click.
    const marks = performance
      .getEntriesByType('mark')
      .filter((m) => /^(data|plotly):/.test(m.name))
      .map((m) => `${m.name} ${Math.round(m.startTime - t0)}`)
      .join(', ');
    t0 = performance.now();
    [...document.querySelectorAll('[role=tab]')].find((t) => t.textContent.trim() === 'Line').click();
    const line = await onScreen(() => drawn('line'), t0);
    t0 = performance.now();
    [...document.querySelectorAll('[role=tab]')].find((t) => t.textContent.trim() === 'Heatmap').click();
    const again = await onScreen(() => drawn('heatmap'), t0);
    return { heatmap, line, again, marks };
  }, file);
  console.log(
    `app: the Data tab, v selected: its first view, a 1024 × 1024 heatmap (plotly loaded with it), on screen: ${dataTab.heatmap} ms`,
  );
  await stopDataProfile?.();
  console.log(`app: the Data tab, v's first view, ms from the click: ${dataTab.marks}`);
  console.log(
    `app: the Data tab, v's Line view (1024 points along x), from the click to the line on screen: ${dataTab.line} ms`,
  );
  console.log(
    `app: the Data tab, v's Heatmap view again (plotly loaded), from the click to the heatmap on screen: ${dataTab.again} ms`,
  );
  if (process.env.BENCH_ONLY === 'data') throw new Done();
  await page.evaluate(async () => {
    const { onScreen } = globalThis.bench;
    await onScreen(() => [...document.querySelectorAll('[role=tab]')].some((t) => t.textContent.trim() === 'Plots'));
    [...document.querySelectorAll('[role=tab]')].find((t) => t.textContent.trim() === 'Plots').click();
    await onScreen(() => document.querySelector('[aria-label="Data file"]') !== null);
  });
  // The first look, as a person opening the file would see it (plotly is loaded: the Data tab drew with it).
  const first = await page.evaluate(async (file) => {
    const { fill, button, onScreen } = globalThis.bench;
    fill('HDF5 / NetCDF file', file);
    await onScreen(() => !button('Open file').disabled);
    const t0 = performance.now();
    button('Open file').click();
    return onScreen(() => document.querySelector('.plot .scatterlayer .trace') !== null, t0);
  }, file);
  console.log(`app: open the file and draw the first look (a line; plotly was loaded by the Data tab): ${first} ms`);

  // The first look is v along y, with n and x at their first values; as a heatmap it needs a second dim.
  const heatmap = await page.evaluate(async () => {
    const { choose, onScreen, labelled } = globalThis.bench;
    choose('Kind', 'heatmap');
    await onScreen(() => document.querySelector('[role=alert]') !== null);
    const t0 = performance.now();
    choose('How x is shown', 'free');
    const ms = await onScreen(() => document.querySelector('.plot .heatmaplayer image, .plot .hm image') !== null, t0);
    await labelled('^Heatmap plot of v against y and x$');
    return ms;
  });
  console.log(`app: a 1024 × 1024 heatmap (10^6 points), from the choice to the plot on screen: ${heatmap} ms`);

  // A facet grid of lines: 16 panels × 64 lines × 1024 points.
  const stopTrace = process.env.BENCH_TRACE
    ? await page.trace(process.env.BENCH_TRACE)
    : process.env.BENCH_PROFILE
      ? await page.profile(process.env.BENCH_PROFILE)
      : null;
  const grid = await page.evaluate(async () => {
    const { choose, onScreen, canvasLines, labelled } = globalThis.bench;
    choose('Variable', 'w');
    choose('Lines (hue)', 'l');
    await labelled('a line per l$');
    const t0 = performance.now();
    choose('Columns', 'p');
    const ms = await onScreen(() => canvasLines() >= 16 * 64, t0);
    await labelled('columns by p$');
    return ms;
  });
  console.log(
    `app: a facet grid of 16 panels × 64 lines × 1024 points (10^6 points), from the choice to the plot on screen: ${grid} ms`,
  );
  await stopTrace?.();
} catch (error) {
  if (!(error instanceof Done)) throw error;
} finally {
  await page?.close();
  server.kill();
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}
