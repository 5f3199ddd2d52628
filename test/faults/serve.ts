// Hostile requests to `furrow serve` while it carries a run: seeded handshakes and frames no browser sends (request
// targets that are no URL, handshakes reset mid-way, random bytes after a valid handshake, frames that break the
// protocol), with and without the token, and SQL conditions that never end. Each gets an error response, an error
// reply or a closed socket; serve answers the next request; the run it carries goes on to its end.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { furrow, serveStudy } from '../helpers/furrow';
import type { Served } from '../helpers/furrow';
import { MALFORMED, exchange, gatedStudy, handshake, request } from '../helpers/raw-ws';

export interface ServeResult {
  cases: number;
  /** Requests after which serve still answered. */
  clear: number;
  problems: string[];
}

/** A condition that asks SQLite for endless work. */
const RUNAWAY = '(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c) > 0';

const bytes = (random: () => number, n: number) => Buffer.from(Array.from({ length: n }, () => (random() * 256) | 0));

/** A request target no URL parser takes: seeded printable bytes, no spaces. */
function badTarget(random: () => number): string {
  const pieces = ['%%', '%zz', 'http://%%/', '//[', 'http://[::1', '%', '\\', '@:', '%00', '#%'];
  let target = '';
  for (let i = 0; i < 1 + random() * 4; i++) target += pieces[(random() * pieces.length) | 0];
  return target;
}

/** Write `opening`, then (once serve answered) `then`; close after a moment; what serve sent back. */
function poke(port: number, opening: Buffer | string, then: Buffer | null): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(opening));
    let received = Buffer.alloc(0);
    const stop = setTimeout(() => socket.destroy(), 3000);
    socket.on('data', (data: Buffer) => {
      const first = received.length === 0;
      received = Buffer.concat([received, data]);
      if (first && then) socket.write(then, () => setTimeout(() => socket.end(), 100));
    });
    socket.on('error', () => undefined); // serve may reset it: what counts is that serve goes on
    socket.on('close', () => {
      clearTimeout(stop);
      resolve(received);
    });
  });
}

export async function hostileRequests(n: number, random: () => number): Promise<ServeResult> {
  const dir = await gatedStudy();
  const problems: string[] = [];
  let served: Served | null = null;
  let clear = 0;
  try {
    // Cases in the run database first, so that a condition has rows to be evaluated on.
    const gate = path.join(dir, 'gate');
    fs.writeFileSync(gate, '');
    const first = await furrow(['run', dir, '--combo', 'x=5,6']);
    if (first.code !== 0) problems.push(`the first run ended with ${first.code}: ${first.stderr}`);
    fs.rmSync(gate);
    served = await serveStudy(dir);
    const port = Number(new URL(served.origin).port);
    const withToken = handshake(port, `/api?token=${served.token}`, `Origin: ${served.origin}\r\n`);
    await request(served, 'run.start', { workers: 1 });
    const attacks: [string, () => Promise<unknown>][] = [
      ['a handshake whose target is no URL', () => poke(port, handshake(port, badTarget(random)), null)],
      [
        'a request line of random bytes',
        () => poke(port, Buffer.concat([bytes(random, 40), Buffer.from('\r\n\r\n')]), null),
      ],
      [
        'a refused handshake, reset',
        () => exchange(port, handshake(port, '/api', `Origin: ${served!.origin}\r\n`), 'reset'),
      ],
      ['random bytes after a valid handshake', () => poke(port, withToken, bytes(random, 1 + ((random() * 64) | 0)))],
      ['a malformed frame', () => poke(port, withToken, MALFORMED[(random() * MALFORMED.length) | 0]!.frame)],
      [
        'a condition that never ends',
        () =>
          request(served!, 'db.cases', { where: RUNAWAY }).then(
            () => problems.push('a condition that never ends was answered'),
            (error: Error) => {
              if (!/took too long/.test(error.message)) problems.push(`a runaway condition: ${error.message}`);
            },
          ),
      ],
    ];
    for (let i = 0; i < n; i++) {
      // The slow attack (a 2 s budget each) comes once in ten; the others in turn.
      const [what, attack] = i % 10 === 9 ? attacks[5]! : attacks[i % 5]!;
      await attack();
      try {
        await request(served, 'study.current');
        clear++;
      } catch (error) {
        problems.push(`after ${what}, serve did not answer: ${(error as Error).message}`);
        break;
      }
    }
    fs.writeFileSync(path.join(dir, 'gate'), '');
    const deadline = Date.now() + 30_000;
    let history: { status: string }[] = [];
    while (Date.now() < deadline) {
      history = (await request(served, 'run.history')) as { status: string }[];
      if (history[0]?.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (history[0]?.status !== 'done') problems.push(`the run carried by serve ended ${history[0]?.status}`);
  } catch (error) {
    problems.push(`serve: ${(error as Error).message}`);
  } finally {
    fs.writeFileSync(path.join(dir, 'gate'), '');
    await served?.stop();
  }
  return { cases: n, clear, problems };
}
