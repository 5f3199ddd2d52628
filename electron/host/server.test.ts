// furrow serve's guards in this process (the token, the Host and Origin headers, the renderer's own files), so a
// change to any of them fails here at once; test/integration/serve.test.ts checks the same through the command line.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { engineParts } from '../cli/run-report';
import { Engine } from '../engine/engine';
import { conditionEntry, examplesDir, furrowCommand } from './paths';
import { isLoopback, serve } from './server';
import type { Server } from './server';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A request sent as written: the path is not cleaned up, the Host header is whatever is given. */
function request(port: number, rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    http
      .request({ host: '127.0.0.1', port, path: rawPath, method, headers: { host: `127.0.0.1:${port}`, ...headers } })
      .on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      })
      .on('error', reject)
      .end();
  });
}

/** A WebSocket to `path`: its first reply to `message`, or the status it was refused with. */
function ws(
  port: number,
  rawPath: string,
  headers: Record<string, string>,
  message?: object,
): Promise<{ refused: number; body: string } | { reply: unknown; socket: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${rawPath}`, { headers });
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ refused: res.statusCode ?? 0, body }));
    });
    socket.on('error', () => resolve({ refused: -1, body: '' }));
    socket.on('open', () => {
      if (message) socket.send(JSON.stringify(message));
      else resolve({ reply: null, socket });
    });
    socket.on('message', (data: Buffer) => resolve({ reply: JSON.parse(data.toString()) as unknown, socket }));
  });
}

const engine = new Engine({ ...engineParts, conditionEntry, furrowCommand, examplesDir, emit: () => undefined });
let rendererDir: string;
let outside: string;

beforeAll(() => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'furrow-serve-'));
  rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<div id="root"></div>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'export {};');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'blob.xyz'), 'bytes');
  outside = path.join(root, 'secret.txt');
  fs.writeFileSync(outside, 'not for the browser');
  fs.symlinkSync(outside, path.join(rendererDir, 'link.txt'));
  // A sibling whose name starts with the renderer's: inside by a prefix test, outside in fact.
  fs.mkdirSync(`${rendererDir}-evil`);
  fs.writeFileSync(path.join(`${rendererDir}-evil`, 'x.js'), 'not ours');
  fs.symlinkSync(path.join(`${rendererDir}-evil`, 'x.js'), path.join(rendererDir, 'sibling.js'));
});

afterAll(() => engine.close());

describe('furrow serve on 127.0.0.1', () => {
  // A server of each test's own, started inside it: a mutant reached only from a beforeAll would count as covered by
  // no test, and mutation testing would never run the tests that kill it.
  let server: Server;
  let own: Record<string, string>;
  beforeEach(async () => {
    server = await serve({ engine, rendererDir });
    own = { host: `127.0.0.1:${server.port}` };
  });
  afterEach(() => server.close());
  const withToken = (p = '/') => `${p}?token=${server.token}`;

  it('admits the token in the URL, then as its cookie, and nothing else', async () => {
    expect(isLoopback('127.0.0.1') && isLoopback('localhost') && isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    const page = await request(server.port, withToken());
    expect(page.status).toBe(200);
    expect(page.body).toBe('<div id="root"></div>');
    const cookie = page.headers['set-cookie']![0]!;
    expect(cookie).toBe(`furrow_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`);
    expect((await request(server.port, '/', { cookie: `a=b; ${cookie.split(';')[0]!}` })).status).toBe(200);

    const refused = await request(server.port, '/');
    expect(refused.status).toBe(403);
    expect(refused.body).toBe(
      'Furrow refused this request: missing or wrong token: open the URL that `furrow serve` printed.\n',
    );
    expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(refused.headers['set-cookie']).toBeUndefined();
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('0') ? '1' : '0');
    for (const token of [wrong, server.token.slice(0, -1), `${server.token}0`, '']) {
      expect((await request(server.port, `/?token=${token}`)).status, token).toBe(403);
      expect((await request(server.port, '/', { cookie: `furrow_token_${server.port}=${token}` })).status).toBe(403);
    }
    // The cookie of a server on another port, and the token under another name, are not ours.
    expect((await request(server.port, '/', { cookie: `furrow_token_1=${server.token}` })).status).toBe(403);
    expect((await request(server.port, '/', { cookie: `token=${server.token}` })).status).toBe(403);
    expect((await request(server.port, '/', { cookie: `furrow_token_${server.port}` })).status).toBe(403);
  });

  it('refuses a Host or an Origin that is not this server, however it is written', async () => {
    const port = server.port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await request(port, withToken(), { host })).status, host).toBe(200);
      expect((await request(port, withToken(), { host, origin: `http://${host}` })).status, host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) {
      const reply = await request(port, withToken(), { host });
      expect(reply.status, host).toBe(403);
      expect(reply.body, host).toBe('Furrow refused this request: unknown Host.\n');
    }
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, `https://127.0.0.1:${port}`, 'null']) {
      const reply = await request(port, withToken(), { ...own, origin });
      expect(reply.status, origin).toBe(403);
      expect(reply.body, origin).toBe('Furrow refused this request: foreign Origin.\n');
    }
    // A rebound name sending its own Origin too: on a loopback server its own name is no excuse.
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    expect((await request(port, withToken(), rebound)).status).toBe(403);
  });

  it("serves only the renderer's own files, with the headers that keep a page to itself", async () => {
    const page = await request(server.port, withToken('/assets/app.js'));
    expect(page.status).toBe(200);
    expect(page.body).toBe('export {};');
    expect(page.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await request(server.port, withToken('/index.html'))).headers['content-type']).toBe(
      'text/html; charset=utf-8',
    );
    expect((await request(server.port, withToken('/assets/blob.xyz'))).headers['content-type']).toBe(
      'application/octet-stream',
    );
    for (const raw of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      `/${outside}`,
      '/link.txt',
      '/assets',
      '/sibling.js',
      '/missing.js',
    ]) {
      const reply = await request(server.port, withToken(raw));
      expect(reply.status, raw).toBe(404);
      expect(reply.body, raw).toBe('not found\n');
    }
    const bad = await request(server.port, withToken('/%E0%A4%A'));
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('bad URL\n');
    expect(bad.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await request(server.port, withToken('/missing.js'))).headers['content-type']).toBe(
      'text/plain; charset=utf-8',
    );
    // A request target no URL parser takes, on a page or on the engine's socket: 400, and the server goes on.
    const raw = (head: string) =>
      new Promise<string>((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.write(head));
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString()));
        socket.on('close', () => resolve(text));
        socket.on('end', () => socket.end());
      });
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    expect(await raw(`GET http://[ HTTP/1.1\r\n${host}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    const upgrade = `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${'A'.repeat(22)}==\r\n`;
    expect(await raw(`GET http://[ HTTP/1.1\r\n${host}${upgrade}\r\n`)).toBe(
      'HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nFurrow refused this request: bad URL.\n',
    );
    expect((await request(server.port, withToken())).status).toBe(200);
  });

  it('answers HEAD without a body and refuses other methods, after the guards', async () => {
    const head = await request(server.port, withToken(), {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await request(server.port, withToken(), {}, 'POST')).status).toBe(405);
    expect((await request(server.port, '/', {}, 'POST')).status).toBe(403);
  });

  it('opens the engine WebSocket only on /api, with the token and its own Origin', async () => {
    const origin = { origin: `http://127.0.0.1:${server.port}` };
    const ask = { id: 7, method: 'study.current', params: {} };
    const ok = await ws(server.port, withToken('/api'), origin, ask);
    expect(ok).toMatchObject({ reply: { kind: 'result', id: 7, result: null } });
    if ('socket' in ok) {
      // Events reach every window that is connected, as JSON.
      const heard = new Promise<unknown>((resolve) =>
        ok.socket.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()))),
      );
      server.broadcast({ type: 'engine.stopped', message: 'gone' });
      expect(await heard).toEqual({ kind: 'event', event: { type: 'engine.stopped', message: 'gone' } });
      ok.socket.close();
    }
    const refusals: [string, Record<string, string>, string][] = [
      [withToken('/other'), origin, 'not found'],
      [withToken('/api'), {}, 'no Origin'],
      [withToken('/api'), { origin: 'http://evil.example' }, 'foreign Origin'],
      ['/api', origin, 'missing or wrong token: open the URL that `furrow serve` printed'],
    ];
    for (const [where, headers, why] of refusals) {
      expect(await ws(server.port, where, headers), why).toEqual({
        refused: 403,
        body: `Furrow refused this request: ${why}.\n`,
      });
    }
  });
  it('ignores what is not a request, survives a malformed frame, and answers the next request', async () => {
    const origin = { origin: `http://127.0.0.1:${server.port}` };
    const first = await ws(server.port, withToken('/api'), origin);
    if (!('socket' in first)) throw new Error('refused');
    const replies: unknown[] = [];
    first.socket.on('message', (d: Buffer) => replies.push(JSON.parse(d.toString())));
    first.socket.send('not json');
    first.socket.send(JSON.stringify({ hello: 'there' }));
    first.socket.send(JSON.stringify({ id: 3, method: 'study.current', params: {} }));
    await expect.poll(() => replies).toEqual([{ kind: 'result', id: 3, result: null }]);
    // A client frame without a mask breaks the protocol: that connection closes with 1002, the server goes on.
    const closed = new Promise<number>((resolve) => first.socket.on('close', (code) => resolve(code)));
    (first.socket as unknown as { _socket: net.Socket })._socket.write(Buffer.from([0x81, 0x01, 0x41]));
    expect(await closed).toBe(1002);
    const again = await ws(server.port, withToken('/api'), origin, { id: 4, method: 'study.current', params: {} });
    expect(again).toMatchObject({ reply: { id: 4 } });
    if ('socket' in again) again.socket.close();
  });

  it('goes on when a client resets a handshake it refused', async () => {
    // Unheard, the reset's ECONNRESET on the upgraded socket is an uncaught exception: it ends the process.
    const uncaught: unknown[] = [];
    const note = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', note);
    try {
      const handshake =
        `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nOrigin: http://127.0.0.1:${server.port}\r\n` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${'A'.repeat(22)}==\r\n\r\n`;
      const reply = await new Promise<string>((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.write(handshake));
        let text = '';
        socket.on('data', (d: Buffer) => {
          text += d.toString();
          // The refusal has come, and the server is still closing its side: reset the connection then.
          if (text.includes('\r\n\r\n')) socket.resetAndDestroy();
        });
        socket.on('close', () => resolve(text));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n.*missing or wrong token/s);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await request(server.port, withToken())).status).toBe(200);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', note);
    }
  });

  it('ends the reply to a file removed while it is served, and serves the next request', async () => {
    // The file is found (a file inside the renderer), then removed before its read opens it: the read stream opens
    // its file on the next tick, after every 'request' listener has run, and this test's listener runs after the
    // server's own. Unheard, the failed open would end the process; unanswered, the reply would hang for ever.
    const served = path.join(rendererDir, 'assets', 'gone.js');
    fs.writeFileSync(served, 'export const gone = 1;');
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    const http1 = handles.find(
      (h): h is http.Server =>
        h instanceof http.Server && (h.address() as { port?: number } | null)?.port === server.port,
    )!;
    http1.once('request', () => fs.rmSync(served));
    const uncaught: unknown[] = [];
    const note = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', note);
    try {
      const reply = request(server.port, withToken('/assets/gone.js')).then(
        (r) => `answered ${r.status}: ${r.body}`,
        (e: Error) => `ended: ${e.message}`,
      );
      const hung = new Promise<string>((resolve) => setTimeout(() => resolve('no answer within 5 s'), 5_000));
      expect(await Promise.race([reply, hung])).toBe('ended: socket hang up');
      expect(fs.existsSync(served)).toBe(false);
      expect(uncaught).toEqual([]);
      const next = await request(server.port, withToken('/assets/app.js'));
      expect([next.status, next.body]).toEqual([200, 'export {};']);
    } finally {
      process.off('uncaughtException', note);
    }
  });

  it('refuses frames over 16 MiB and takes one just under it', async () => {
    const origin = { origin: `http://127.0.0.1:${server.port}` };
    const padded = (bytes: number) => {
      const request = { id: 5, method: 'study.current', params: {}, pad: '' };
      request.pad = 'x'.repeat(bytes - JSON.stringify(request).length);
      return request;
    };
    expect(await ws(server.port, withToken('/api'), origin, padded(16 * 1024 * 1024 - 16))).toMatchObject({
      reply: { id: 5 },
    });
    const big = await ws(server.port, withToken('/api'), origin);
    if (!('socket' in big)) throw new Error('refused');
    const closed = new Promise<number>((resolve) => big.socket.on('close', (code) => resolve(code)));
    big.socket.send(JSON.stringify(padded(16 * 1024 * 1024 + 16)));
    expect(await closed).toBe(1009);
  });

  it('stops listening and drops its windows when closed', async () => {
    const open = await ws(server.port, withToken('/api'), { origin: `http://127.0.0.1:${server.port}` });
    if (!('socket' in open)) throw new Error('refused');
    const dropped = new Promise<void>((resolve) => open.socket.on('close', () => resolve()));
    await server.close();
    await dropped;
    await expect(request(server.port, withToken())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    server = await serve({ engine, rendererDir }); // for afterEach
  });
});

describe('furrow serve on an address others reach (--host)', () => {
  it('admits any name of this machine with its port, still only with the token', async () => {
    const server = await serve({ engine, rendererDir, port: 0, host: '0.0.0.0' });
    try {
      const name = `my-machine.example:${server.port}`;
      expect((await request(server.port, `/?token=${server.token}`, { host: name })).status).toBe(200);
      const own = await request(server.port, `/?token=${server.token}`, { host: name, origin: `http://${name}` });
      expect(own.status).toBe(200);
      const other = { host: name, origin: `http://other.example:${server.port}` };
      expect((await request(server.port, `/?token=${server.token}`, other)).status).toBe(403);
      const port = { host: `my-machine.example:${server.port + 1}` };
      expect((await request(server.port, `/?token=${server.token}`, port)).status).toBe(403);
      expect((await request(server.port, '/', { host: name })).status).toBe(403);
    } finally {
      await server.close();
    }
  });
});

describe('the port', () => {
  it('is the next free one when the one asked for is taken, within the attempts given', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const next = await serve({ engine, rendererDir, port, portAttempts: 5 });
      expect(next.port).toBeGreaterThan(port);
      expect(next.port).toBeLessThan(port + 5);
      expect(next.url).toBe(`http://127.0.0.1:${next.port}/?token=${next.token}`);
      await next.close();
      await expect(serve({ engine, rendererDir, port, portAttempts: 1 })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
      // Another error is not a busy port: said at once.
      await expect(serve({ engine, rendererDir, port: 1, host: '192.0.2.1' })).rejects.toMatchObject({
        code: 'EADDRNOTAVAIL',
      });
    } finally {
      taken.close();
    }
  });
});
