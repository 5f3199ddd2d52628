// `furrow serve` admits only the browser holding its token, from its own origin, on 127.0.0.1.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import path from 'node:path';
import { rendererDir } from '../../electron/host/paths';
import { childProcesses, CLI, exampleStudy, furrow, isAlive, serveStudy, tempDir } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      })
      .on('error', reject);
  });
}

/** Opens a WebSocket and sends one request; resolves with the reply, or with the refusal. */
function wsRequest(
  url: string,
  headers: Record<string, string>,
  request: object,
): Promise<{ refused: number } | { reply: unknown }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ refused: -1 }));
    ws.on('open', () => ws.send(JSON.stringify(request)));
    ws.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString()) as { kind: string };
      if (reply.kind === 'event') return;
      resolve({ reply });
      ws.close();
    });
  });
}

describe('furrow serve', () => {
  let served: Served;
  let studyDir: string;
  beforeAll(async () => {
    studyDir = await exampleStudy('foo');
    served = await serveStudy(studyDir);
  });
  afterAll(() => served?.stop());

  it('listens on 127.0.0.1 and prints a URL with a random token', () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  });

  it('serves the page with the token, and sets it as an HttpOnly cookie', async () => {
    const page = await get(served.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['set-cookie']?.[0]).toMatch(/^furrow_token_\d+=[0-9a-f]{48}; HttpOnly; SameSite=Strict/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const cookie = page.headers['set-cookie']![0]!.split(';')[0]!;
    expect((await get(`${served.origin}/`, { cookie })).status).toBe(200);
  });

  it('refuses HTTP requests without the token, with a wrong one, or from another Origin or Host', async () => {
    expect((await get(`${served.origin}/`)).status).toBe(403);
    expect((await get(`${served.origin}/?token=${'0'.repeat(48)}`)).status).toBe(403);
    const foreign = await get(served.url, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/foreign Origin/);
    expect((await get(served.url, { host: 'evil.example' })).status).toBe(403);
    // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 sends its own name with our port.
    const { port } = new URL(served.origin);
    const rebound = await get(served.url, { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/unknown Host/);
  });

  it('answers engine requests over the WebSocket only with the token and its own Origin', async () => {
    const api = `${served.origin.replace('http', 'ws')}/api`;
    const request = { id: 1, method: 'study.current', params: {} };
    const ok = await wsRequest(`${api}?token=${served.token}`, { origin: served.origin }, request);
    expect(ok).toMatchObject({ reply: { kind: 'result', id: 1, result: { name: 'foo', caseCount: 36 } } });

    expect(await wsRequest(api, { origin: served.origin }, request)).toEqual({ refused: 403 });
    expect(await wsRequest(`${api}?token=${served.token}`, { origin: 'http://evil.example' }, request)).toEqual({
      refused: 403,
    });
    expect(await wsRequest(`${api}?token=${served.token}`, {}, request)).toEqual({ refused: 403 });
  });

  it("answers crop.list and crop.status with the open study's crops and their batches", async () => {
    const api = `${served.origin.replace('http', 'ws')}/api?token=${served.token}`;
    const ask = (id: number, method: string, params: object) =>
      wsRequest(api, { origin: served.origin }, { id, method, params });
    expect(await ask(4, 'crop.list', {})).toMatchObject({ reply: { kind: 'result', result: [] } });
    expect((await furrow(['crop', 'sow', studyDir, '--name', 'night', '--batches', '4'])).code).toBe(0);
    expect((await furrow(['grow-batch', path.join(studyDir, 'crops', 'night'), '3'])).code).toBe(0);
    const list = await ask(5, 'crop.list', {});
    expect(list).toMatchObject({ reply: { result: [{ name: 'night', cases: 36, counts: { grown: 1, missing: 3 } }] } });
    const one = await ask(6, 'crop.status', { name: 'night' });
    expect(one).toMatchObject({
      reply: {
        result: { batches: [{ state: 'missing' }, { state: 'missing' }, { state: 'grown' }, { state: 'missing' }] },
      },
    });
    const none = await ask(7, 'crop.status', { name: 'nope' });
    expect(none).toMatchObject({
      reply: { kind: 'error', error: { code: 'not-found', message: expect.stringMatching(/crop\.json is missing/) } },
    });
  });

  it('validates requests against the contract and says what is wrong', async () => {
    const api = `${served.origin.replace('http', 'ws')}/api?token=${served.token}`;
    const bad = await wsRequest(api, { origin: served.origin }, { id: 2, method: 'run.start', params: { workers: 0 } });
    expect(bad).toMatchObject({
      reply: { kind: 'error', id: 2, error: { code: 'bad-input', message: expect.stringMatching(/^workers: /) } },
    });
    const unknown = await wsRequest(api, { origin: served.origin }, { id: 3, method: 'fs.delete', params: {} });
    expect(unknown).toMatchObject({ reply: { kind: 'error', id: 3, error: { code: 'not-found' } } });
  });
});

describe('furrow serve under bad requests', () => {
  it('answers a malformed URL with 400 and keeps serving', async () => {
    const served = await serveStudy(null);
    try {
      const cookie = (await get(served.url)).headers['set-cookie']![0]!.split(';')[0]!;
      expect((await get(`${served.origin}/%E0%A4%A`, { cookie })).status).toBe(400);
      expect((await get(`${served.origin}/`, { cookie })).status).toBe(200);
    } finally {
      await served.stop();
    }
  });
});

/** A GET of a raw path, sent as written (no client-side clean-up of `..`). */
function rawGet(origin: string, rawPath: string, cookie: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    http
      .request({ host: hostname, port, path: rawPath, headers: { cookie, host: `127.0.0.1:${port}` } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject)
      .end();
  });
}

describe('furrow serve against hostile requests', () => {
  it('reads nothing outside its own files: .., %2e%2e, absolute paths, a symlink out of them', async () => {
    const served = await serveStudy(null);
    const link = path.join(rendererDir, 'passwd-link');
    try {
      const cookie = (await get(served.url)).headers['set-cookie']![0]!.split(';')[0]!;
      fs.symlinkSync('/etc/passwd', link);
      for (const raw of [
        '/../../../../etc/passwd',
        '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
        '/..%2f..%2f..%2f..%2fetc%2fpasswd',
        '//etc/passwd',
        '/%2Fetc%2Fpasswd',
        '/passwd-link',
      ]) {
        const reply = await rawGet(served.origin, raw, cookie);
        expect(reply.body, raw).not.toContain('root:');
        expect([400, 404], raw).toContain(reply.status);
      }
      expect((await rawGet(served.origin, '/index.html', cookie)).status).toBe(200);
    } finally {
      fs.rmSync(link, { force: true });
      await served.stop();
    }
  });

  it('refuses a request that fails validation, and does nothing of it', async () => {
    const served = await serveStudy(null);
    try {
      const target = path.join(tempDir(), 'never');
      const api = `${served.origin.replace('http', 'ws')}/api?token=${served.token}`;
      const reply = await wsRequest(
        api,
        { origin: served.origin },
        { id: 1, method: 'study.create', params: { dir: target, example: 42 } },
      );
      expect(reply).toMatchObject({ reply: { kind: 'error', error: { code: 'bad-input' } } });
      expect(fs.existsSync(target)).toBe(false);
    } finally {
      await served.stop();
    }
  });

  it('refuses to create a study from a file that is no parameter space, and leaves nothing to block a retry', async () => {
    const served = await serveStudy(null);
    try {
      const target = path.join(tempDir(), 'new');
      const file = path.join(tempDir(), 'space.yml');
      fs.writeFileSync(file, 'a: 1\n');
      const api = `${served.origin.replace('http', 'ws')}/api?token=${served.token}`;
      const create = (id: number) =>
        wsRequest(
          api,
          { origin: served.origin },
          { id, method: 'study.create', params: { dir: target, paramSpace: file } },
        );
      const refused = await create(1);
      expect(refused).toMatchObject({ reply: { kind: 'error', error: { code: 'bad-input' } } });
      expect(JSON.stringify(refused)).toMatch(/space\.yml:1: no !pdim in this parameter space/);
      expect(fs.existsSync(target)).toBe(false);
      fs.writeFileSync(file, 'a: !pdim {values: [1, 2]}\n');
      expect(await create(2)).toMatchObject({ reply: { kind: 'result', result: { caseCount: 2 } } });
    } finally {
      await served.stop();
    }
  });

  it("refuses a crop name that is a path in every crop request, by the command line's rule", async () => {
    const served = await serveStudy(await exampleStudy('foo'));
    try {
      const api = `${served.origin.replace('http', 'ws')}/api?token=${served.token}`;
      const requests = [
        ['crop.status', {}],
        ['crop.sow', { batches: 1 }],
        ['crop.grow', {}],
        ['crop.reap', {}],
        ['crop.submit', { scheduler: 'slurm', dryRun: true }],
        ['crop.cancel', {}],
      ] as const;
      for (const [i, [method, params]] of requests.entries()) {
        const reply = await wsRequest(
          api,
          { origin: served.origin },
          { id: i, method, params: { name: '../../..', ...params } },
        );
        expect(reply, method).toMatchObject({
          reply: {
            kind: 'error',
            error: { code: 'bad-input', message: expect.stringMatching(/^name: a crop name is/) },
          },
        });
      }
    } finally {
      await served.stop();
    }
  });

  it('--host 0.0.0.0 warns that others can reach it, and still wants the token', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '0.0.0.0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await expect.poll(() => /:(\d+)\/\?token=/.test(out), { timeout: 20_000 }).toBe(true);
      expect(err).toMatch(/warning: listening on 0\.0\.0\.0, not only on this machine/);
      const port = /:(\d+)\/\?token=/.exec(out)![1]!;
      expect((await get(`http://127.0.0.1:${port}/`)).status).toBe(403);
      expect((await get(`http://127.0.0.1:${port}/?token=wrong`)).status).toBe(403);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

/** A condition SQLite would work on forever: it counts the rows of an endless recursive table. */
const RUNAWAY = '(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c) > 0';

describe('furrow serve under a condition that never ends', () => {
  let served: Served;
  let api: string;
  const conditionProcesses = () => childProcesses(served.pid).filter((p) => p.command.includes('condition.mjs'));
  beforeAll(async () => {
    const dir = await exampleStudy('foo');
    expect((await furrow(['run', dir])).code).toBe(0);
    served = await serveStudy(dir);
    api = `${served.origin.replace('http', 'ws')}/api?token=${served.token}`;
  });
  afterAll(() => served?.stop());

  it('answers other requests while it runs, stops it at its budget and says so, then takes the next', async () => {
    const order: string[] = [];
    const runaway = wsRequest(
      api,
      { origin: served.origin },
      { id: 1, method: 'db.cases', params: { where: RUNAWAY } },
    );
    void runaway.then(() => order.push('condition'));
    await expect.poll(conditionProcesses).toHaveLength(1);
    const [reader] = conditionProcesses();
    const other = await wsRequest(api, { origin: served.origin }, { id: 2, method: 'study.current', params: {} });
    order.push('study.current');
    expect(other).toMatchObject({ reply: { kind: 'result', result: { name: 'foo' } } });
    expect(await runaway).toMatchObject({
      reply: {
        kind: 'error',
        error: {
          code: 'bad-input',
          message: expect.stringMatching(/^the condition '.+' took too long: it was stopped after 2 s\. Use a simpler/),
        },
      },
    });
    expect(order).toEqual(['study.current', 'condition']);
    await expect.poll(() => isAlive(reader!.pid)).toBe(false); // not left spinning
    const next = await wsRequest(
      api,
      { origin: served.origin },
      { id: 3, method: 'db.cases', params: { where: 'a = 1' } },
    );
    expect(next).toMatchObject({ reply: { kind: 'result', result: { total: 12 } } });
  });

  it('stops on SIGTERM while a condition runs, and the condition with it', async () => {
    void wsRequest(api, { origin: served.origin }, { id: 4, method: 'db.numeric', params: { where: RUNAWAY } });
    await expect.poll(conditionProcesses).toHaveLength(1);
    const [reader] = conditionProcesses();
    await served.stop();
    expect(served.alive()).toBe(false);
    await expect.poll(() => isAlive(reader!.pid)).toBe(false);
  });
});
