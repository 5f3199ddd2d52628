// `furrow serve`: the renderer over HTTP and the engine over a WebSocket, on 127.0.0.1 unless told otherwise.
// A random token in the printed URL (then an HttpOnly cookie) admits the browser; the Host and Origin
// headers must name this server, so other sites and DNS rebinding cannot drive the engine.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { EngineEvent, WireReply } from '../../shared/api';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { encodeFrame } from '../../shared/wire-frame';
import { dispatch } from '../engine/dispatch';
import type { Engine } from '../engine/engine';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export interface Server {
  url: string;
  port: number;
  token: string;
  /** Send an engine event to every connected window. */
  broadcast(event: EngineEvent): void;
  close(): Promise<void>;
}

export interface ServeOptions {
  engine: Engine;
  rendererDir: string;
  port?: number;
  /** Try the next ports when `port` is taken (not for port 0). */
  portAttempts?: number;
  /** The address to listen on: 127.0.0.1 unless told otherwise (`furrow serve --host`, which warns). */
  host?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
export const isLoopback = (host: string) => LOOPBACK.has(host);

/** `file` itself when it is a file inside `dir` once every symlink is followed; else null. */
function insideDir(dir: string, file: string): string | null {
  try {
    const real = fs.realpathSync(file);
    const root = fs.realpathSync(dir);
    return real.startsWith(root + path.sep) && fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === name && v) return v;
  }
  return null;
}

async function listen(server: http.Server, port: number, attempts: number, host: string): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port === 0 ? 0 : port + i, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as { port: number }).port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0 || i + 1 >= attempts) throw error;
    }
  }
}

export async function serve(options: ServeOptions): Promise<Server> {
  const token = crypto.randomBytes(24).toString('hex');
  const clients = new Set<WebSocket>();
  let port = 0;
  // Cookies ignore ports: each server keeps its own, so two `furrow serve`s on one machine do not mix.
  const cookie = () => `furrow_token_${port}`;
  const host = options.host ?? '127.0.0.1';
  // A Host header of another name is a page of some other site that resolves to us (DNS rebinding): refused. Bound
  // to an address others reach (--host), the machine's names are not known: the token alone guards it.
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const hostAllowed = (given: string | undefined) =>
    allowedHosts().includes(given ?? '') || (!isLoopback(host) && (given ?? '').endsWith(`:${port}`));
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  /** Why a request is refused, or null when it may go on. */
  const refusal = (req: http.IncomingMessage, url: URL): string | null => {
    if (!hostAllowed(req.headers.host)) return 'unknown Host';
    const origin = req.headers.origin;
    const ownOrigin = origin === `http://${req.headers.host ?? ''}` && !isLoopback(host);
    if (origin !== undefined && !allowedOrigins().includes(origin) && !ownOrigin) return 'foreign Origin';
    if (sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(req.headers.cookie, cookie()), token))
      return null;
    return 'missing or wrong token: open the URL that `furrow serve` printed';
  };

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const refused = refusal(req, url);
    if (refused) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Furrow refused this request: ${refused}.\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad URL\n');
      return;
    }
    // Only the renderer's own files: not above it (.., %2e%2e, an absolute path), and not through a symlink out.
    const file = insideDir(options.rendererDir, path.resolve(options.rendererDir, '.' + rel));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      // The token moves from the URL into a cookie only this origin sends.
      'set-cookie': `${cookie()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    if (req.method === 'HEAD') res.end();
    // A file that cannot be read after all (removed meanwhile, say) ends this response, not the process.
    else
      fs.createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    // Node hands an upgraded socket over without an 'error' listener: a client that resets it would take the
    // whole process (and the run it carries) down with it. The error has destroyed the socket already.
    socket.on('error', () => undefined);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nFurrow refused this request: bad URL.\n');
      return;
    }
    // Browsers always send Origin on a WebSocket handshake; a missing one is not a browser we served.
    const refused =
      url.pathname !== '/api' ? 'not found' : req.headers.origin === undefined ? 'no Origin' : refusal(req, url);
    if (refused) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nFurrow refused this request: ${refused}.\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      // A malformed frame (bad UTF-8, unmasked, a reserved opcode, over maxPayload): ws has already sent the
      // close code that says why and is closing the socket. Unheard, this 'error' would end the process.
      ws.on('error', () => undefined);
      ws.on('message', (data) => {
        let message: unknown;
        try {
          message = JSON.parse(String(data));
        } catch {
          return;
        }
        void dispatch(options.engine, message).then((reply) => {
          if (reply && ws.readyState === ws.OPEN) ws.send(encodeFrame(reply));
        });
      });
    });
  });

  port = await listen(server, options.port ?? 0, options.portAttempts ?? 20, host);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    broadcast(event) {
      const text = JSON.stringify({ kind: 'event', event } satisfies WireReply);
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    async close() {
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
