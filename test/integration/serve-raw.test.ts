// `furrow serve` under bytes no browser sends, written to its port as they are: a handshake whose target is no URL,
// a refused handshake the client resets, frames that break the WebSocket protocol. Each gets an error response or a
// closed socket; serve goes on answering, and the run it was carrying goes on to its end.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { exampleStudy, serveStudy } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';

/** One engine request over the WebSocket, as the app makes it: its result, or its error as a rejection. */
function request(served: Served, method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/api?token=${served.token}`, {
      headers: { origin: served.origin },
    });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method, params })));
    ws.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString()) as { kind: string; result?: unknown; error?: { message: string } };
      if (reply.kind === 'event') return;
      ws.close();
      if (reply.kind === 'error') reject(new Error(reply.error!.message));
      else resolve(reply.result);
    });
  });
}

const handshake = (port: number, target: string, headers = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

/**
 * Writes `opening` to the port; once serve's response head has come, writes `then` (or resets the connection).
 * Resolves with everything serve sent, once the connection is closed.
 */
function exchange(port: number, opening: string, then: Buffer | 'reset' | null): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(opening));
    let received = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (answered || !received.includes('\r\n\r\n')) return;
      answered = true;
      if (then === 'reset') socket.resetAndDestroy();
      else if (then) socket.write(then);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

/** The status code of the close frame serve sent after its 101 response, or null when it sent none. */
function closeCode(received: Buffer): number | null {
  const head = received.indexOf('\r\n\r\n');
  if (!received.subarray(0, head).toString().startsWith('HTTP/1.1 101')) return null;
  const frame = received.subarray(head + 4);
  return frame[0] === 0x88 && frame.length >= 4 ? frame.readUInt16BE(2) : null;
}

const MASK = [0, 0, 0, 0]; // a client's frames are masked; a zero mask leaves the payload as written
const tooLong = Buffer.alloc(8);
tooLong.writeBigUInt64BE(BigInt(16 * 1024 * 1024 + 1)); // serve's maxPayload is 16 MiB
const MALFORMED: { what: string; frame: Buffer; code: number }[] = [
  { what: 'text that is not UTF-8', frame: Buffer.from([0x81, 0x82, ...MASK, 0xff, 0xfe]), code: 1007 },
  { what: 'an unmasked frame', frame: Buffer.from([0x81, 0x02, 0x68, 0x69]), code: 1002 },
  { what: 'opcode 3 (reserved)', frame: Buffer.from([0x83, 0x80, ...MASK]), code: 1002 },
  { what: 'a message over maxPayload', frame: Buffer.from([0x82, 0xff, ...tooLong, ...MASK]), code: 1009 },
];

describe('furrow serve under raw bytes, while a run goes on', () => {
  let dir: string;
  let served: Served;
  let port: number;
  // The model's cases wait for this file, so the run is still going however long the bytes take.
  const gate = () => path.join(dir, 'gate');

  beforeAll(async () => {
    dir = await exampleStudy('foo', {
      studyYaml: 'name: gated\nmodel: {module: ./model.mjs}\noutputs: {y: {}}\ncombos:\n  x: [1, 2, 3, 4]\n',
      model: [
        "import fs from 'node:fs';",
        "const gate = new URL('./gate', import.meta.url);",
        'export default async ({ x }) => {',
        '  while (!fs.existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 50));',
        '  return { y: 2 * x };',
        '};',
        '',
      ].join('\n'),
    });
    served = await serveStudy(dir);
    port = Number(new URL(served.origin).port);
  });

  afterAll(async () => {
    if (dir) fs.writeFileSync(gate(), ''); // lets a model worker left behind by a dead serve finish
    await served?.stop();
  });

  it('has a run going, started through serve', async () => {
    await request(served, 'run.start', { workers: 1 });
    await expect.poll(() => request(served, 'run.history')).toMatchObject([{ status: 'running' }]);
  });

  it('answers a handshake whose target is no URL with 400, and goes on', async () => {
    const reply = await exchange(port, handshake(port, 'http://%%/'), null);
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 400 /);
    expect(await request(served, 'study.current')).toMatchObject({ name: 'gated' });
  });

  it('goes on when a client resets a refused handshake', async () => {
    const reply = await exchange(port, handshake(port, '/api', `Origin: ${served.origin}\r\n`), 'reset');
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 403 /);
    expect(await request(served, 'study.current')).toMatchObject({ name: 'gated' });
  });

  it('closes a connection that sends a malformed frame, with the close code that says why, and goes on', async () => {
    const opening = handshake(port, `/api?token=${served.token}`, `Origin: ${served.origin}\r\n`);
    for (const { what, frame, code } of MALFORMED) {
      expect(closeCode(await exchange(port, opening, frame)), what).toBe(code);
      expect(await request(served, 'study.current'), what).toMatchObject({ name: 'gated' });
    }
  });

  it('keeps the run going to its end', async () => {
    expect(served.alive()).toBe(true);
    expect(await request(served, 'run.history')).toMatchObject([{ status: 'running' }]);
    fs.writeFileSync(gate(), '');
    await expect
      .poll(() => request(served, 'run.history'), { timeout: 30_000 })
      .toMatchObject([{ status: 'done', done: 4, failed: 0 }]);
  });
});
