// Debian's Chromium driven over a bare DevTools connection that uses the Runtime domain only, for timing the app
// as a person sees it. Playwright turns on the Network domain of every page it drives, and Chromium then copies
// each WebSocket frame the page receives into DevTools as base64: a plot's 8 MB of numbers cost the 2 cores here
// 0.3–0.5 s of work that no one using the app ever pays. So the benchmarks click through the page with DOM calls made
// by Runtime.evaluate, and time what is drawn in the page itself.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

/** How the benchmarks run Debian's Chromium: headless, no GPU, nothing fetched from the network but the app. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium showing `url` in a 1400 × 1000 window; `evaluate(fn, arg)` runs `fn(arg)` in the page and awaits it. */
export async function openBare(url) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-bench-chromium-'));
  const chromium = spawn(
    '/usr/bin/chromium',
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--window-size=1400,1000', '--remote-debugging-port=0', url],
    // Its own process group: closing ends its helper processes too, before its profile folder is removed.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const exited = new Promise((resolve) => chromium.once('exit', resolve));
  const shut = async () => {
    if (chromium.exitCode === null && chromium.signalCode === null) {
      try {
        process.kill(-chromium.pid, 'SIGTERM');
      } catch {
        // gone already
      }
    }
    await exited;
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    return await connect(chromium, url, shut);
  } catch (error) {
    await shut(); // nothing left running when the benchmark fails to start
    throw error;
  }
}

async function connect(chromium, url, shut) {
  const endpoint = await new Promise((resolve, reject) => {
    let output = '';
    chromium.stderr.on('data', (d) => {
      output += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    });
    chromium.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${output}`)));
  });
  const ws = new WebSocket(endpoint, { perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
  let nextId = 1;
  const pending = new Map();
  const events = new Map();
  ws.on('close', () => {
    for (const reply of pending.values()) reply.reject(new Error('the DevTools connection closed'));
    pending.clear();
  });
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.method) events.get(message.method)?.(message.params);
    const reply = pending.get(message.id);
    if (!reply) return;
    pending.delete(message.id);
    if (message.error) reply.reject(new Error(message.error.message));
    else reply.resolve(message.result);
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  let page;
  for (let tries = 0; !page && tries < 100; tries++) {
    const { targetInfos } = await send('Target.getTargets');
    page = targetInfos.find((t) => t.type === 'page' && t.url.startsWith(url.split('?')[0]));
    if (!page) await new Promise((r) => setTimeout(r, 100));
  }
  if (!page) throw new Error(`chromium never opened ${url}`);
  const { sessionId } = await send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
  // Until the app's page has loaded, the tab may still show the blank page it opened with.
  const origin = new URL(url).origin;
  const deadline = Date.now() + 30_000;
  for (let loaded = false; !loaded;) {
    if (Date.now() > deadline) throw new Error(`${url} did not load within 30 s`);
    const { result } = await send(
      'Runtime.evaluate',
      { expression: `location.origin === ${JSON.stringify(origin)} && document.readyState === 'complete'` },
      sessionId,
    ).catch(() => ({ result: { value: false } })); // the page before went away as it was asked
    loaded = result.value === true;
    if (!loaded) await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async evaluate(fn, arg) {
      const { result, exceptionDetails } = await send(
        'Runtime.evaluate',
        { expression: `(${fn})(${JSON.stringify(arg)})`, awaitPromise: true, returnByValue: true },
        sessionId,
      );
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      return result.value;
    },
    /** Start a Chrome trace of every process (open it in chrome://tracing or Perfetto); `stop()` writes it. */
    async trace(file) {
      await send('Tracing.start', {
        categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink,cc,viz,toplevel,loading',
        transferMode: 'ReturnAsStream',
      });
      return async () => {
        const complete = new Promise((resolve) => events.set('Tracing.tracingComplete', resolve));
        await send('Tracing.end');
        const { stream } = await complete;
        const out = fs.createWriteStream(file);
        for (;;) {
          const chunk = await send('IO.read', { handle: stream });
          out.write(chunk.data);
          if (chunk.eof) break;
        }
        await new Promise((resolve) => out.end(resolve));
      };
    },
    /** Start V8's sampling profiler in the page; `stop()` writes the profile (.cpuprofile, for DevTools). */
    async profile(file) {
      await send('Profiler.enable', {}, sessionId);
      await send('Profiler.setSamplingInterval', { interval: 200 }, sessionId);
      await send('Profiler.start', {}, sessionId);
      return async () => {
        const { profile } = await send('Profiler.stop', {}, sessionId);
        fs.writeFileSync(file, JSON.stringify(profile));
      };
    },
    async close() {
      ws.close();
      await shut();
    },
  };
}
