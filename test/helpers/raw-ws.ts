// Talking to `furrow serve` as the app does (one engine request over its WebSocket) and as no browser does (bytes
// written to its port as they are: handshakes and frames that break the protocol).
import net from 'node:net';
import WebSocket from 'ws';
import { exampleStudy } from './furrow';
import type { Served } from './furrow';

/** One engine request over the WebSocket, as the app makes it: its result, or its error as a rejection. */
export function request(
  served: Pick<Served, 'origin' | 'token'>,
  method: string,
  params: object = {},
): Promise<unknown> {
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

export const handshake = (port: number, target: string, headers = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}Upgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

/**
 * Writes `opening` to the port; once serve's response head has come, writes `then` (or resets the connection).
 * Resolves with everything serve sent, once the connection is closed.
 */
export function exchange(port: number, opening: string, then: Buffer | 'reset' | null): Promise<Buffer> {
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
export function closeCode(received: Buffer): number | null {
  const head = received.indexOf('\r\n\r\n');
  if (!received.subarray(0, head).toString().startsWith('HTTP/1.1 101')) return null;
  const frame = received.subarray(head + 4);
  return frame[0] === 0x88 && frame.length >= 4 ? frame.readUInt16BE(2) : null;
}

const MASK = [0, 0, 0, 0]; // a client's frames are masked; a zero mask leaves the payload as written
const tooLong = Buffer.alloc(8);
tooLong.writeBigUInt64BE(BigInt(16 * 1024 * 1024 + 1)); // serve's maxPayload is 16 MiB
export const MALFORMED: { what: string; frame: Buffer; code: number }[] = [
  { what: 'text that is not UTF-8', frame: Buffer.from([0x81, 0x82, ...MASK, 0xff, 0xfe]), code: 1007 },
  { what: 'an unmasked frame', frame: Buffer.from([0x81, 0x02, 0x68, 0x69]), code: 1002 },
  { what: 'opcode 3 (reserved)', frame: Buffer.from([0x83, 0x80, ...MASK]), code: 1002 },
  { what: 'a message over maxPayload', frame: Buffer.from([0x82, 0xff, ...tooLong, ...MASK]), code: 1009 },
];

/** A study whose model's cases wait for a file `gate` in its folder: a run of it goes on until the test says. */
export function gatedStudy(): Promise<string> {
  return exampleStudy('foo', {
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
}
