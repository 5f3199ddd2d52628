// UI responsiveness benchmark (issue 6). Prints figures; asserts nothing. `npm run bench:ui` builds first.
// The app in Debian's Chromium through `furrow serve`, during a run of 10^5 cases (BENCH_UI_CASES) of a trivial
// module model, watched through the run bar (under every page: here the Study page's), then scrolling the cases
// table through all of them. Chromium's performance timeline (the `longtask` entries, tasks over 50 ms on the
// renderer's main thread) gives the figures.
// Then, on the Plots tab, the issue's nine kind switches over y(a, b): how long each takes to draw, and its long tasks.
// Goals: no task over 50 ms during the run; the 10^5-row table scrolls without long tasks.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from './bare-chromium.mjs';

const cli = path.resolve('.vite/build/cli.mjs');
const cases = Number(process.env.BENCH_UI_CASES ?? 100_000);
const side = Math.ceil(Math.sqrt(cases));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-ui-'));
fs.writeFileSync(
  path.join(dir, 'study.yaml'),
  `name: ui\nmodel: {module: ./m.mjs}\noutputs: {y: {}}\ncombos:\n  a: {range: [0, ${side}]}\n  b: {range: [0, ${Math.ceil(cases / side)}]}\n`,
);
fs.writeFileSync(path.join(dir, 'm.mjs'), 'export default ({ a, b }) => a * b;\n');

const server = spawn(process.execPath, [cli, 'serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
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

const browser = await chromium.launchPersistentContext(
  fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-chromium-')),
  {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  },
);
try {
  const page = await browser.newPage();
  // Every task over 50 ms on the page's main thread, from the start.
  await page.addInitScript(() => {
    globalThis.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) globalThis.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  await page.getByRole('button', { name: 'Run', exact: true }).waitFor();
  const taken = () => page.evaluate(() => globalThis.__longTasks.splice(0));
  await page.waitForTimeout(1000);
  const atLoad = await taken();

  // The run bar's progress bar, the one on screen under whatever page is shown.
  const bar = page.getByRole('progressbar', { name: 'Run progress' });
  const start = Date.now();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(
    (n) => globalThis.document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') === String(n),
    side * Math.ceil(cases / side),
    { timeout: 600_000, polling: 200 },
  );
  const runSeconds = (Date.now() - start) / 1000;
  await page.waitForTimeout(1500); // the refresh after the run (table, plots) belongs to the run
  const duringRun = await taken();
  const events = Number(await bar.getAttribute('aria-valuenow'));

  await page.getByRole('tab', { name: 'Cases' }).click();
  const body = page.locator('.cases-body');
  await body.waitFor();
  // Opening the tab draws the parallel coordinates (a slice of lines per frame): let it finish.
  await page.waitForFunction(() => globalThis.document.querySelector('.parcoords [role=group]'), null, {
    timeout: 60_000,
  });
  await page.waitForTimeout(1000);
  const openingCases = await taken();
  const height = await body.evaluate((el) => el.scrollHeight);
  const scrollStart = Date.now();
  for (let y = 0; y < height; y += Math.ceil(height / 60)) {
    await body.evaluate((el, top) => (el.scrollTop = top), y);
    await page.waitForTimeout(30);
  }
  const scrollSeconds = (Date.now() - scrollStart) / 1000;
  const duringScroll = await taken();
  const shownRows = await page.locator('.cases-body [role=row]').count();

  // The Plots tab: y(a, b) drawn, then the issue's nine kind switches, each waited for until drawn (heatmaps of
  // every case, a line per value of b on a colour scale, histograms). The first plot loads plotly: not counted.
  await page.getByRole('tab', { name: 'Plots' }).click();
  await page.getByLabel('Variable', { exact: true }).selectOption('y');
  const drawn = () =>
    page.waitForFunction(
      () => {
        const fig = globalThis.document.querySelector('[role=figure]');
        return fig?.getAttribute('aria-busy') === 'false' && fig.getAttribute('aria-label') !== 'No plot';
      },
      null,
      { timeout: 120_000, polling: 50 },
    );
  await drawn();
  await page.waitForTimeout(1000);
  await taken();
  const switches = [];
  for (const kind of ['heatmap', 'line', 'contour', 'scatter', 'heatmap', 'step', 'hist', 'errorbands', 'line']) {
    const before = await page.getByRole('figure').getAttribute('aria-label');
    const t0 = Date.now();
    await page.getByLabel('Kind', { exact: true }).selectOption(kind);
    await page.waitForFunction(
      (b) => globalThis.document.querySelector('[role=figure]')?.getAttribute('aria-label') !== b,
      before,
    );
    await drawn();
    await page.waitForTimeout(300);
    const tasks = await taken();
    const errors = await page.getByRole('alert').count();
    switches.push({ kind, ms: Date.now() - t0 - 300, tasks, errors });
  }

  const summary = (tasks) =>
    tasks.length === 0
      ? 'none over 50 ms'
      : `${tasks.length} over 50 ms, the longest ${Math.max(...tasks.map((t) => t.duration)).toFixed(0)} ms`;
  console.log(`page load: ${summary(atLoad)}`);
  console.log(
    `a run of ${events} cases (${runSeconds.toFixed(1)} s, progress throttled in the engine): ${summary(duringRun)} (goal: none over 50 ms)`,
  );
  console.log(`opening the Cases tab (draws the parallel coordinates of 20,000 cases): ${summary(openingCases)}`);
  console.log(
    `scrolling the cases table through ${events} rows in 60 steps (${scrollSeconds.toFixed(1)} s): ${summary(duringScroll)}; ${shownRows} rows in the page at a time`,
  );
  for (const s of switches) {
    console.log(
      `Plots, kind → ${s.kind} on y(a, b): drawn in ${(s.ms / 1000).toFixed(2)} s, ${summary(s.tasks)}${s.errors ? `, ${s.errors} error(s) shown` : ''}`,
    );
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
